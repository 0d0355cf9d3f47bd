// Fuzzes the partition, FAT and exFAT readers with fast-check, mutating real images built by the test builders.
// FIREBREAK_FUZZ_RUNS sets the runs per base image (CI: a fixed small number); the long run is test/media/fuzz-long.ts.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { tempDir } from '../../../test/media/fat-builder.js';
import { buildFuzzBases, type FuzzBase, mutation, runInput } from '../../../test/media/fuzz-inputs.js';

const RUNS = Number(process.env.FIREBREAK_FUZZ_RUNS ?? 200);
const work = tempDir();
after(() => rmSync(work, { recursive: true, force: true }));
let bases: FuzzBase[] = [];
before(() => {
  bases = buildFuzzBases(work);
});

test('no mutated image makes the readers throw, and the work per image stays bounded', () => {
  let inputs = 0;
  for (const b of bases) {
    fc.assert(
      fc.property(mutation(b), (m) => {
        const o = runInput(b, m);
        // Each directory cluster is read once (loops and shared directories are refused), so the directory bytes read
        // never exceed the image itself plus a fixed root region; slack reads are bounded the same way.
        assert.ok(o.directoryBytes <= b.bytes.length + 4 * 1024 * 1024, `${b.name}: ${o.directoryBytes} directory bytes`);
        assert.ok(o.slackBytes <= b.bytes.length, `${b.name}: ${o.slackBytes} slack bytes`);
        inputs++;
      }),
      { numRuns: RUNS, seed: Number(process.env.FIREBREAK_FUZZ_SEED ?? 6) },
    );
  }
  assert.equal(inputs, RUNS * bases.length);
});
