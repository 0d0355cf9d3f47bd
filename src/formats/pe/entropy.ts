// Shannon entropy of byte runs (bits per byte, 0..8), computed the way pefile's entropy_H is, for comparable figures.

/** Byte counts of data[start, end). Four interleaved tables keep repeated bytes from serialising on one counter. */
export function histogram(data: Uint8Array, start = 0, end = data.length): Uint32Array {
  const s = Math.max(0, start);
  const e = Math.min(data.length, end);
  const c0 = new Uint32Array(256);
  const c1 = new Uint32Array(256);
  const c2 = new Uint32Array(256);
  const c3 = new Uint32Array(256);
  let i = s;
  const e4 = s + ((e - s) & ~3);
  for (; i < e4; i += 4) {
    c0[data[i]!]!++;
    c1[data[i + 1]!]!++;
    c2[data[i + 2]!]!++;
    c3[data[i + 3]!]!++;
  }
  for (; i < e; i++) c0[data[i]!]!++;
  for (let b = 0; b < 256; b++) c0[b] = c0[b]! + c1[b]! + c2[b]! + c3[b]!;
  return c0;
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

export function entropy(data: Uint8Array, start = 0, end = data.length): number {
  const s = Math.max(0, start);
  const e = Math.min(data.length, end);
  return entropyOfHistogram(histogram(data, s, e), e - s);
}
