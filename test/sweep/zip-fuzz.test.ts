// Fuzz test of the ZIP container source: mutated and truncated real archives must never throw, never hang, and
// never hand out more than the extraction budget. FUZZ_RUNS sets the number of inputs (default 300).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ZipSource } from '../../src/sweep/sources/zip.js';
import { buildZip } from './zip-builder.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const seed = buildZip([
  { name: 'a/alpha.txt', data: Buffer.from('FIREBREAK-TEST-ALPHA '.repeat(40)) },
  { name: 'stored.bin', data: Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]), method: 0 },
  { name: 'inner.zip', data: buildZip([{ name: 'x.txt', data: Buffer.from('nested') }]) },
  { name: 'locked.txt', data: Buffer.from('secret'), encrypted: true, method: 0 },
]);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(seed.length - 1), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(seed.length) }),
  fc.record({ kind: fc.constant('u32' as const), at: fc.nat(seed.length - 4), value: fc.integer({ min: 0, max: 0xffffffff }) }),
);

function mutate(ms: { kind: 'set' | 'cut' | 'u32'; at: number; value?: number }[]): Buffer {
  let b = Buffer.from(seed);
  for (const m of ms) {
    if (m.kind === 'cut') b = b.subarray(0, Math.min(m.at, b.length));
    else if (m.kind === 'set' && m.at < b.length) b[m.at] = m.value!;
    else if (m.kind === 'u32' && m.at + 4 <= b.length) b.writeUInt32LE(m.value!, m.at);
  }
  return b;
}

test('the zip source never throws on mutated archives and stays within its budget', async () => {
  const zip = new ZipSource({ maxMemberSize: 1 << 20 });
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (ms) => {
      const bytes = mutate(ms);
      const budget = { bytesLeft: 1 << 20, entriesLeft: 50 };
      let taken = 0;
      let entries = 0;
      for await (const e of zip.open({ display: 'fuzz.zip', bytes, depth: 1 }, budget)) {
        assert.ok(++entries <= 51);
        if (e.kind === 'member') {
          taken += e.bytes.length;
          assert.ok(e.suffix.startsWith('!'));
        }
        if (e.kind === 'failure') assert.match(e.reason, /^archive-/);
      }
      assert.ok(taken <= 1 << 20);
      assert.ok(budget.bytesLeft >= 0 && budget.entriesLeft >= 0);
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261125) },
  );
});
