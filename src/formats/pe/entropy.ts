// Shannon entropy of byte runs (bits per byte, 0..8), computed the way pefile's entropy_H is, for comparable figures.

import { WORD_SUM_MOD } from './checksum.js';

/** Runs at least this long are counted by 16-bit pairs: half the increments, at the price of a 64K-entry table. */
export const PAIR_MIN = 1 << 18;
/** Words between reductions of the pair loop's word sum (2^16 words of at most 2^32 stay exact in a double). */
const PAIR_SUM_BLOCK = 1 << 16;

/** Scratch table of the pair histogram, kept between calls (zeroed after each use). */
let pairTable: Uint32Array | null = null;

/** Scratch tables of byteHistogram, zeroed after each use (small typed arrays are slow to allocate). */
const c1 = new Uint32Array(256);
const c2 = new Uint32Array(256);
const c3 = new Uint32Array(256);

/**
 * Adds the byte counts of data[s, e) to `out` (exported for the file scan). Four interleaved tables keep repeated
 * bytes off one counter; an aligned run is read as 32-bit words, one byte lane per table.
 */
export function byteHistogram(data: Uint8Array, s: number, e: number, out: Uint32Array): void {
  let i = s;
  if (data.byteOffset % 4 === 0 && e - s >= 16) {
    for (; (i & 3) !== 0; i++) out[data[i]!]!++;
    const u = new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2);
    const w1 = e >>> 2;
    for (let w = i >>> 2; w < w1; w++) {
      const x = u[w]!;
      out[x & 0xff]!++;
      c1[(x >>> 8) & 0xff]!++;
      c2[(x >>> 16) & 0xff]!++;
      c3[x >>> 24]!++;
    }
    i = w1 << 2;
  } else {
    const e4 = s + ((e - s) & ~3);
    for (; i < e4; i += 4) {
      out[data[i]!]!++;
      c1[data[i + 1]!]!++;
      c2[data[i + 2]!]!++;
      c3[data[i + 3]!]!++;
    }
  }
  for (; i < e; i++) out[data[i]!]!++;
  for (let b = 0; b < 256; b++) out[b] = out[b]! + c1[b]! + c2[b]! + c3[b]!;
  c1.fill(0);
  c2.fill(0);
  c3.fill(0);
}

/**
 * Adds the byte counts of the 32-bit words u[w0, w1) to `out`, counted as 16-bit pairs: each pair's low byte is a
 * column and its high byte a row of the 256 x 256 table, so the byte counts are the table's row sums plus its column
 * sums. Returns the words' sum modulo 0xFFFF, which the file scan needs for the checksum and costs nothing here.
 */
export function pairHistogram(u: Uint32Array, w0: number, w1: number, out: Uint32Array): number {
  const t = (pairTable ??= new Uint32Array(65536));
  let sum = 0;
  for (let w = w0; w < w1; ) {
    const end = Math.min(w1, w + PAIR_SUM_BLOCK);
    let part = 0;
    for (; w < end; w++) {
      const x = u[w]!;
      part += x;
      t[x & 0xffff]!++;
      t[x >>> 16]!++;
    }
    sum = (sum + (part % WORD_SUM_MOD)) % WORD_SUM_MOD;
  }
  for (let hi = 0; hi < 256; hi++) {
    let row = 0;
    const base = hi << 8;
    for (let lo = 0; lo < 256; lo++) {
      const n = t[base + lo]!;
      row += n;
      out[lo] = out[lo]! + n;
    }
    out[hi] = out[hi]! + row;
  }
  t.fill(0);
  return sum;
}

/** Byte counts of data[start, end), into `out` (zeroed first). */
export function histogram(data: Uint8Array, start = 0, end = data.length, out = new Uint32Array(256)): Uint32Array {
  const s = Math.max(0, start);
  const e = Math.min(data.length, end);
  out.fill(0);
  if (e - s < PAIR_MIN || data.byteOffset % 4 !== 0) {
    if (e > s) byteHistogram(data, s, e, out);
    return out;
  }
  const a = (s + 3) & ~3;
  const b = e & ~3;
  byteHistogram(data, s, a, out);
  pairHistogram(new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2), a >>> 2, b >>> 2, out);
  byteHistogram(data, b, e, out);
  return out;
}

/** Entropy from a histogram of `total` bytes; 0 for an empty run. */
export function entropyOfHistogram(counts: Uint32Array, total: number): number {
  if (total <= 0) return 0;
  let h = 0;
  for (let b = 0; b < 256; b++) {
    const n = counts[b]!;
    if (n === 0) continue;
    const p = n / total;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Scratch histogram of entropy(). */
const counts = new Uint32Array(256);

export function entropy(data: Uint8Array, start = 0, end = data.length): number {
  const s = Math.max(0, start);
  const e = Math.min(data.length, end);
  return entropyOfHistogram(histogram(data, s, e, counts), e - s);
}
