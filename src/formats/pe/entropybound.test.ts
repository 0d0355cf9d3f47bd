// The high-entropy decision without a histogram: always the exact answer, on crafted runs at the threshold, on runs
// built so that the sample misleads, on random mixtures, and on every section of the Wine corpus.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { wineCorpusFiles } from '../../../test/helpers/corpus.js';
import { zerosAndEven } from '../../../test/pe/malform.js';
import { entropy } from './entropy.js';
import { BOUND_MIN_RUN, classBound, entropyAbove, planCount, provingCount } from './entropybound.js';
import { HIGH_ENTROPY_THRESHOLD, parsePe } from './index.js';

/** Deterministic xorshift32 stream. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function check(d: Uint8Array, start: number, end: number, threshold: number, what: string): { bounded: boolean } {
  const exact = entropy(d, start, end);
  const got = entropyAbove(d, start, end, threshold);
  assert.equal(got.above, exact > threshold, `${what}: entropy ${exact} vs threshold ${threshold}`);
  if (got.entropy !== null) assert.equal(got.entropy, exact, `${what}: the entropy returned is the exact one`);
  if (got.above) assert.notEqual(got.entropy, null, `${what}: a run above the threshold has its entropy computed`);
  return { bounded: got.entropy === null };
}

test('the class bound holds on random byte distributions, for every class the decision can count', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(1000), { minLength: 256, maxLength: 256 }), (counts) => {
      const n = counts.reduce((a, b) => a + b, 0);
      fc.pre(n > 0);
      let h = 0;
      for (const c of counts) if (c > 0) h -= (c / n) * Math.log2(c / n);
      for (let m = 0; m < 8; m++) {
        const k = 1 << m;
        for (let p = 0; p < 256; p += k) {
          let in_ = 0;
          for (let v = p; v < p + k; v++) in_ += counts[v]!;
          if (in_ / n >= k / 256) assert.ok(h <= classBound(in_ / n, k) + 1e-12, `m=${m} p=${p}`);
        }
      }
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('provingCount gives the least count whose bound is under the threshold', () => {
  for (const t of [7.2, 6, 7.9]) {
    for (const n of [2048, 65536, 1 << 20]) {
      for (let m = 0; m < 8; m++) {
        const c = provingCount(n, m, t);
        if (c === null) {
          assert.ok(classBound(1, 1 << m) > t - 1e-9);
          continue;
        }
        assert.ok(classBound(c / n, 1 << m) <= t - 1e-9);
        if (c - 1 >= ((1 << m) * n) / 256) assert.ok(classBound((c - 1) / n, 1 << m) > t - 1e-9, `t=${t} n=${n} m=${m}`);
      }
    }
  }
});

test('constant, random and short runs', () => {
  const r = rng(3);
  const random = Uint8Array.from({ length: 1 << 17 }, () => r() & 0xff);
  assert.equal(check(random, 0, random.length, 7.2, 'random').bounded, false);
  assert.equal(check(new Uint8Array(1 << 17), 0, 1 << 17, 7.2, 'zeros').bounded, true);
  assert.equal(check(new Uint8Array(1 << 17).fill(0xcc), 0, 1 << 17, 7.2, 'int3 padding').bounded, true);
  for (const n of [0, 1, 511, BOUND_MIN_RUN - 1, BOUND_MIN_RUN, BOUND_MIN_RUN + 3]) {
    check(random, 0, n, 7.2, `random ${n}`);
    check(new Uint8Array(n), 0, n, 7.2, `zeros ${n}`);
  }
});

test('runs whose entropy sits just either side of the threshold, where the bound is tight', () => {
  // With the non-zero bytes exactly even, the entropy is the zero-class bound itself: the hardest case for it.
  for (const n of [4096, 65536, 300_000]) {
    const c = provingCount(n, 0, HIGH_ENTROPY_THRESHOLD)!;
    const outcomes = new Set<string>();
    for (let zeros = c - 40; zeros <= c + 40; zeros++) {
      const d = zerosAndEven(n, zeros, zeros);
      const exact = entropy(d);
      const { bounded } = check(d, 0, n, HIGH_ENTROPY_THRESHOLD, `n=${n} zeros=${zeros}`);
      outcomes.add(`${exact > HIGH_ENTROPY_THRESHOLD}/${bounded}`);
    }
    // Both sides of the threshold were reached, and the bound decided the runs below it.
    assert.ok(outcomes.has('true/false') && outcomes.has('false/true'), `n=${n}: ${[...outcomes].join(' ')}`);
  }
});

test('a sample that misleads costs time, never the answer', () => {
  const n = 1 << 18;
  const r = rng(11);
  const plan = planCount(new Uint8Array(n), 0, n, HIGH_ENTROPY_THRESHOLD);
  assert.ok(plan !== null);
  const chunks = Array.from({ length: plan.segments }, (_, i) => plan.bounds[i]!);

  // Zeros exactly where the sample looks, random bytes everywhere else: the sample says "mostly zeros".
  const a = Uint8Array.from({ length: n }, () => r() & 0xff);
  for (const at of chunks) a.fill(0, at, at + 64);
  assert.ok(planCount(a, 0, n, HIGH_ENTROPY_THRESHOLD) !== null, 'the sample does point at a class');
  const ra = entropyAbove(a, 0, n, HIGH_ENTROPY_THRESHOLD);
  assert.equal(ra.above, true);
  assert.equal(ra.entropy, entropy(a));

  // Random bytes where the sample looks, zeros everywhere else: the sample says "random".
  const b = new Uint8Array(n);
  for (const at of chunks) for (let j = at; j < at + 64; j++) b[j] = r() & 0xff;
  check(b, 0, n, HIGH_ENTROPY_THRESHOLD, 'random sample over zeros');

  // The sample sees only zeros, and the run holds exactly the count that proves the bound (the last one found at the
  // very end), or one fewer: the count must read to the end, and one short must fall back to the histogram.
  const c = provingCount(n, 0, HIGH_ENTROPY_THRESHOLD)!;
  const withZeros = (zeros: number): Uint8Array => {
    const inSample = new Uint8Array(n);
    for (const at of chunks) inSample.fill(1, at, at + 64);
    // Zeros in every sample chunk, the others at the end of the run; the rest cycles through 1..255.
    const d = new Uint8Array(n);
    let left = zeros - chunks.length * 64;
    for (let i = n - 1; i >= 0; i--) {
      if (inSample[i] === 1) continue;
      if (left > 0) left--;
      else d[i] = 1 + (i % 255);
    }
    return d;
  };
  const enough = withZeros(c);
  const short = withZeros(c - 1);
  assert.equal(enough.filter((b) => b === 0).length, c);
  assert.equal(check(enough, 0, n, HIGH_ENTROPY_THRESHOLD, 'exactly enough zeros').bounded, true);
  assert.equal(check(short, 0, n, HIGH_ENTROPY_THRESHOLD, 'one zero short').bounded, false);
});

test('unaligned views and runs, and odd lengths', () => {
  const r = rng(19);
  const base = new Uint8Array(70_003);
  for (let i = 0; i < base.length; i++) base[i] = (r() & 3) === 0 ? r() & 0xff : 0;
  for (const off of [0, 1, 2, 3]) {
    const view = base.subarray(off);
    for (const [s, e] of [
      [0, view.length],
      [1, 65_538],
      [5, 4_101],
      [4_099, 70_000 - off],
    ] as const) {
      check(view, s, e, HIGH_ENTROPY_THRESHOLD, `view +${off} [${s}, ${e})`);
      check(view, s, e, 3, `view +${off} [${s}, ${e}) at 3 bits`);
    }
  }
});

/** A run made of pieces: constant bytes, small values, a byte range, zeros or noise. */
const pieceArb = fc.record({
  kind: fc.constantFrom('constant', 'small', 'range', 'zeros', 'noise'),
  value: fc.nat(255),
  bits: fc.integer({ min: 1, max: 8 }),
  length: fc.nat(40_000),
});

test('random mixtures at random thresholds', () => {
  fc.assert(
    fc.property(fc.array(pieceArb, { minLength: 1, maxLength: 6 }), fc.nat(3), fc.double({ min: 1, max: 8, noNaN: true }), fc.integer({ min: 1, max: 0x7fffffff }), (pieces, offset, threshold, seed) => {
      const r = rng(seed);
      const parts = pieces.map((p) => {
        const d = new Uint8Array(p.length);
        for (let i = 0; i < d.length; i++) {
          if (p.kind === 'constant') d[i] = p.value;
          else if (p.kind === 'small') d[i] = r() & ((1 << p.bits) - 1);
          else if (p.kind === 'range') d[i] = (p.value & ~((1 << p.bits) - 1) & 0xff) | (r() & ((1 << p.bits) - 1));
          else if (p.kind === 'noise') d[i] = r() & 0xff;
        }
        return d;
      });
      const total = parts.reduce((a, p) => a + p.length, 0);
      const buf = new Uint8Array(offset + total + 3);
      let at = offset;
      for (const p of parts) {
        buf.set(p, at);
        at += p.length;
      }
      for (const t of [threshold, HIGH_ENTROPY_THRESHOLD]) check(buf, offset, offset + total, t, `pieces ${JSON.stringify(pieces.map((p) => [p.kind, p.length]))}`);
    }),
    { numRuns: 200, seed: 20261126 },
  );
});

test('every section of the Wine corpus: the same decision as the exact entropy, at many thresholds', () => {
  const files = wineCorpusFiles();
  assert.ok(files.length > 600, 'the corpus is there');
  const thresholds = [HIGH_ENTROPY_THRESHOLD, 2, 4, 5, 5.5, 6, 6.5, 7, 7.5, 7.9];
  let runs = 0;
  let bytes = 0;
  let boundedBytes = 0;
  let flagged = 0;
  for (const f of files) {
    const data = new Uint8Array(readFileSync(f));
    const pe = parsePe(data);
    assert.ok(pe.isPe);
    const ranges = pe.sections.map((s) => [s.dataStart, s.dataEnd] as const);
    const ov = pe.overlay;
    if (ov !== null) ranges.push([ov.offset, ov.offset + ov.size]);
    for (const [s, e] of ranges) {
      if (e - s < 512) continue;
      const exact = entropy(data, s, e);
      for (const t of thresholds) {
        const got = entropyAbove(data, s, e, t);
        if (got.above !== exact > t) assert.fail(`${f} [${s}, ${e}) threshold ${t}: entropy ${exact}, decided ${got.above}`);
        if (got.entropy !== null && got.entropy !== exact) assert.fail(`${f} [${s}, ${e}): entropy ${got.entropy} vs ${exact}`);
        if (t === HIGH_ENTROPY_THRESHOLD && got.entropy === null) boundedBytes += e - s;
      }
      runs++;
      bytes += e - s;
    }
    // The parser's own decisions (the fused file scan) flag exactly the sections whose exact entropy is above.
    const expected = pe.sections.filter((s) => s.dataEnd - s.dataStart >= 512 && entropy(data, s.dataStart, s.dataEnd) > HIGH_ENTROPY_THRESHOLD).map((s) => s.dataStart);
    const got = pe.anomalies.filter((a) => a.code === 'PE_SECTION_HIGH_ENTROPY').map((a) => a.offset);
    assert.deepEqual(got, expected, f);
    flagged += got.length;
  }
  // The shortcut is what decides most bytes at the parser's threshold, so the equality above is a test of it.
  assert.ok(boundedBytes > bytes * 0.7, `${boundedBytes} of ${bytes} bytes decided by the bound`);
  assert.ok(flagged > 0, 'some corpus sections are above the threshold');
  assert.ok(runs > 10_000);
});
