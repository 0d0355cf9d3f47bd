// Whether a byte run's entropy is above a threshold, decided exactly but without counting every byte when a sound
// upper bound settles it: the high-entropy ("packed") section check, which would otherwise histogram every section.
//
// The bound. Take a class K of k byte values and let a be the fraction of the run's bytes that fall in K. Splitting
// the entropy on "in K or not" (the chain rule) and bounding each part by the log of its number of values:
//
//   H <= h(a) + a log2 k + (1 - a) log2(256 - k)        h(a) = -a log2 a - (1 - a) log2(1 - a)
//
// The right side, g(a), is 8 at a = k/256 and falls as a grows past it. So a count c of bytes in K, found in any part
// of the run, proves a >= c/N and, once c/N >= k/256, H <= g(c/N). When g(c/N) is below the threshold, the entropy
// is too. The classes used are the 255 aligned ranges [p, p + 2^m) of byte values (0 alone, small integers, ASCII
// letters...), whose membership a few 32-bit operations test for four bytes at once.
//
// The run is cut into up to 64 segments and a small sample (the first 64 bytes of each) is histogrammed. The sample
// picks the class to count and the order to count the segments in (densest first); counting stops as soon as it
// reaches the count that proves the bound, and when it never does the run is histogrammed exactly. The sample only
// chooses, it never decides: a sample that misleads (an adversary can make one) costs time, not exactness.

import { bytesMod, spanMod, WORD_SUM_MOD, wordView } from './checksum.js';
import { byteHistogram, entropyOfHistogram, histogram } from './entropy.js';

/** Runs shorter than this are histogrammed outright (a count would cost about as much as the histogram). */
export const BOUND_MIN_RUN = 2048;
/** Runs shorter than this count zero bytes without a sample. */
export const SAMPLE_MIN_RUN = 16384;
/** Bytes sampled at the start of each segment; segments per run at most and at least (a segment is >= 256 bytes). */
const SAMPLE_CHUNK = 64;
const MAX_SEGMENTS = 64;
const MIN_SEGMENTS = 4;
/** Bytes per segment below which runs have fewer, longer segments (at least MIN_SEGMENTS). */
const SEGMENT_BYTES = 4096;
/** A class is counted only when the sample holds this much more of it than the bound needs (else: exact at once). */
const SAMPLE_MARGIN = 1;
/**
 * The bound must come out this far below the threshold. It covers the rounding of g() and of the exact entropy
 * (both within 1e-12 of the true values), so a run the bound clears is one the exact computation clears too.
 */
const EPSILON = 1e-9;
/** Class sizes are 2^m for m = 0..7. */
const CLASS_BITS = 8;

export interface EntropyDecision {
  /** True when the entropy is above the threshold; always the same as `entropy(run) > threshold`. */
  above: boolean;
  /** The exact entropy when it had to be computed (always when `above`); null when a bound settled it. */
  entropy: number | null;
}

/** g(a) above: the largest entropy of a run with a fraction `a` of its bytes in a class of `k` values. */
export function classBound(a: number, k: number): number {
  let h = 0;
  if (a > 0) h -= a * Math.log2(a);
  if (a < 1) h -= (1 - a) * Math.log2(1 - a);
  return h + a * Math.log2(k) + (1 - a) * Math.log2(256 - k);
}

/** Per class size 2^m, the least fraction a with classBound(a) <= threshold - EPSILON, or null when none is. */
function neededFractions(threshold: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let m = 0; m < CLASS_BITS; m++) {
    const k = 1 << m;
    if (classBound(1, k) > threshold - EPSILON) {
      out.push(null);
      continue;
    }
    // classBound falls from 8 at k/256 to log2 k at 1: bisect for where it crosses.
    let lo = k / 256;
    let hi = 1;
    for (let i = 0; i < 64; i++) {
      const mid = (lo + hi) / 2;
      if (classBound(mid, k) <= threshold - EPSILON) hi = mid;
      else lo = mid;
    }
    out.push(hi);
  }
  return out;
}

/** Thresholds whose fractions are kept (the parser uses one; tests a few more). */
const NEEDED_CACHE_SIZE = 16;
const neededCache = new Map<number, (number | null)[]>();

function needed(threshold: number): (number | null)[] {
  let n = neededCache.get(threshold);
  if (n === undefined) {
    n = neededFractions(threshold);
    if (neededCache.size < NEEDED_CACHE_SIZE) neededCache.set(threshold, n);
  }
  return n;
}

/** The least count of class bytes in a run of n that proves entropy <= threshold - EPSILON, or null if none does. */
export function provingCount(n: number, m: number, threshold: number): number | null {
  const a = needed(threshold)[m];
  if (a === null || a === undefined) return null;
  const k = 1 << m;
  let c = Math.max(Math.ceil(a * n), Math.ceil((k * n) / 256));
  // Guard against rounding in a * n: step to the least count that meets the bound (one or two steps at most).
  while (c <= n && classBound(c / n, k) > threshold - EPSILON) c++;
  while (c - 1 >= (k * n) / 256 && classBound((c - 1) / n, k) <= threshold - EPSILON) c--;
  return c <= n ? c : null;
}

/** 1 when byte `b` is in the class, else 0, without a branch (a branch per byte mispredicts on mixed data). */
function isMember(b: number, pattern: number, mask: number): number {
  return (((b ^ pattern) & mask) - 1) >>> 31;
}

/**
 * The class of byte values [pattern, pattern + 2^m) to count, how many prove the bound, and the segments: their
 * boundaries (segments + 1 offsets) and the order to count them in. One plan is reused for every run (planning is
 * per section, and most sections are a few KiB: allocations would cost more than the sampling).
 */
export interface ClassPlan {
  m: number;
  pattern: number;
  target: number;
  segments: number;
  bounds: Float64Array;
  order: Uint8Array;
}

const plan: ClassPlan = { m: 0, pattern: 0, target: 0, segments: 0, bounds: new Float64Array(MAX_SEGMENTS + 1), order: new Uint8Array(MAX_SEGMENTS) };
/** Scratch tables of the sample (small typed arrays are slow to allocate: each has its own off-heap store). */
const sampleCounts = new Uint32Array(256);
const cumulative = new Uint32Array(257);
const density = new Uint8Array(MAX_SEGMENTS);

/**
 * Plans the count for data[s, e) from its sample, or null when no class clears SAMPLE_MARGIN (then: exact). The plan
 * returned is shared: it is valid until the next call.
 */
export function planCount(data: Uint8Array, s: number, e: number, threshold: number): ClassPlan | null {
  const n = e - s;
  if (n < SAMPLE_MIN_RUN) {
    // A short run: count zero bytes from its start, no sample (it would cost a cache miss per chunk). On the Wine
    // corpus this proves 98% of the sections from 2 to 16 KiB, reading 40% of their bytes.
    const target = provingCount(n, 0, threshold);
    if (target === null) return null;
    plan.m = 0;
    plan.pattern = 0;
    plan.target = target;
    plan.segments = 1;
    plan.bounds[0] = s;
    plan.bounds[1] = e;
    plan.order[0] = 0;
    return plan;
  }
  const segments = Math.max(MIN_SEGMENTS, Math.min(MAX_SEGMENTS, Math.floor(n / SEGMENT_BYTES)));
  const bounds = plan.bounds;
  for (let i = 0; i <= segments; i++) bounds[i] = s + Math.floor((i * n) / segments);
  const sample = sampleCounts.fill(0);
  for (let i = 0; i < segments; i++) {
    const at = bounds[i]!;
    for (let j = at; j < at + SAMPLE_CHUNK; j++) sample[data[j]!]!++;
  }
  const total = segments * SAMPLE_CHUNK;
  const cum = cumulative;
  for (let v = 0; v < 256; v++) cum[v + 1] = cum[v]! + sample[v]!;
  const need = needed(threshold);
  let bestRatio = 0;
  let bestM = -1;
  let bestPattern = 0;
  for (let m = 0; m < CLASS_BITS; m++) {
    const a = need[m];
    if (a === null || a === undefined) continue;
    const k = 1 << m;
    const scale = 1 / (total * a);
    for (let p = 0; p < 256; p += k) {
      const ratio = (cum[p + k]! - cum[p]!) * scale;
      if (ratio > bestRatio) {
        bestRatio = ratio;
        bestM = m;
        bestPattern = p;
      }
    }
  }
  if (bestM < 0 || bestRatio < SAMPLE_MARGIN) return null;
  const target = provingCount(n, bestM, threshold);
  if (target === null) return null;
  // Count the segments whose samples hold the most class bytes first: the target is reached sooner where they cluster.
  const mask = (0xff << bestM) & 0xff;
  const order = plan.order;
  for (let i = 0; i < segments; i++) {
    const at = bounds[i]!;
    let c = 0;
    for (let j = at; j < at + SAMPLE_CHUNK; j++) c += isMember(data[j]!, bestPattern, mask);
    density[i] = c;
    // Insertion sort, densest first, ties in file order (at most 64 entries).
    let k = i;
    while (k > 0 && density[order[k - 1]!]! < c) {
      order[k] = order[k - 1]!;
      k--;
    }
    order[k] = i;
  }
  plan.m = bestM;
  plan.pattern = bestPattern;
  plan.target = target;
  plan.segments = segments;
  return plan;
}

/** Bytes of data[s, e) in the class (mask: the class's fixed top bits), one at a time. */
function countBytes(data: Uint8Array, s: number, e: number, pattern: number, mask: number): number {
  let c = 0;
  for (let i = s; i < e; i++) c += isMember(data[i]!, pattern, mask);
  return c;
}

/** Words per block: each byte lane of the block counter holds at most 255. */
const LANE_BLOCK = 255;
/** countSpan's word sum is reduced modulo 0xFFFF once above this (exact doubles end at 2^53). */
const SUM_REDUCE_AT = 2 ** 52;
/** The word sum of the last block counted (a second result of the block loops, kept apart from an allocation). */
let blockSum = 0;

/**
 * The block loop: per byte lane, how many of the words u[w, end) (at most LANE_BLOCK) have a byte outside the class in
 * that lane; their sum goes to blockSum. Two words per step with two counters, so the adds do not wait on each other.
 */
function classLanes(u: Uint32Array, w: number, end: number, P: number, M: number): number {
  let lanes = 0;
  let lanes2 = 0;
  let part = 0;
  let part2 = 0;
  for (; w + 1 < end; w += 2) {
    const x = u[w]!;
    const x2 = u[w + 1]!;
    part += x;
    part2 += x2;
    const y = (x ^ P) & M;
    const y2 = (x2 ^ P) & M;
    lanes = (lanes + (((((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y) >>> 7) & 0x01010101)) | 0;
    lanes2 = (lanes2 + (((((y2 & 0x7f7f7f7f) + 0x7f7f7f7f) | y2) >>> 7) & 0x01010101)) | 0;
  }
  if (w < end) {
    const x = u[w]!;
    part += x;
    const y = (x ^ P) & M;
    lanes = (lanes + (((((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y) >>> 7) & 0x01010101)) | 0;
  }
  blockSum = part + part2;
  return (lanes + lanes2) | 0;
}

/** What a count has found so far: class bytes, the word sum modulo 0xFFFF of the bytes read, where it stopped. */
export interface Tally {
  count: number;
  sum: number;
  stop: number;
}

/**
 * Counts class bytes of data[s, e) into `t` (u: data's word view), stopping at a block boundary once t.count reaches
 * `target` (t.stop: the first byte not read), and adds the word sum of the bytes it read to t.sum. Four bytes per
 * 32-bit word: y = (x ^ pattern) & mask has a zero byte exactly where x has a class byte, and
 * (((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y) sets each byte's top bit exactly when that byte of y is non-zero.
 */
export function countSpan(d: Uint8Array, u: Uint32Array, s: number, e: number, plan: ClassPlan, t: Tally): void {
  const maskByte = (0xff << plan.m) & 0xff;
  if (e - s < 16) {
    t.count += countBytes(d, s, e, plan.pattern, maskByte);
    t.sum = (t.sum + bytesMod(d, s, e)) % WORD_SUM_MOD;
    t.stop = e;
    return;
  }
  const a = (s + 3) & ~3;
  const b = e & ~3;
  let count = t.count + countBytes(d, s, a, plan.pattern, maskByte);
  let sum = t.sum + bytesMod(d, s, a);
  const P = (plan.pattern * 0x01010101) >>> 0;
  const M = (maskByte * 0x01010101) >>> 0;
  let w = a >>> 2;
  const w1 = b >>> 2;
  while (w < w1 && count < plan.target) {
    const end = Math.min(w1, w + LANE_BLOCK);
    const lanes = classLanes(u, w, end, P, M);
    // Float modulo is a runtime call in V8: reduce only when the sum nears 2^53 (blocks add less than 2^40 each).
    sum += blockSum;
    if (sum > SUM_REDUCE_AT) sum %= WORD_SUM_MOD;
    count += 4 * (end - w) - ((lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24));
    w = end;
  }
  if (w >= w1) {
    count += countBytes(d, b, e, plan.pattern, maskByte);
    sum += bytesMod(d, b, e);
    t.stop = e;
  } else {
    t.stop = w << 2;
  }
  t.count = count;
  t.sum = sum % WORD_SUM_MOD;
}

/** Scratch histogram of decideRun's exact path. */
const exactCounts = new Uint32Array(256);

/**
 * Decides data[s, e) (d aligned, u its word view). With `withSum`, also returns the word sum modulo 0xFFFF of every
 * byte of the run, for the checksum: the counting and histogram loops add it for free, the rest is summed apart.
 */
export function decideRun(d: Uint8Array, u: Uint32Array, s: number, e: number, threshold: number, withSum: boolean): EntropyDecision & { sum: number } {
  const cls = e - s >= BOUND_MIN_RUN ? planCount(d, s, e, threshold) : null;
  if (cls !== null) {
    const t: Tally = { count: 0, sum: 0, stop: s };
    for (let k = 0; k < cls.segments; k++) {
      const i = cls.order[k]!;
      const a = cls.bounds[i]!;
      const b = cls.bounds[i + 1]!;
      if (t.count < cls.target) countSpan(d, u, a, b, cls, t);
      else t.stop = a;
      if (withSum && t.stop < b) t.sum = (t.sum + spanMod(d, u, t.stop, b)) % WORD_SUM_MOD;
    }
    if (t.count >= cls.target) return { above: false, entropy: null, sum: t.sum };
    const h = entropyOfHistogram(histogram(d, s, e, exactCounts), e - s);
    return { above: h > threshold, entropy: h, sum: t.sum };
  }
  const counts = exactCounts.fill(0);
  const sum = byteHistogram(d, s, e, counts);
  const h = entropyOfHistogram(counts, e - s);
  return { above: h > threshold, entropy: h, sum };
}

/**
 * Whether entropy(data, start, end) > threshold. The answer is always the exact one; the exact entropy is computed
 * only when no class count proves the run below the threshold.
 */
export function entropyAbove(data: Uint8Array, start: number, end: number, threshold: number): EntropyDecision {
  const s = Math.max(0, start);
  const e = Math.min(data.length, end);
  if (e <= s) return { above: 0 > threshold, entropy: 0 };
  // The word loops need a 4-aligned view; an unaligned run is copied (once) to get one.
  const d = (data.byteOffset + s) % 4 === 0 ? data.subarray(s, e) : data.slice(s, e);
  const r = decideRun(d, wordView(d), 0, d.length, threshold, false);
  return { above: r.above, entropy: r.entropy };
}
