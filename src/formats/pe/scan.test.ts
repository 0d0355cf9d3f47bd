// The fused file scan: its checksum is the plain one and its decisions the exact ones, whatever the ranges and their
// alignment, and whether the counts stop early or fall back to the histogram.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { zerosAndEven, noise } from '../../../test/pe/malform.js';
import { peChecksum } from './checksum.js';
import { entropy } from './entropy.js';
import { scanFile } from './scan.js';

/** A file of pieces that send the scan down each of its paths: zeros, noise, small values, text-like bytes. */
const pieceArb = fc.record({
  kind: fc.constantFrom('zeros', 'noise', 'small', 'edge', 'text'),
  length: fc.integer({ min: 0, max: 70_000 }),
});

function build(pieces: { kind: string; length: number }[], seed: number): Uint8Array {
  const parts = pieces.map((p, i) => {
    if (p.kind === 'zeros') return new Uint8Array(p.length);
    if (p.kind === 'noise') return noise(p.length, seed + i);
    if (p.kind === 'small') return noise(p.length, seed + i).map((b) => b & 7);
    if (p.kind === 'text') return noise(p.length, seed + i).map((b) => 0x61 + (b % 26));
    // About as many zeros as the bound needs: decided either way, by the count or by the histogram.
    return zerosAndEven(p.length, Math.round(p.length * 0.186), seed + i);
  });
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test('scanFile: checksum and decisions equal the plain computations', () => {
  fc.assert(
    fc.property(
      fc.array(pieceArb, { minLength: 1, maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.nat(3),
      fc.nat(),
      fc.double({ min: 2, max: 8, noNaN: true }),
      fc.integer({ min: 1, max: 1 << 30 }),
      (pieces, cuts, offset, field, threshold, seed) => {
        const body = build(pieces, seed);
        // The file as a view at an unaligned offset of its buffer now and then, as a pooled Buffer would be.
        const buf = new Uint8Array(body.length + offset);
        buf.set(body, offset);
        const data = buf.subarray(offset);
        const points = [...new Set(cuts.map((c) => (body.length === 0 ? 0 : c % (body.length + 1))))].sort((a, b) => a - b);
        const ranges: { start: number; end: number }[] = [];
        for (let i = 0; i + 1 < points.length; i += 2) ranges.push({ start: points[i]!, end: points[i + 1]! });
        const checksumOffset = body.length === 0 ? 0 : field % body.length;
        for (const t of [threshold, 7.2]) {
          const r = scanFile(data, ranges, t, checksumOffset);
          assert.equal(r.checksum, peChecksum(data, checksumOffset));
          ranges.forEach((g, i) => {
            const exact = entropy(data, g.start, g.end);
            assert.equal(r.decisions[i]!.above, exact > t, `[${g.start}, ${g.end}) at ${t}: ${exact}`);
            if (r.decisions[i]!.entropy !== null) assert.equal(r.decisions[i]!.entropy, exact);
          });
          const unsummed = scanFile(data, ranges, t, null);
          assert.equal(unsummed.checksum, null);
          assert.deepEqual(unsummed.decisions, r.decisions);
        }
      },
    ),
    { numRuns: 150, seed: 20261126 },
  );
});
