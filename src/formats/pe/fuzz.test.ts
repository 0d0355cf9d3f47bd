// Property: no mutation of a real PE file makes parsePe (or any lazy part, or the renderings) throw.
// A fixed number of runs with a fixed seed, so CI is repeatable; bench/pe-fuzz.ts runs the long campaign.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { exercise, fuzzInputArb, mutate } from '../../../test/pe/fuzz.js';
import { fuzzSeeds } from '../../../test/pe/seeds.js';

const RUNS = Number(process.env.FIREBREAK_FUZZ_RUNS ?? 3000);
const SEED = Number(process.env.FIREBREAK_FUZZ_SEED ?? 20261125);

test(`parsePe survives ${RUNS} mutated PE files`, () => {
  const seeds = fuzzSeeds();
  assert.ok(seeds.length >= 12);
  let parsed = 0;
  fc.assert(
    fc.property(fuzzInputArb, (input) => {
      if (exercise(mutate(seeds, input)) !== null) parsed++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  // Most mutants are still PE files, so the deep parts were reached.
  assert.ok(parsed > RUNS / 2, `${parsed} of ${RUNS} mutants parsed as PE`);
});

test('the clean seeds parse with every part touched', () => {
  for (const s of fuzzSeeds()) assert.ok(exercise(s.bytes), s.name);
});
