// Fuzz test of the regf parser over mutated real hives: a fixed number of inputs in CI (FIREBREAK_FUZZ_RUNS to
// change it; the long run is `node dist/test/regf/fuzz-long.js 1000000`).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzSeeds, readAll, runFuzz } from '../../../test/regf/fuzz-harness.js';

const RUNS = Number(process.env.FIREBREAK_FUZZ_RUNS ?? 3000);

test('the fuzz seeds are sound hives the parser walks completely', () => {
  for (const seed of fuzzSeeds()) assert.ok(readAll(seed.bytes) >= 3, seed.name);
});

test(`no exception escapes on ${RUNS} mutated hives`, (t) => {
  const report = runFuzz(RUNS);
  assert.equal(report.runs, RUNS);
  // Mutations must mostly leave something to walk, or the fuzzing only exercises the rejection path.
  assert.ok(report.keys > RUNS, `${report.keys} keys walked`);
  t.diagnostic(`slowest input ${report.maxMs.toFixed(2)} ms (first run ${report.rawMaxMs.toFixed(2)} ms): ${report.slowest.slice(0, 200)}`);
});
