// Fuzz tests: feature extraction, digest parsing and comparison never throw on hostile input (fast-check).
// FIREBREAK_FUZZ_RUNS scales the runs (a long run: FIREBREAK_FUZZ_RUNS=1000000 for the parsers).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { extractFeatures } from './features.js';
import { parseTlsh, tlshDistance, formatTlsh, tlsh } from './tlsh.js';
import { parseSsdeep, ssdeepCompare, ssdeep } from './ssdeep.js';
import { extractStrings } from './strings.js';
import { buildFixtures } from '../../test/similarity/families.js';

const scale = Number(process.env.FIREBREAK_FUZZ_RUNS ?? 0);
const runs = (ci: number): number => (scale > 0 ? scale : ci);

/** Real bytes with a few bytes overwritten, or cut short: hostile files that still look like PE files. */
function mutated(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({ at: fc.nat({ max: base.length - 1 }), value: fc.integer({ min: 0, max: 255 }) });
  return fc.record({ edits: fc.array(edit, { minLength: 1, maxLength: 16 }), cut: fc.option(fc.nat({ max: base.length }), { freq: 4 }) }).map(({ edits, cut }) => {
    const b = Uint8Array.from(base);
    for (const e of edits) b[e.at] = e.value;
    return cut === null ? b : b.subarray(0, cut);
  });
}

test('extractFeatures never throws on mutated PE files (headers, tables and code)', () => {
  const fx = buildFixtures().filter((f) => f.id === 'sieve-x64-O0' || f.id === 'b64-x86-O0');
  for (const f of fx) {
    const base = readFileSync(f.path);
    // Mutations of the first 4 KiB hit the headers and tables; the rest of the file, code and data.
    const headerEdits = mutated(base.subarray(0, 4096)).map((h) => {
      const b = Uint8Array.from(base);
      b.set(h.subarray(0, Math.min(h.length, 4096)));
      return h.length < 4096 ? b.subarray(0, h.length) : b;
    });
    fc.assert(
      fc.property(fc.oneof(headerEdits, mutated(base)), (bytes) => {
        const r = extractFeatures(bytes, { name: 'fuzz' });
        assert.equal(r.size, bytes.length);
        assert.ok(r.functions.every((fn) => /^[0-9a-f]{16}$/.test(fn.hash)));
      }),
      { numRuns: runs(40), seed: 0x5eed },
    );
  }
});

test('TLSH and ssdeep parsers and comparisons never throw, and stay in range', () => {
  const real = readFileSync(buildFixtures()[0]!.path);
  const t = formatTlsh(tlsh(real)!);
  const s = ssdeep(real);
  const hexish = fc.stringMatching(/^(T1)?[0-9A-Fa-f]{0,72}$/);
  const sigish = fc.stringMatching(/^[0-9]{0,12}:[A-Za-z0-9+/]{0,80}:[A-Za-z0-9+/:,]{0,80}$/);
  fc.assert(
    fc.property(fc.oneof(hexish, fc.string(), fc.constant(t)), fc.oneof(sigish, fc.string({ maxLength: 300 }), fc.constant(s)), (x, y) => {
      const d = parseTlsh(x);
      if (d) assert.ok(tlshDistance(d, parseTlsh(t)!) >= 0);
      parseSsdeep(y);
      const c = ssdeepCompare(y, s);
      assert.ok(c === null || (c >= 0 && c <= 100));
    }),
    { numRuns: runs(2000), seed: 0x7151 },
  );
});

test('string extraction on random bytes is bounded and never throws', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
      const out = extractStrings(bytes);
      assert.ok(out.every((x) => x.length >= 6 && x.length <= 200));
    }),
    { numRuns: runs(300), seed: 0x57 },
  );
});
