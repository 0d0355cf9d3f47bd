import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHive, emptyHive, fixChecksum, type BuildKey } from '../../../test/regf/builder.js';
import { allTypeValues, bigValues, manySubkeys, nonAsciiKeys, richTree } from '../../../test/regf/fixtures.js';
import { parseRegf, type RegfHive, type RegfKey } from './index.js';

function open(bytes: Uint8Array): RegfHive {
  const h = parseRegf(bytes);
  assert.ok(h.isRegf, 'expected a regf hive');
  return h;
}

function child(h: RegfHive, key: RegfKey, name: string): RegfKey {
  const k = h.subkeys(key).find((c) => c.name === name);
  assert.ok(k, `no subkey ${name}`);
  return k;
}

test('a minimal hive: root key, base block fields, no anomalies', () => {
  const bytes = emptyHive({ fileName: '\\??\\C:\\Users\\alice\\ntuser.dat', sequence: [7, 7] });
  assert.equal(bytes.length, 0x2000);
  const h = open(bytes);
  assert.equal(h.base.primarySequence, 7);
  assert.equal(h.base.majorVersion, 1);
  assert.equal(h.base.minorVersion, 5);
  assert.equal(h.base.rootCellOffset, 0x20);
  assert.equal(h.base.hiveBinsSize, 0x1000);
  assert.equal(h.base.fileName, '\\??\\C:\\Users\\alice\\ntuser.dat');
  assert.equal(h.base.checksumValid, true);
  assert.equal(h.base.dirty, false);
  assert.equal(h.base.lastWritten, '2024-01-02T03:04:05.000Z');
  const root = h.root();
  assert.ok(root);
  assert.equal(root.name, 'ROOT');
  assert.deepEqual(h.subkeys(root), []);
  assert.deepEqual(h.values(root), []);
  assert.ok(h.security(root)!.descriptor.length > 0);
  assert.equal(h.walk(() => {}), 1);
  assert.deepEqual(h.anomalies, []);
});

test('anything without the regf signature is {isRegf:false} with a reason', () => {
  for (const bytes of [new Uint8Array(0), Uint8Array.from([0x72, 0x65]), new TextEncoder().encode('MZ\x90\x00 not a hive')]) {
    const r = parseRegf(bytes);
    assert.equal(r.isRegf, false);
    assert.ok(!r.isRegf && r.reason.length > 0);
  }
});

test('every value type: type, declared size, exact bytes and text rendering', () => {
  const values = allTypeValues();
  const h = open(buildHive({ name: 'ROOT', values }).bytes);
  const got = h.values(h.root()!);
  assert.equal(got.length, values.length);
  for (const [i, want] of values.entries()) {
    const v = got[i]!;
    assert.equal(v.name, want.name);
    assert.equal(v.type, want.type);
    assert.equal(v.size, want.data.length);
    assert.deepEqual(Buffer.from(h.data(v).bytes), Buffer.from(want.data), v.name);
  }
  const text = Object.fromEntries(got.map((v) => [v.name, h.text(v)]));
  assert.equal(text[''], 'the default value');
  assert.equal(text.None, 'deadbeef01');
  assert.equal(text.Sz, 'C:\\Windows\\system32\\icsvnt32.ocx');
  assert.equal(text.EmptySz, '');
  assert.equal(text.ExpandSz, '%SystemRoot%\\System32\\nlasvc.dll');
  assert.equal(text.Dword, String(0xffffffc4));
  assert.equal(text.DwordBE, String(0x01020304));
  assert.equal(text.Link, '\\Registry\\Machine\\System\\ControlSet001');
  assert.equal(text.MultiSz, 'first\nsecond line\ndritte Zeile äöü');
  assert.equal(text.Qword, String(0x1122334455667788n));
  assert.equal(text.Unknown, '010203');
  assert.equal(text.Tiny, '7f');
  assert.equal(text.Zero, '');
  assert.match(text.ResourceList!, /^[0-9a-f]{72}$/);
  assert.ok(got.find((v) => v.name === 'Dword')!.inline);
  assert.deepEqual(h.anomalies, []);
});

test('big data: db records over 16,344 bytes reassemble; at the threshold one cell is used', () => {
  const built = buildHive({ name: 'ROOT', values: bigValues() });
  const h = open(built.bytes);
  const got = h.values(h.root()!);
  for (const [i, want] of bigValues().entries()) {
    assert.deepEqual(Buffer.from(h.data(got[i]!).bytes), Buffer.from(want.data), want.name);
  }
  // The builder put a db record behind each value over the threshold.
  const dbAt = built.data.get('|Big100k')!;
  assert.equal(String.fromCharCode(built.bytes[dbAt + 4]!, built.bytes[dbAt + 5]!), 'db');
  assert.equal(h.text(got[3]!), 'x'.repeat(20_000));
  // A cap returns a prefix and says it is one.
  const capped = h.data(got[2]!, 20_000);
  assert.equal(capped.bytes.length, 20_000);
  assert.equal(capped.truncated, true);
  assert.deepEqual(Buffer.from(capped.bytes), Buffer.from(bigValues()[2]!.data.subarray(0, 20_000)));
  assert.deepEqual(h.anomalies, []);
});

test('a version 1.3 hive keeps big values in one cell, without a db record or an anomaly', () => {
  const h = open(buildHive({ name: 'ROOT', values: bigValues() }, { minor: 3 }).bytes);
  const got = h.values(h.root()!);
  assert.deepEqual(Buffer.from(h.data(got[2]!).bytes), Buffer.from(bigValues()[2]!.data));
  assert.deepEqual(h.anomalies, []);
});

for (const [list, leaf] of [['lh'], ['lf'], ['li'], ['ri', 'lh'], ['ri', 'lf'], ['ri', 'li']] as const) {
  test(`subkey lists: 1,200 subkeys through ${list}${leaf ? ` of ${leaf} leaves` : ''}`, () => {
    const key: BuildKey = { name: 'ROOT', subkeys: manySubkeys(1200), list, riLeaf: 250, ...(leaf ? { riLeafKind: leaf } : {}) };
    const h = open(buildHive(key).bytes);
    const subs = h.subkeys(h.root()!);
    assert.deepEqual(subs.map((k) => k.name), manySubkeys(1200).map((k) => k.name));
    const last = subs[1199]!;
    assert.equal(h.text(h.values(last)[0]!), '1199');
    assert.equal(h.findKey(['sub01000'])?.name, 'Sub01000');
    assert.deepEqual(h.anomalies, []);
  });
}

test('names: Latin-1 compressed, UTF-16LE, forced UTF-16; lookups ignore case', () => {
  const h = open(buildHive({ name: 'ROOT', subkeys: nonAsciiKeys() }).bytes);
  const root = h.root()!;
  const uni = child(h, root, 'Ünïcødé');
  assert.equal(uni.compressedName, true);
  const jp = child(h, root, '日本語キー');
  assert.equal(jp.compressedName, false);
  assert.equal(child(h, root, 'ForcedWide').compressedName, false);
  assert.deepEqual(h.values(jp).map((v) => [v.name, h.text(v)]), [['値', 'データ'], ['snow ☃', '3']]);
  assert.equal(h.values(uni)[0]!.name, 'ÄÖÜ');
  assert.equal(h.findKey(['üNÏCØDÉ'])?.offset, uni.offset);
  assert.equal(h.findKey(['forcedwide'])?.name, 'ForcedWide');
  assert.equal(h.findKey(['nope']), null);
  assert.deepEqual(h.anomalies, []);
});

test('class names, timestamps and flags of keys', () => {
  const h = open(
    buildHive({ name: 'ROOT', subkeys: [{ name: 'K', className: 'Klasse', lastWritten: 0n }, { name: 'T', lastWritten: 116444736000000000n + 10_000n * 1500n }] }).bytes,
  );
  const root = h.root()!;
  assert.equal(root.flags & 0x2c, 0x2c);
  const k = child(h, root, 'K');
  assert.equal(h.className(k), 'Klasse');
  assert.equal(k.lastWritten, null);
  assert.equal(child(h, root, 'T').lastWritten, '1970-01-01T00:00:01.500Z');
  assert.equal(h.className(root), null);
});

test('walk: pre-order in list order, each key once, hive-relative paths', () => {
  const h = open(buildHive(richTree(3)).bytes);
  const seen: string[] = [];
  h.walk((_k, path, depth) => seen.push(`${depth}:${path}`));
  assert.deepEqual(seen.slice(0, 6), ['0:', '1:Big', '1:Deep', '2:Deep\\A', '3:Deep\\A\\B', '4:Deep\\A\\B\\C']);
  assert.ok(seen.includes('2:Many\\Sub00002'));
  assert.equal(new Set(seen).size, seen.length);
  // A walk from a key starts at that key's path.
  const many = h.findKey(['Many'])!;
  assert.deepEqual([...h.keys(many, 'Many')].map((w) => w.path), ['Many', 'Many\\Sub00000', 'Many\\Sub00001', 'Many\\Sub00002']);
});

test('the data budget caps the bytes one hive hands out', () => {
  const built = buildHive({ name: 'ROOT', values: [{ name: 'v', type: 3, data: new Uint8Array(1000) }] });
  const h = parseRegf(built.bytes, { limits: { dataBudget: 2500 } });
  assert.ok(h.isRegf);
  const v = h.values(h.root()!)[0]!;
  assert.equal(h.data(v).bytes.length, 1000);
  assert.equal(h.data(v).bytes.length, 1000);
  assert.equal(h.data(v).bytes.length, 500);
  assert.equal(h.data(v).bytes.length, 0);
  assert.ok(h.anomalies.some((a) => a.code === 'REGF_DATA_BUDGET'));
});

test('a patched base block with a fixed checksum still parses (the builder checksum matches the parser)', () => {
  const bytes = emptyHive();
  new DataView(bytes.buffer).setUint32(0x2c, 8, true);
  fixChecksum(bytes);
  const h = open(bytes);
  assert.equal(h.base.clusteringFactor, 8);
  assert.equal(h.base.checksumValid, true);
});
