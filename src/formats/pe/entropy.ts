// Shannon entropy of byte runs (bits per byte, 0..8), computed the way pefile's entropy_H is, for comparable figures.

import { bytesMod, WORD_SUM_MOD } from './checksum.js';

/** Scratch tables of byteHistogram, zeroed after each use (small typed arrays are slow to allocate). */
const c1 = new Uint32Array(256);
const c2 = new Uint32Array(256);
const c3 = new Uint32Array(256);
/** Words between reductions of the word sum (2^16 words of at most 2^32 stay exact in a double). */
const SUM_BLOCK = 1 << 16;

/**
 * Adds the byte counts of data[s, e) to `out`, and returns the word sum modulo 0xFFFF of those bytes (each weighted
 * by the parity of its offset in `data`), which the file scan needs for the checksum and which costs nothing here.
 * Four interleaved tables keep repeated bytes off one counter; an aligned run is read as 32-bit words, one byte lane
 * per table. (Counting 16-bit pairs in a 64K-entry table halves the increments but measured no faster on real code:
 * the table misses the cache and folding it back into bytes costs as much as a 100 KiB run.)
 */
export function byteHistogram(data: Uint8Array, s: number, e: number, out: Uint32Array): number {
  let i = s;
  let sum = 0;
  if (data.byteOffset % 4 === 0 && e - s >= 16) {
    for (; (i & 3) !== 0; i++) out[data[i]!]!++;
    sum = bytesMod(data, s, i);
    const u = new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2);
    const w1 = e >>> 2;
    for (let w = i >>> 2; w < w1; ) {
      const end = Math.min(w1, w + SUM_BLOCK);
      let part = 0;
      for (; w < end; w++) {
        const x = u[w]!;
        part += x;
        out[x & 0xff]!++;
        c1[(x >>> 8) & 0xff]!++;
        c2[(x >>> 16) & 0xff]!++;
        c3[x >>> 24]!++;
      }
      sum = (sum + (part % WORD_SUM_MOD)) % WORD_SUM_MOD;
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
    sum = bytesMod(data, s, i);
  }
  sum += bytesMod(data, i, e);
  for (; i < e; i++) out[data[i]!]!++;
  for (let b = 0; b < 256; b++) out[b] = out[b]! + c1[b]! + c2[b]! + c3[b]!;
  c1.fill(0);
  c2.fill(0);
  c3.fill(0);
  return sum % WORD_SUM_MOD;
}

/** Byte counts of data[start, end), into `out` (zeroed first). */
export function histogram(data: Uint8Array, start = 0, end = data.length, out = new Uint32Array(256)): Uint32Array {
  const s = Math.max(0, start);
  const e = Math.min(data.length, end);
  out.fill(0);
  if (e > s) byteHistogram(data, s, e, out);
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
