// Fuzzing code recovery and capability analysis: mutated real PEs and random code never throw and always finish.
// FUZZ_RUNS=N raises the number of inputs (CI uses the small default; a long run is done by hand).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyzeCapabilities, createCapabilityEngine } from '../capabilities/analyze.js';
import { PROJECT_ROOT } from '../../test/helpers/paths.js';
import { wineCorpusFiles } from '../../test/helpers/corpus.js';
import { PROGRAMS, build } from '../../test/capa/programs.js';
import type { CodeImage } from './image.js';
import { recoverProgram } from './recover.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const engine = createCapabilityEngine([{ path: join(PROJECT_ROOT, 'rules', 'capabilities'), ruleSet: 'firebreak' }]);

const mutation = fc.array(
  fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), headers: fc.boolean() }),
  { minLength: 1, maxLength: 24 },
);

function mutate(base: Uint8Array, edits: { at: number; byte: number; headers: boolean }[]): Uint8Array {
  const b = base.slice();
  // Half the edits land in the headers, where they change how the whole image is read.
  for (const e of edits) b[e.headers ? e.at % Math.min(0x400, b.length) : e.at % b.length] = e.byte;
  return b;
}

/** A clock that moves a millisecond per look, so a budget runs out after a known number of checks. */
function tickingClock(): () => number {
  let t = 0;
  return () => ++t;
}

for (const [label, path] of [
  ['MinGW x86 program', () => build(PROGRAMS.find((p) => p.source === 'httpclient.c')!, 'x86')],
  ['MinGW x64 program', () => build(PROGRAMS.find((p) => p.source === 'encode.c')!, 'x64')],
  ['Wine DLL', () => wineCorpusFiles().find((f) => f.endsWith('/acledit.dll'))!],
] as const) {
  test(`mutated ${label}: analysis never throws, and stops at its budget`, () => {
    const base = new Uint8Array(readFileSync(path()));
    fc.assert(
      fc.property(mutation, fc.integer({ min: 1, max: 400 }), (edits, budget) => {
        const bytes = mutate(base, edits);
        const r = analyzeCapabilities(bytes, { engine, timeBudgetMs: budget, now: tickingClock() });
        assert.ok(Array.isArray(r.capabilities));
        if (r.isPe && r.program) {
          // Every block's instructions lie in the image, and every function has its entry block first.
          for (const f of r.program.functions.values()) {
            if (f.blocks.length > 0) assert.equal(f.blocks[0]!.va, f.va);
            for (const bb of f.blocks) for (const i of bb.insns) assert.ok(r.program.view.isExecutable(i.va));
          }
        }
        if (r.partial) assert.ok(r.partialReason);
      }),
      { numRuns: RUNS, seed: 4242 },
    );
  });
}

test('random bytes as code: recovery never throws and respects an instruction budget', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.boolean(), (code, is64) => {
      const base = is64 ? 0x140000000 : 0x400000;
      const img: CodeImage = {
        bitness: is64 ? 64 : 32,
        imageBase: base,
        sizeOfImage: 0x3000,
        headers: new Uint8Array(0x200),
        sections: [
          { name: '.text', va: base + 0x1000, virtualSize: 0x1000, data: code, executable: true, writable: false },
          { name: '.data', va: base + 0x2000, virtualSize: 0x1000, data: code, executable: false, writable: true },
        ],
        entryPoints: [
          { va: base + 0x1000, kind: 'entry' },
          { va: base + 0x1000 + (code[0]! % code.length), kind: 'export' },
        ],
        imports: new Map([[base + 0x2000, { dll: 'KERNEL32.dll', name: 'ExitProcess', ordinal: null }]]),
        relocatedSlots: null,
      };
      const p = recoverProgram(img, { maxInstructions: 2000 });
      assert.ok(p.instructionCount <= 2000 + 1024 * 4);
      for (const f of p.functions.values()) for (const bb of f.blocks) assert.ok(bb.insns.length > 0);
    }),
    { numRuns: RUNS * 20, seed: 77 },
  );
});
