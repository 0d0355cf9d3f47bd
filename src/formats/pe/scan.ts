// One pass over a file for everything that needs every byte: the checksum's word sum and the byte histograms of
// chosen ranges (section data, overlay). Fused because these passes, not the structures, dominate parse time.

export interface ScanRange {
  start: number;
  end: number;
}

export interface ScanResult {
  /** Sum of the file's 16-bit little-endian words (a trailing odd byte counts as a word), unfolded. */
  wordSum: number;
  /** One 256-entry histogram per range, in the order given. */
  histograms: Uint32Array[];
}

/** Words summed in int32 before being added to the float total: 8192 × 0x1fffe stays below 2^31. */
const SUM_BLOCK = 8192;

/** Adds data[s, e) to the word sum (byte weight by absolute parity) and, if given, to four histogram tables. */
function scanBytes(d: Uint8Array, s: number, e: number, h: Uint32Array[] | null): number {
  let sum = 0;
  for (let i = s; i < e; i++) {
    const b = d[i]!;
    sum += (i & 1) === 0 ? b : b << 8;
    if (h !== null) h[0]![b]!++;
  }
  return sum;
}

/**
 * The aligned middle: whole 32-bit words from word index w0 to w1 of `u`. The checksum-only loop is written out apart
 * from the histogram loop on purpose: this is the hottest code of the parser, and V8 keeps each loop tight.
 */
function scanWords(u: Uint32Array, w0: number, w1: number, h: Uint32Array[] | null): number {
  let total = 0;
  let w = w0;
  if (h === null) {
    while (w < w1) {
      const blockEnd = Math.min(w1, w + SUM_BLOCK);
      let part = 0;
      for (; w < blockEnd; w++) {
        const x = u[w]!;
        part = (part + (x & 0xffff) + (x >>> 16)) | 0;
      }
      total += part;
    }
    return total;
  }
  const c0 = h[0]!;
  const c1 = h[1]!;
  const c2 = h[2]!;
  const c3 = h[3]!;
  while (w < w1) {
    const blockEnd = Math.min(w1, w + SUM_BLOCK);
    let part = 0;
    for (; w < blockEnd; w++) {
      const x = u[w]!;
      part = (part + (x & 0xffff) + (x >>> 16)) | 0;
      c0[x & 0xff]!++;
      c1[(x >>> 8) & 0xff]!++;
      c2[(x >>> 16) & 0xff]!++;
      c3[x >>> 24]!++;
    }
    total += part;
  }
  return total;
}

/** Scans data[s, e): unaligned edges byte by byte, the rest as words when the buffer allows. */
function scanSpan(d: Uint8Array, u: Uint32Array | null, s: number, e: number, h: Uint32Array[] | null): number {
  if (e <= s) return 0;
  if (u === null || e - s < 16) return scanBytes(d, s, e, h);
  const a = (s + 3) & ~3;
  const b = e & ~3;
  return scanBytes(d, s, a, h) + scanWords(u, a >>> 2, b >>> 2, h) + scanBytes(d, b, e, h);
}

/**
 * Scans `data` once. `ranges` must be sorted by start and must not overlap (callers hash overlapping ranges apart).
 * Histograms are summed from four interleaved tables, so repeated bytes do not serialise on one counter.
 */
export function scanFile(data: Uint8Array, ranges: readonly ScanRange[]): ScanResult {
  // A word view needs a 4-aligned start; a Uint8Array over an unaligned offset falls back to byte reads.
  const u = data.byteOffset % 4 === 0 && data.length < 0x80000000 ? new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2) : null;
  const histograms: Uint32Array[] = [];
  let sum = 0;
  let at = 0;
  for (const r of ranges) {
    const start = Math.max(at, Math.min(r.start, data.length));
    const end = Math.max(start, Math.min(r.end, data.length));
    sum += scanSpan(data, u, at, start, null);
    const tables = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
    sum += scanSpan(data, u, start, end, tables);
    const total = tables[0]!;
    for (let b = 0; b < 256; b++) total[b] = total[b]! + tables[1]![b]! + tables[2]![b]! + tables[3]![b]!;
    histograms.push(total);
    at = end;
  }
  sum += scanSpan(data, u, at, data.length, null);
  return { wordSum: sum, histograms };
}

/** The PE checksum from a word sum of the whole file: take the CheckSum field's bytes out, fold, add the length. */
export function checksumFromWordSum(data: Uint8Array, wordSum: number, checksumOffset: number): number {
  let sum = wordSum;
  for (let k = 0; k < 4; k++) {
    const o = checksumOffset + k;
    if (o >= 0 && o < data.length) sum -= data[o]! * ((o & 1) === 0 ? 1 : 256);
  }
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return (sum + data.length) >>> 0;
}
