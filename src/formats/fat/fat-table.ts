// Looks up File Allocation Table entries (12, 16 or 32 bits): the whole table in memory when it is small enough,
// otherwise through a bounded chunk cache.

import { type ByteSource, readIntoScratch } from '../partition/byte-source.js';
import { FAT_CHUNK_BYTES, MAX_FAT_CHUNKS_CACHED, MAX_FAT_IN_MEMORY } from './limits.js';
import type { FatKind } from './types.js';

/** Normalised entry values, the same for every FAT width. */
export const FAT_FREE = 0;
export const FAT_BAD = 0xfffffff7;
export const FAT_EOC = 0xffffffff;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const bitsOf = (kind: FatKind): number => (kind === 'FAT12' ? 12 : kind === 'FAT16' ? 16 : 32);

export class FatTable {
  private readonly chunks = new Map<number, Uint8Array>();
  private lastIndex = -1;
  private last: Uint8Array = new Uint8Array(0);
  /** The whole used part of the table, when it fits MAX_FAT_IN_MEMORY. */
  private readonly whole: Uint8Array | null = null;
  private readonly words: Uint32Array | null = null;
  private readonly halves: Uint16Array | null = null;
  /** Bytes of the table that exist: inside the declared FAT, inside the source, and no more than the clusters need. */
  private readonly length: number;
  /** Entries that can be read (inside the FAT as declared and inside the source); others read as free. */
  readonly entryCount: number;

  constructor(
    private readonly src: ByteSource,
    private readonly kind: FatKind,
    private readonly offset: number,
    declaredLength: number,
    clusterCount: number,
  ) {
    const bits = bitsOf(kind);
    const needed = Math.ceil(((clusterCount + 2) * bits) / 8);
    this.length = Math.max(0, Math.min(declaredLength, needed, src.size - offset));
    this.entryCount = Math.floor((this.length * 8) / bits);
    if (this.length <= MAX_FAT_IN_MEMORY) {
      // Rounded up to whole words so the typed views below are in bounds; the tail stays zero (free).
      const whole = new Uint8Array((this.length + 3) & ~3);
      readIntoScratch(src, offset, this.length, whole);
      this.whole = whole;
      if (LITTLE_ENDIAN && (kind === 'FAT32' || kind === 'exFAT')) this.words = new Uint32Array(whole.buffer, 0, whole.length >>> 2);
      if (LITTLE_ENDIAN && kind === 'FAT16') this.halves = new Uint16Array(whole.buffer, 0, whole.length >>> 1);
    }
  }

  private byte(at: number): number {
    if (at >= this.length) return 0;
    if (this.whole) return this.whole[at]!;
    const index = Math.floor(at / FAT_CHUNK_BYTES);
    if (index !== this.lastIndex) {
      let chunk = this.chunks.get(index);
      if (!chunk) {
        if (this.chunks.size >= MAX_FAT_CHUNKS_CACHED) this.chunks.delete(this.chunks.keys().next().value!);
        const start = index * FAT_CHUNK_BYTES;
        chunk = this.src.read(this.offset + start, Math.min(FAT_CHUNK_BYTES, this.length - start));
        this.chunks.set(index, chunk);
      }
      this.lastIndex = index;
      this.last = chunk;
    }
    const v = this.last[at - index * FAT_CHUNK_BYTES];
    return v === undefined ? 0 : v;
  }

  /** The normalised entry for `cluster`: FAT_FREE, FAT_BAD, FAT_EOC or the next cluster number. */
  next(cluster: number): number {
    if (cluster < 0 || cluster >= this.entryCount) return FAT_FREE;
    switch (this.kind) {
      case 'FAT12': {
        const at = cluster + (cluster >>> 1);
        const pair = this.byte(at) | (this.byte(at + 1) << 8);
        const v = cluster & 1 ? pair >>> 4 : pair & 0xfff;
        return v >= 0xff8 ? FAT_EOC : v === 0xff7 ? FAT_BAD : v;
      }
      case 'FAT16': {
        const v = this.halves ? this.halves[cluster]! : this.byte(cluster * 2) | (this.byte(cluster * 2 + 1) << 8);
        return v >= 0xfff8 ? FAT_EOC : v === 0xfff7 ? FAT_BAD : v;
      }
      case 'FAT32': {
        const v = this.words ? this.words[cluster]! & 0x0fffffff : this.wide(cluster) & 0x0fffffff;
        return v >= 0x0ffffff8 ? FAT_EOC : v === 0x0ffffff7 ? FAT_BAD : v;
      }
      case 'exFAT': {
        const v = this.words ? this.words[cluster]! : this.wide(cluster);
        return v >= 0xfffffff8 ? FAT_EOC : v === 0xfffffff7 ? FAT_BAD : v;
      }
    }
  }

  private wide(cluster: number): number {
    const at = cluster * 4;
    return (this.byte(at) | (this.byte(at + 1) << 8) | (this.byte(at + 2) << 16) | (this.byte(at + 3) << 24)) >>> 0;
  }

  /** The used part of the table as read, when it is held in memory (for comparing the copies). */
  get bytes(): Uint8Array | null {
    return this.whole ? this.whole.subarray(0, this.length) : null;
  }
}

/** Which clusters are in use: the FAT itself (FAT12/16/32) or exFAT's allocation bitmap. */
export interface Allocation {
  isAllocated(cluster: number): boolean;
}

export function fatAllocation(fat: FatTable): Allocation {
  return { isAllocated: (c) => fat.next(c) !== FAT_FREE };
}

/** exFAT allocation bitmap (spec §7.1): bit N is cluster N + 2. */
export function bitmapAllocation(bitmap: Uint8Array): Allocation {
  return {
    isAllocated(cluster: number): boolean {
      const i = cluster - 2;
      if (i < 0) return false;
      const byte = bitmap[i >>> 3];
      return byte !== undefined && (byte & (1 << (i & 7))) !== 0;
    },
  };
}
