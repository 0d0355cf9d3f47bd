// One hand-made malformed hive per anomaly code: built sound by the test builder, then patched at the offsets it
// reports. Each must parse without throwing, report its code, and keep what is still sound readable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHive, dword, fixChecksum, sz, type BuildKey, type BuiltHive } from '../../../test/regf/builder.js';
import { manySubkeys, pattern } from '../../../test/regf/fixtures.js';
import { parseRegf, REGF_ANOMALY_CODES, type RegfAnomalyCode, type RegfHive, type RegfLimits } from './index.js';

const BASE = 0x1000;

function u32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);
}
function u16(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint16(at, v, true);
}
function i32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setInt32(at, v, true);
}
function get32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(at, true);
}
/** Relative offset of a cell from its absolute one. */
const rel = (abs: number) => abs - BASE;

/** Reads everything a sweep would: every key, value, class name, security record and value text. */
function exercise(h: RegfHive): { keys: number; values: number } {
  let keys = 0;
  let values = 0;
  for (const { key } of h.keys()) {
    keys++;
    h.className(key);
    h.security(key);
    for (const v of h.values(key)) {
      values++;
      h.text(v);
    }
  }
  return { keys, values };
}

function parsed(bytes: Uint8Array, limits?: Partial<RegfLimits>): RegfHive {
  const h = parseRegf(bytes, limits === undefined ? {} : { limits });
  assert.ok(h.isRegf);
  return h;
}

function codes(h: RegfHive): Set<string> {
  return new Set(h.anomalies.map((a) => a.code));
}

/** A small sound tree: three keys with values, one with a class name and a two-segment big value. */
function tree(): BuildKey {
  return {
    name: 'ROOT',
    subkeys: [
      { name: 'Alpha', className: 'cls', values: [{ name: 'a', type: 1, data: sz('alpha') }, { name: 'big', type: 3, data: pattern(20_000) }] },
      { name: 'Beta', values: [{ name: 'b', type: 4, data: dword(2) }, { name: 'bin', type: 3, data: pattern(64) }] },
      { name: 'Gamma', subkeys: [{ name: 'Inner', values: [{ name: 'c', type: 1, data: sz('inner') }] }] },
    ],
  };
}

interface Case {
  code: RegfAnomalyCode;
  what: string;
  make: () => { bytes: Uint8Array; limits?: Partial<RegfLimits> };
  /** Further checks on the damaged hive (after a full exercise). */
  check?: (h: RegfHive, counts: { keys: number; values: number }) => void;
}

function patched(mutate: (b: BuiltHive) => void, t: BuildKey = tree(), options = {}): () => { bytes: Uint8Array } {
  return () => {
    const built = buildHive(t, options);
    mutate(built);
    return { bytes: built.bytes };
  };
}

/** The nk data start (after the size field) of a key by path. */
const nk = (b: BuiltHive, path: string) => b.keys.get(path)! + 4;
const vk = (b: BuiltHive, id: string) => b.values.get(id)! + 4;

const CASES: Case[] = [
  {
    code: 'REGF_BASE_BLOCK_TRUNCATED',
    what: 'a file of 100 bytes that starts with regf',
    make: () => ({ bytes: buildHive(tree()).bytes.slice(0, 100) }),
    check: (h) => assert.equal(h.root(), null),
  },
  {
    code: 'REGF_BAD_CHECKSUM',
    what: 'a base block byte changed without fixing the checksum',
    make: patched((b) => u32(b.bytes, 0x2c, 8)),
    check: (h, c) => {
      assert.equal(h.base.dirty, true);
      assert.equal(c.keys, 5);
    },
  },
  {
    code: 'REGF_DIRTY',
    what: 'primary and secondary sequence numbers differ',
    make: patched(() => {}, tree(), { sequence: [5, 4] }),
    check: (h) => assert.equal(h.base.dirty, true),
  },
  { code: 'REGF_VERSION', what: 'major version 2', make: patched((b) => (u32(b.bytes, 0x14, 2), fixChecksum(b.bytes))) },
  { code: 'REGF_NOT_PRIMARY', what: 'file type 1 (a log)', make: patched((b) => (u32(b.bytes, 0x1c, 1), fixChecksum(b.bytes))) },
  { code: 'REGF_FORMAT', what: 'file format 2', make: patched((b) => (u32(b.bytes, 0x20, 2), fixChecksum(b.bytes))) },
  {
    code: 'REGF_HBINS_SIZE',
    what: 'hive bins size not a multiple of 4096',
    make: patched((b) => (u32(b.bytes, 0x28, get32(b.bytes, 0x28) - 10), fixChecksum(b.bytes))),
    check: (_h, c) => assert.equal(c.keys, 5),
  },
  {
    code: 'REGF_TRUNCATED',
    what: 'the file cut in its last hive bin',
    make: patched((b) => {
      b.bytes = b.bytes.slice(0, b.bytes.length - 0x800);
    }),
    check: (h) => assert.ok(h.root() !== null),
  },
  {
    code: 'REGF_TRAILING_DATA',
    what: '4 KiB after the hive bins',
    make: patched((b) => {
      const longer = new Uint8Array(b.bytes.length + 0x1000);
      longer.set(b.bytes);
      b.bytes = longer;
    }),
    check: (h) => assert.equal(h.anomalies.find((a) => a.code === 'REGF_TRAILING_DATA')?.severity, 'info'),
  },
  {
    code: 'REGF_HBIN_SIGNATURE',
    what: "the second hive bin's signature overwritten; the parser resynchronises",
    make: patched((b) => b.bytes.set([0, 0, 0, 0], BASE + 0x1000)),
    check: (h) => assert.ok(h.root() !== null),
  },
  { code: 'REGF_HBIN_OFFSET', what: "a hive bin's offset field wrong", make: patched((b) => u32(b.bytes, BASE + 0x1000 + 4, 0x5000)) },
  {
    code: 'REGF_HBIN_SIZE',
    what: 'a hive bin size not a multiple of 4096',
    make: patched((b) => u32(b.bytes, BASE + 8, 0x1001)),
    check: (h) => assert.ok(h.root() !== null),
  },
  {
    code: 'REGF_CELL_SIZE',
    what: "Beta's value list cell with size 0",
    make: patched((b) => i32(b.bytes, BASE + get32(b.bytes, nk(b, 'Beta') + 0x28), 0)),
    check: (h) => assert.ok(codes(h).has('REGF_OFFSET_NOT_CELL')),
  },
  {
    code: 'REGF_CELL_UNALIGNED',
    what: 'the free cell at the end of a bin split into cells of 12 and n-12 bytes',
    make: patched((b) => {
      // The last cell of the last bin is the builder's free filler.
      const end = b.bytes.length;
      let c = end - 0x1000 + 0x20;
      while (c + Math.abs(new DataView(b.bytes.buffer).getInt32(c, true)) < end) c += Math.abs(new DataView(b.bytes.buffer).getInt32(c, true));
      const size = new DataView(b.bytes.buffer).getInt32(c, true);
      assert.ok(size >= 32, 'need a free cell of at least 32 bytes at the end');
      i32(b.bytes, c, 12);
      i32(b.bytes, c + 12, size - 12);
    }),
  },
  {
    code: 'REGF_OFFSET_OUT_OF_RANGE',
    what: "Beta's value list offset far past the end",
    make: patched((b) => u32(b.bytes, nk(b, 'Beta') + 0x28, 0x7fff0000)),
  },
  {
    code: 'REGF_OFFSET_NOT_CELL',
    what: "Gamma's subkey list offset 8 bytes into the list cell",
    make: patched((b) => u32(b.bytes, nk(b, 'Gamma') + 0x1c, rel(b.lists.get('Gamma')!) + 8)),
  },
  {
    code: 'REGF_CELL_UNALLOCATED',
    what: "Beta's key node cell marked free; it is still read",
    make: patched((b) => i32(b.bytes, b.keys.get('Beta')!, -new DataView(b.bytes.buffer).getInt32(b.keys.get('Beta')!, true))),
    check: (h) => assert.equal(h.findKey(['Beta'])?.name, 'Beta'),
  },
  {
    code: 'REGF_CELL_TOO_SMALL',
    what: "a subkey entry pointing to a 64-byte data cell that starts with 'nk'",
    make: patched((b) => {
      const data = b.data.get('Beta|bin')!;
      b.bytes.set([0x6e, 0x6b], data + 4);
      u32(b.bytes, b.lists.get('')! + 8, rel(data));
    }),
  },
  {
    code: 'REGF_ROOT',
    what: 'the root offset pointing to a value',
    make: patched((b) => (u32(b.bytes, 0x24, rel(b.values.get('Beta|b')!)), fixChecksum(b.bytes))),
    check: (h) => {
      assert.equal(h.root(), null);
      assert.ok(codes(h).has('REGF_KEY_SIGNATURE'));
    },
  },
  { code: 'REGF_ROOT_FLAGS', what: 'the root without the hive-entry flag', make: patched((b) => u16(b.bytes, nk(b, '') + 2, 0x20)) },
  {
    code: 'REGF_KEY_SIGNATURE',
    what: 'a subkey entry pointing to a value',
    make: patched((b) => u32(b.bytes, b.lists.get('')! + 8, rel(b.values.get('Beta|b')!))),
    check: (_h, c) => assert.equal(c.keys, 4),
  },
  {
    code: 'REGF_KEY_NAME',
    what: "Beta's name length 0x4000",
    make: patched((b) => u16(b.bytes, nk(b, 'Beta') + 0x48, 0x4000)),
  },
  {
    code: 'REGF_NAME_LENGTH',
    what: 'a key name of 300 characters',
    make: patched(() => {}, { name: 'ROOT', subkeys: [{ name: 'k'.repeat(300) }] }),
  },
  {
    code: 'REGF_NAME_NUL',
    what: 'key and value names with an embedded NUL (hidden from the Win32 API)',
    make: patched(() => {}, { name: 'ROOT', subkeys: [{ name: 'zero\0key', values: [{ name: 'zero\0val', type: 4, data: dword(1) }] }] }),
    check: (h) => assert.equal(h.anomalies.filter((a) => a.code === 'REGF_NAME_NUL').length, 2),
  },
  {
    code: 'REGF_KEY_NAME_BACKSLASH',
    what: 'a key named a\\b',
    make: patched(() => {}, { name: 'ROOT', subkeys: [{ name: 'a\\b' }] }),
  },
  {
    code: 'REGF_KEY_PARENT',
    what: "Inner's parent field pointing to Alpha",
    make: patched((b) => u32(b.bytes, nk(b, 'Gamma\\Inner') + 0x10, rel(b.keys.get('Alpha')!))),
  },
  {
    code: 'REGF_KEY_LOOP',
    what: "Inner's subkey list set to the root's list (a cycle)",
    make: patched((b) => {
      u32(b.bytes, nk(b, 'Gamma\\Inner') + 0x1c, rel(b.lists.get('')!));
      u32(b.bytes, nk(b, 'Gamma\\Inner') + 0x14, 3);
    }),
    check: (_h, c) => assert.equal(c.keys, 5),
  },
  {
    code: 'REGF_KEY_DEPTH',
    what: 'keys nested 520 deep',
    make: () => {
      let k: BuildKey = { name: 'leaf' };
      for (let i = 0; i < 520; i++) k = { name: `d${i}`, subkeys: [k] };
      return { bytes: buildHive({ name: 'ROOT', subkeys: [k] }).bytes };
    },
    check: (_h, c) => assert.equal(c.keys, 513),
  },
  {
    code: 'REGF_WALK_LIMIT',
    what: 'a walk limited to 3 keys',
    make: () => ({ bytes: buildHive(tree()).bytes, limits: { maxWalkKeys: 3 } }),
    check: (_h, c) => assert.equal(c.keys, 3),
  },
  {
    code: 'REGF_SUBKEY_LIST',
    what: "Gamma's list signature overwritten",
    make: patched((b) => b.bytes.set([0x78, 0x78], b.lists.get('Gamma')! + 4)),
  },
  {
    code: 'REGF_SUBKEY_COUNT',
    what: "the root declaring 5 subkeys for a list of 3",
    make: patched((b) => u32(b.bytes, nk(b, '') + 0x14, 5)),
    check: (_h, c) => assert.equal(c.keys, 5),
  },
  {
    code: 'REGF_SUBKEY_LIMIT',
    what: '40 subkeys read with a limit of 10',
    make: () => ({ bytes: buildHive({ name: 'ROOT', subkeys: manySubkeys(40) }).bytes, limits: { maxSubkeysPerKey: 10 } }),
    check: (_h, c) => assert.equal(c.keys, 11),
  },
  {
    code: 'REGF_RI_NESTED',
    what: "an index root whose first entry is another key's index root",
    make: patched(
      (b) => u32(b.bytes, b.lists.get('A')! + 8, rel(b.lists.get('B')!)),
      { name: 'ROOT', subkeys: [{ name: 'A', list: 'ri', riLeaf: 4, subkeys: manySubkeys(8, 'a') }, { name: 'B', list: 'ri', riLeaf: 4, subkeys: manySubkeys(8, 'b') }] },
    ),
    check: (h) => assert.ok(codes(h).has('REGF_KEY_LOOP') || codes(h).has('REGF_KEY_PARENT')),
  },
  {
    code: 'REGF_RI_DEPTH',
    what: 'a nested index root read with an ri depth limit of 1',
    make: () => {
      const b = buildHive({ name: 'ROOT', subkeys: [{ name: 'A', list: 'ri', riLeaf: 4, subkeys: manySubkeys(8, 'a') }, { name: 'B', list: 'ri', riLeaf: 4, subkeys: manySubkeys(8, 'b') }] });
      u32(b.bytes, b.lists.get('A')! + 8, rel(b.lists.get('B')!));
      return { bytes: b.bytes, limits: { maxRiDepth: 1 } };
    },
  },
  {
    code: 'REGF_LIST_LOOP',
    what: 'an index root that lists itself',
    make: patched(
      (b) => u32(b.bytes, b.lists.get('A')! + 12, rel(b.lists.get('A')!)),
      { name: 'ROOT', subkeys: [{ name: 'A', list: 'ri', riLeaf: 4, subkeys: manySubkeys(8, 'a') }] },
    ),
    check: (_h, c) => assert.equal(c.keys, 2 + 4),
  },
  {
    code: 'REGF_SUBKEY_HASH',
    what: "a wrong lh hash for Beta (Windows' lookups by name would miss it)",
    make: patched((b) => u32(b.bytes, b.lists.get('')! + 8 + 8 + 4, 0x12345678)),
    check: (h) => assert.equal(h.findKey(['Beta'])?.name, 'Beta'),
  },
  {
    code: 'REGF_SUBKEY_ORDER',
    what: 'subkeys listed out of order',
    make: patched(() => {}, { name: 'ROOT', keepOrder: true, subkeys: [{ name: 'b' }, { name: 'A' }] }),
  },
  {
    code: 'REGF_CLASS_NAME',
    what: "Alpha's class name length past its cell",
    make: patched((b) => u16(b.bytes, nk(b, 'Alpha') + 0x4a, 0x1000)),
    check: (h) => assert.match(h.className(h.findKey(['Alpha'])!)!, /^cls/),
  },
  {
    code: 'REGF_SECURITY',
    what: "Beta's security offset pointing to a value",
    make: patched((b) => u32(b.bytes, nk(b, 'Beta') + 0x2c, rel(b.values.get('Beta|b')!))),
  },
  {
    code: 'REGF_VALUE_LIST',
    what: "Beta declaring 9 values for a list of 2",
    make: patched((b) => u32(b.bytes, nk(b, 'Beta') + 0x24, 9)),
    check: (_h, c) => assert.equal(c.values, 5),
  },
  {
    code: 'REGF_VALUE_LIMIT',
    what: '2 values read with a limit of 1',
    make: () => ({ bytes: buildHive(tree()).bytes, limits: { maxValuesPerKey: 1 } }),
  },
  {
    code: 'REGF_VALUE_SIGNATURE',
    what: "a value list entry pointing to a key",
    make: patched((b) => u32(b.bytes, BASE + get32(b.bytes, nk(b, 'Beta') + 0x28) + 4, rel(b.keys.get('Alpha')!))),
    check: (_h, c) => assert.equal(c.values, 4),
  },
  {
    code: 'REGF_VALUE_NAME',
    what: "a value name length of 0x4000",
    make: patched((b) => u16(b.bytes, vk(b, 'Beta|b') + 2, 0x4000)),
  },
  {
    code: 'REGF_VALUE_DUPLICATE',
    what: 'two values named A and a',
    make: patched(() => {}, { name: 'ROOT', values: [{ name: 'A', type: 4, data: dword(1) }, { name: 'a', type: 4, data: dword(2) }] }),
  },
  {
    code: 'REGF_VALUE_DATA',
    what: "a value's data size larger than its cell",
    make: patched((b) => u32(b.bytes, vk(b, 'Beta|bin') + 4, 4000)),
    check: (h) => {
      const v = h.values(h.findKey(['Beta'])!).find((x) => x.name === 'bin')!;
      const d = h.data(v);
      assert.equal(d.truncated, true);
      assert.ok(d.bytes.length >= 64 && d.bytes.length < 4000);
    },
  },
  {
    code: 'REGF_VALUE_DATA_SIZE',
    what: 'a REG_DWORD of 3 bytes',
    make: patched(() => {}, { name: 'ROOT', values: [{ name: 'd', type: 4, data: Uint8Array.from([1, 2, 3]) }] }),
    check: (h) => assert.equal(h.text(h.values(h.root()!)[0]!), '010203'),
  },
  {
    code: 'REGF_VALUE_DATA_LIMIT',
    what: 'a 20,000-byte value read with a 1,000-byte limit',
    make: () => ({ bytes: buildHive(tree()).bytes, limits: { maxValueBytes: 1000 } }),
  },
  {
    code: 'REGF_BIG_DATA',
    what: 'a db record declaring one segment for 20,000 bytes',
    make: patched((b) => u16(b.bytes, b.data.get('Alpha|big')! + 6, 1)),
    check: (h) => {
      const v = h.values(h.findKey(['Alpha'])!).find((x) => x.name === 'big')!;
      assert.equal(h.data(v).bytes.length, 16344);
    },
  },
  {
    code: 'REGF_BIG_DATA_INLINE',
    what: '20,000 bytes in one cell of a 1.5 hive (as libhivex writes them)',
    make: patched(() => {}, { name: 'ROOT', values: [{ name: 'big', type: 3, data: pattern(20_000), storage: 'cell' }] }),
  },
  {
    code: 'REGF_DATA_BUDGET',
    what: 'a data budget of 100 bytes',
    make: () => ({ bytes: buildHive(tree()).bytes, limits: { dataBudget: 100 } }),
  },
];

test('every anomaly code has a hand-made hive below', () => {
  const covered = new Set(CASES.map((c) => c.code));
  const missing = Object.keys(REGF_ANOMALY_CODES).filter((c) => !covered.has(c as RegfAnomalyCode));
  assert.deepEqual(missing, []);
});

for (const c of CASES) {
  test(`${c.code}: ${c.what}`, () => {
    const { bytes, limits } = c.make();
    const h = parsed(bytes, limits);
    const counts = exercise(h);
    assert.ok(codes(h).has(c.code), `expected ${c.code}, got ${[...codes(h)].join(', ') || 'nothing'}`);
    const a = h.anomalies.find((x) => x.code === c.code)!;
    assert.equal(a.severity, REGF_ANOMALY_CODES[c.code].severity);
    assert.ok(a.message.length > 0);
    c.check?.(h, counts);
  });
}

test('the sound tree itself has no anomalies', () => {
  const h = parsed(buildHive(tree()).bytes);
  assert.deepEqual(exercise(h), { keys: 5, values: 5 });
  assert.deepEqual(h.anomalies, []);
});
