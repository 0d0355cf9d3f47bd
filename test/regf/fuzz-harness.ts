// Fuzzing the regf parser: fast-check mutates real hive bytes (the builder's and libhivex's) at structural fields and
// anywhere else, then everything a sweep or `firebreak hive` would read is read. No exception may escape.

import fc from 'fast-check';
import { isFirebreakError } from '../../src/core/errors.js';
import { identifyHive, openHiveListing, parseRegf, HivePaths } from '../../src/formats/regf/index.js';
import { buildHive, fixChecksum, type BuiltHive } from './builder.js';
import { allTypeValues, manySubkeys, nonAsciiKeys, pattern, systemTree } from './fixtures.js';

export interface Seed {
  name: string;
  bytes: Uint8Array;
  /** Offsets of record fields, where a mutation changes structure rather than data. */
  fields: number[];
}

function fieldsOf(b: BuiltHive): number[] {
  const out = [0x04, 0x08, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x28];
  for (const c of b.keys.values()) for (const f of [0, 6, 0x14, 0x18, 0x20, 0x28, 0x2c, 0x30, 0x34, 0x4c, 0x4e]) out.push(c + f);
  for (const c of b.values.values()) for (const f of [0, 6, 8, 12, 16]) out.push(c + f);
  for (const c of b.lists.values()) for (const f of [0, 4, 6, 8, 12, 16]) out.push(c + f);
  for (const c of b.data.values()) for (const f of [0, 4, 6, 8]) out.push(c + f);
  out.push(b.security, b.security + 4, b.security + 20);
  out.push(0x1000, 0x1004, 0x1008);
  return out.filter((o) => o < b.bytes.length);
}

/** Small sound hives with every record kind: lh/lf/li/ri lists, db big data, all value types, wide names. */
export function fuzzSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const add = (name: string, b: BuiltHive) => seeds.push({ name, bytes: b.bytes, fields: fieldsOf(b) });
  add('types', buildHive({ name: 'ROOT', className: 'c', values: allTypeValues(), subkeys: nonAsciiKeys() }));
  add(
    'lists',
    buildHive({
      name: 'ROOT',
      subkeys: [
        { name: 'ri', list: 'ri', riLeaf: 3, subkeys: manySubkeys(9, 'r') },
        { name: 'lf', list: 'lf', subkeys: manySubkeys(3, 'f') },
        { name: 'li', list: 'li', subkeys: manySubkeys(3, 'i') },
      ],
    }),
  );
  add('bigdata', buildHive({ name: 'ROOT', subkeys: [{ name: 'k', values: [{ name: 'v', type: 4, data: pattern(4) }] }, { name: 'l' }], values: [{ name: 'big', type: 3, data: pattern(16_345 + 2000) }, { name: 's', type: 1, data: pattern(40) }] }));
  add('system', buildHive(systemTree({ infected: true }), { fileName: '\\SystemRoot\\System32\\Config\\SYSTEM' }));
  return seeds;
}

type Mutation =
  | { kind: 'byte'; at: number; field: boolean; value: number }
  | { kind: 'u32'; at: number; field: boolean; value: number }
  | { kind: 'u16'; at: number; field: boolean; value: number }
  | { kind: 'truncate'; at: number };

const interesting32 = fc.oneof(
  fc.constantFrom(0, 1, 4, 8, 0x20, 0x1000, 0x3fd8, 0x7fffffff, 0x80000000, 0x80000004, 0xfffffff8, 0xffffffff),
  fc.integer({ min: 0, max: 0x4000 }),
  fc.nat(),
);
const interesting16 = fc.oneof(fc.constantFrom(0, 1, 0x20, 0x4c, 0xffff, 0x6b6e, 0x6b76, 0x6972, 0x686c, 0x6264), fc.integer({ min: 0, max: 0xffff }));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('u32' as const), at: fc.nat(), field: fc.boolean(), value: interesting32 }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('u16' as const), at: fc.nat(), field: fc.boolean(), value: interesting16 }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), field: fc.boolean(), value: fc.integer({ min: 0, max: 255 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), weight: 1 },
);

export const caseArb = fc.record({
  seed: fc.nat(),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
  fixChecksum: fc.boolean(),
});

export function mutate(seed: Seed, mutations: readonly Mutation[], fix: boolean): Uint8Array {
  let bytes = seed.bytes.slice();
  for (const m of mutations) {
    if (m.kind === 'truncate') {
      bytes = bytes.slice(0, m.at % (bytes.length + 1));
      continue;
    }
    if (bytes.length === 0) continue;
    const at = m.field ? seed.fields[m.at % seed.fields.length]! : m.at % bytes.length;
    const dv = new DataView(bytes.buffer);
    if (m.kind === 'byte' && at < bytes.length) bytes[at] = m.value;
    if (m.kind === 'u16' && at + 2 <= bytes.length) dv.setUint16(at, m.value, true);
    if (m.kind === 'u32' && at + 4 <= bytes.length) dv.setUint32(at, m.value >>> 0, true);
  }
  if (fix && bytes.length >= 0x200) fixChecksum(bytes);
  return bytes;
}

/** Everything the command and the sweep read from one input. Returns the keys walked. */
export function readAll(bytes: Uint8Array): number {
  const h = parseRegf(bytes);
  if (!h.isRegf) return 0;
  const id = identifyHive(h, { path: 'C:\\Users\\fuzz\\NTUSER.DAT' });
  const paths = new HivePaths(id);
  let keys = 0;
  for (const { key, path } of h.keys()) {
    keys++;
    paths.fullPaths(path);
    h.className(key);
    h.security(key);
    for (const v of h.values(key)) h.text(v);
  }
  try {
    const listing = openHiveListing(bytes, { path: 'fuzz', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services', recursive: true });
    for (const k of listing.keys()) void k;
  } catch (e) {
    if (!isFirebreakError(e)) throw e;
  }
  return keys;
}

/** Inputs slower than this are timed again (best of 3). */
const RETIME_MS = 10;

export interface FuzzReport {
  runs: number;
  /** Slowest input, each input timed as the best of up to 4 runs when its first took over RETIME_MS. */
  maxMs: number;
  /** Slowest single first run, garbage collections and JIT included. */
  rawMaxMs: number;
  slowest: string;
  keys: number;
}

/** Runs `runs` mutated inputs; throws (with fast-check's shrunk counterexample) when one throws. */
export function runFuzz(runs: number, seedValue?: number): FuzzReport {
  const seeds = fuzzSeeds();
  const report: FuzzReport = { runs: 0, maxMs: 0, rawMaxMs: 0, slowest: '', keys: 0 };
  fc.assert(
    fc.property(caseArb, (c) => {
      const seed = seeds[c.seed % seeds.length]!;
      const bytes = mutate(seed, c.mutations, c.fixChecksum);
      let t0 = performance.now();
      report.keys += readAll(bytes);
      let ms = performance.now() - t0;
      report.runs++;
      report.rawMaxMs = Math.max(report.rawMaxMs, ms);
      // A slow first timing is often a garbage collection or a JIT tier-up that happened to land on this input;
      // the input's own cost is the best of a few re-runs.
      for (let retry = 0; retry < 3 && ms > RETIME_MS; retry++) {
        t0 = performance.now();
        readAll(bytes);
        ms = Math.min(ms, performance.now() - t0);
      }
      if (ms > report.maxMs) {
        report.maxMs = ms;
        report.slowest = `${seed.name} fix=${c.fixChecksum} ${JSON.stringify(c.mutations)}`;
      }
    }),
    { numRuns: runs, ...(seedValue === undefined ? {} : { seed: seedValue }) },
  );
  return report;
}
