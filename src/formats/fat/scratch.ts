// A reusable read buffer with word-at-a-time scans (first and last non-zero byte), for the passes that read much
// of a volume: slack, free space, FAT copies. One buffer per walk instead of one allocation per read.

import { type ByteSource, readIntoScratch } from '../partition/byte-source.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class Scratch {
  bytes: Uint8Array;
  private words: Int32Array;

  constructor(
    size: number,
    private readonly max: number,
  ) {
    this.bytes = new Uint8Array((Math.min(size, max) + 3) & ~3);
    this.words = new Int32Array(this.bytes.buffer);
  }

  /** Makes room for `n` bytes (at most `max`), dropping the contents when it grows; returns the buffer. */
  ensure(n: number): Uint8Array {
    if (n > this.bytes.length) {
      this.bytes = new Uint8Array((Math.min(Math.max(n, this.bytes.length * 2), this.max) + 3) & ~3);
      this.words = new Int32Array(this.bytes.buffer);
    }
    return this.bytes;
  }

  /** Reads `length` bytes (at most `max`) from `offset` of `src` into the buffer; returns how many were read. */
  read(src: ByteSource, offset: number, length: number): number {
    const n = Math.min(length, this.max);
    this.ensure(n);
    return readIntoScratch(src, offset, n, this.bytes);
  }

  /** Reads `length` bytes from `offset` of `src` to position `at` of the buffer (room must be ensured). */
  readAt(src: ByteSource, offset: number, length: number, at: number): number {
    const n = Math.min(length, this.bytes.length - at);
    return n > 0 ? readIntoScratch(src, offset, n, this.bytes.subarray(at, at + n)) : 0;
  }

  /** Index of the first non-zero byte in `[from, to)`, or -1. */
  firstNonZero(from: number, to: number): number {
    const b = this.bytes;
    let i = from;
    while (i < to && i & 3) {
      if (b[i] !== 0) return i;
      i++;
    }
    if (i >= to) return -1;
    const w = this.words;
    const wEnd = to >>> 2;
    let k = i >>> 2;
    // Eight words per test: free space and slack are mostly zeros, and this is the hot loop of both passes.
    while (k + 8 <= wEnd && (w[k]! | w[k + 1]! | w[k + 2]! | w[k + 3]! | w[k + 4]! | w[k + 5]! | w[k + 6]! | w[k + 7]!) === 0) k += 8;
    while (k < wEnd && w[k] === 0) k++;
    for (i = k << 2; i < to; i++) if (b[i] !== 0) return i;
    return -1;
  }

  /** Index of the last non-zero byte in `[from, to)`, or -1. */
  lastNonZero(from: number, to: number): number {
    const b = this.bytes;
    let i = to - 1;
    while (i >= from && (i + 1) & 3) {
      if (b[i] !== 0) return i;
      i--;
    }
    if (i < from) return -1;
    const w = this.words;
    let k = ((i + 1) >>> 2) - 1;
    const wStart = (from + 3) >>> 2;
    while (k >= wStart && w[k] === 0) k--;
    for (i = ((k + 1) << 2) - 1; i >= from; i--) if (b[i] !== 0) return i;
    return -1;
  }

  /** Index of the first byte in `[0, n)` where the buffer differs from `other` (a buffer starting at a word boundary), or -1. */
  firstDifference(other: Uint8Array, n: number): number {
    const b = this.bytes;
    let i = 0;
    if (LITTLE_ENDIAN && other.byteOffset % 4 === 0) {
      const ow = new Int32Array(other.buffer, other.byteOffset, n >>> 2);
      const w = this.words;
      let k = 0;
      while (k < ow.length && w[k] === ow[k]) k++;
      i = k << 2;
    }
    for (; i < n; i++) if (b[i] !== other[i]) return i;
    return -1;
  }
}
