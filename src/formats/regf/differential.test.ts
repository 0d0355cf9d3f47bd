// Differential tests: the parser against libhivex (hivexregedit --export) and reglookup on the same hive bytes,
// for hives written by libhivex itself and by the test builder (db big data, ri index roots, li/lf lists).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHive, multiSz, type BuildKey } from '../../../test/regf/builder.js';
import { hivexBuild, hivexExport, reglookup, unescapeReglookup } from '../../../test/regf/reference.js';
import { allTypeValues, richTree } from '../../../test/regf/fixtures.js';
import { parseRegf, toHex, type RegfHive } from './index.js';

function open(bytes: Uint8Array): RegfHive {
  const h = parseRegf(bytes);
  assert.ok(h.isRegf);
  return h;
}

/** path -> (value name -> `type:hex`), as libhivex's export states it. */
function mineAsExport(h: RegfHive): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  h.walk((key, path) => {
    out.set(path, new Map(h.values(key).map((v) => [v.name, `${v.type}:${toHex(h.data(v).bytes)}`])));
  });
  return out;
}

function compareWithHivex(h: RegfHive): number {
  const theirs = hivexExport(h.bytes);
  const mine = mineAsExport(h);
  assert.deepEqual([...mine.keys()].sort(), theirs.map((k) => k.path).sort(), 'key paths');
  let values = 0;
  for (const k of theirs) {
    const m = mine.get(k.path)!;
    assert.deepEqual(new Map([...m].sort()), new Map([...k.values].sort()), `values of '${k.path}'`);
    values += m.size;
  }
  return values;
}

const REGLOOKUP_TYPES = ['NONE', 'SZ', 'EXPAND_SZ', 'BINARY', 'DWORD', 'DWORD_BE', 'LINK', 'MULTI_SZ', 'RSRC_LIST', 'RSRC_DESC', 'RSRC_REQ_LIST', 'QWORD'];
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

/** Rows as reglookup prints them, un-escaped: `path|type|value|mtime`. */
function mineAsReglookup(h: RegfHive): string[] {
  const rows: string[] = [];
  h.walk((key, path) => {
    const keyPath = `/${path.replace(/\\/g, '/')}`;
    rows.push(`${keyPath}|KEY||${key.lastWritten?.slice(0, 19).replace('T', ' ') ?? ''}`);
    for (const v of h.values(key)) {
      const type = REGLOOKUP_TYPES[v.type] ?? `0x${v.type.toString(16).toUpperCase().padStart(8, '0')}`;
      const bytes = h.data(v).bytes;
      let value: string;
      if (v.type === 4 || v.type === 5) value = `0x${Number(h.text(v)).toString(16).toUpperCase().padStart(8, '0')}`;
      else if (v.type === 11) value = `0x${BigInt(h.text(v)).toString(16).toUpperCase().padStart(16, '0')}`;
      else if (v.type === 1 || v.type === 2 || v.type === 6) value = h.text(v);
      else if (v.type === 7) value = h.text(v).split('\n').join('|');
      else value = latin1(bytes);
      rows.push(`${keyPath === '/' ? '' : keyPath}/${v.name}|${type}|${value === '' ? '(null)' : value}|`);
    }
  });
  return rows.sort();
}

function compareWithReglookup(h: RegfHive): number {
  const { rows } = reglookup(h.bytes);
  const theirs = rows.map((r) => `${unescapeReglookup(r.path)}|${r.type}|${unescapeReglookup(r.value)}|${r.mtime}`).sort();
  const mine = mineAsReglookup(h);
  assert.equal(mine.length, theirs.length, 'row count');
  assert.deepEqual(mine, theirs);
  return mine.length;
}

/** reglookup cannot print names or strings beyond ASCII, so its trees stay ASCII. */
function asciiTree(subkeys: number): BuildKey {
  const t = richTree(subkeys);
  t.subkeys = t.subkeys!.filter((k) => /^[\x20-\x7e]+$/.test(k.name) && k.name !== 'ForcedWide');
  const types = t.subkeys.find((k) => k.name === 'Types')!;
  types.values = allTypeValues().map((v) => (v.name === 'MultiSz' ? { ...v, data: multiSz(['first', 'second line']) } : v));
  return t;
}

test('a hive written by libhivex: every key and value agrees with hivexregedit --export', () => {
  const h = open(hivexBuild(richTree(1200), 'HKEY_LOCAL_MACHINE\\SOFTWARE'));
  const values = compareWithHivex(h);
  assert.ok(values > 1200, `compared ${values} values`);
  // libhivex keeps big values in one cell (noted), and hashes lh names over their UTF-8 bytes as signed chars
  // instead of over upper-cased UTF-16 characters, so its hashes are wrong exactly for the non-ASCII key names.
  assert.deepEqual([...new Set(h.anomalies.map((a) => a.code))].sort(), ['REGF_BIG_DATA_INLINE', 'REGF_SUBKEY_HASH']);
  const hashed = h.anomalies.filter((a) => a.code === 'REGF_SUBKEY_HASH').map((a) => /key '(.*)'/.exec(a.message)![1]);
  assert.deepEqual(hashed.sort(), ['Ünïcødé', '日本語キー'].sort());
});

test('a hive written by libhivex: every row agrees with reglookup', () => {
  const h = open(hivexBuild(asciiTree(300), 'HKEY_LOCAL_MACHINE\\SOFTWARE'));
  assert.ok(compareWithReglookup(h) > 600);
});

for (const [list, leaf] of [['ri', 'lh'], ['ri', 'li'], ['lf'], ['li']] as const) {
  test(`a builder hive with db big data and ${list}${leaf ? ` of ${leaf}` : ''} lists agrees with hivexregedit and reglookup`, () => {
    const tree = richTree(700);
    const many = tree.subkeys!.find((k) => k.name === 'Many')!;
    many.list = list;
    many.riLeaf = 64;
    if (leaf) many.riLeafKind = leaf;
    const h = open(buildHive(tree).bytes);
    compareWithHivex(h);
    assert.deepEqual(h.anomalies, []);
    const ascii = asciiTree(700);
    const m = ascii.subkeys!.find((k) => k.name === 'Many')!;
    m.list = list;
    m.riLeaf = 64;
    if (leaf) m.riLeafKind = leaf;
    compareWithReglookup(open(buildHive(ascii).bytes));
  });
}
