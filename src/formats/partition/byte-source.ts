// The random-access byte source every disk, partition and volume reader reads through, so images of any size work.

/**
 * A read-only, random-access run of bytes: an image file, a block device, a partition inside one, or a buffer.
 * `read` never throws for ranges past the end: it returns the bytes that exist (possibly none). An I/O failure of
 * the underlying medium may throw; parsers let that through, since it is not a property of the bytes.
 */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter at the end, empty past it. The result may be a view: do not keep it mutably. */
  read(offset: number, length: number): Uint8Array;
  /**
   * Optional: reads up to `target.length` bytes from `offset` into `target` and returns how many it read. Sources
   * on files implement it so hot loops can reuse one buffer instead of allocating a fresh one per read.
   */
  readInto?(target: Uint8Array, offset: number): number;
}

/**
 * Reads up to `length` bytes from `offset` into `scratch` (which must be at least that long) and returns how many
 * were read. The bytes are a copy, owned by the caller until its next use of `scratch`.
 */
export function readIntoScratch(src: ByteSource, offset: number, length: number, scratch: Uint8Array): number {
  const n = Math.min(length, scratch.length);
  if (!(offset >= 0) || !(n > 0) || offset >= src.size) return 0;
  if (src.readInto) return src.readInto(scratch.subarray(0, Math.min(n, src.size - offset)), offset);
  const got = src.read(offset, n);
  scratch.set(got);
  return got.length;
}

/** A source over bytes already in memory. */
export function bytesSource(input: Uint8Array): ByteSource {
  // A plain view, so a Node Buffer's view-returning slice() can never leak into a parser.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.length);
  return {
    size: bytes.length,
    read(offset: number, length: number): Uint8Array {
      if (!(offset >= 0) || !(length > 0) || offset >= bytes.length) return new Uint8Array(0);
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    },
    readInto(target: Uint8Array, offset: number): number {
      if (!(offset >= 0) || offset >= bytes.length) return 0;
      const part = bytes.subarray(offset, Math.min(bytes.length, offset + target.length));
      target.set(part);
      return part.length;
    },
  };
}

/** A window `[offset, offset + length)` of another source, clipped to its end: a partition, a volume. */
export function sliceSource(parent: ByteSource, offset: number, length: number): ByteSource {
  const start = Math.max(0, Math.min(offset, parent.size));
  const size = Math.max(0, Math.min(length, parent.size - start));
  return {
    size,
    read(at: number, len: number): Uint8Array {
      if (!(at >= 0) || !(len > 0) || at >= size) return new Uint8Array(0);
      return parent.read(start + at, Math.min(len, size - at));
    },
    readInto(target: Uint8Array, at: number): number {
      if (!(at >= 0) || at >= size) return 0;
      return readIntoScratch(parent, start + at, Math.min(target.length, size - at), target);
    },
  };
}

/** Exactly `length` bytes from `offset`, zero-filled where the source ends early; `short` says whether it did. */
export function readPadded(src: ByteSource, offset: number, length: number): { bytes: Uint8Array; short: boolean } {
  const got = src.read(offset, length);
  if (got.length === length) return { bytes: got, short: false };
  const out = new Uint8Array(length);
  out.set(got.subarray(0, Math.min(got.length, length)));
  return { bytes: out, short: true };
}

export function u16(b: Uint8Array, o: number): number {
  return o + 2 <= b.length ? b[o]! | (b[o + 1]! << 8) : 0;
}

export function u32(b: Uint8Array, o: number): number {
  return o + 4 <= b.length ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0 : 0;
}

/** A little-endian 64-bit value as a number; values past 2^53 come back as Infinity so range checks reject them. */
export function u64(b: Uint8Array, o: number): number {
  if (o + 8 > b.length) return 0;
  const hi = u32(b, o + 4);
  if (hi >= 0x200000) return Infinity;
  return hi * 0x100000000 + u32(b, o);
}
