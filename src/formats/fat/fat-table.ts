// Looks up File Allocation Table entries (12, 16 or 32 bits) through a bounded chunk cache.

import type { ByteSource } from '../partition/byte-source.js';
import { FAT_CHUNK_BYTES, MAX_FAT_CHUNKS_CACHED } from './limits.js';
import type { FatKind } from './types.js';

/** Normalised entry values, the same for every FAT width. */
export const FAT_FREE = 0;
export const FAT_BAD = 0xfffffff7;
export const FAT_EOC = 0xffffffff;

export class FatTable {
  private readonly chunks = new Map<number, Uint8Array>();
  private lastIndex = -1;
  private last: Uint8Array = new Uint8Array(0);
  /** Entries that lie inside the FAT region as declared. */
  readonly entryCount: number;

  constructor(
    private readonly src: ByteSource,
    private readonly kind: FatKind,
    private readonly offset: number,
    private readonly length: number,
  ) {
    const bits = kind === 'FAT12' ? 12 : kind === 'FAT16' ? 16 : 32;
    this.entryCount = Math.floor((length * 8) / bits);
  }

  private byte(at: number): number {
    if (at >= this.length) return 0;
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
        const v = this.byte(cluster * 2) | (this.byte(cluster * 2 + 1) << 8);
        return v >= 0xfff8 ? FAT_EOC : v === 0xfff7 ? FAT_BAD : v;
      }
      case 'FAT32': {
        const at = cluster * 4;
        const v = (this.byte(at) | (this.byte(at + 1) << 8) | (this.byte(at + 2) << 16) | ((this.byte(at + 3) & 0x0f) << 24)) >>> 0;
        return v >= 0x0ffffff8 ? FAT_EOC : v === 0x0ffffff7 ? FAT_BAD : v;
      }
      case 'exFAT': {
        const at = cluster * 4;
        const v = (this.byte(at) | (this.byte(at + 1) << 8) | (this.byte(at + 2) << 16) | (this.byte(at + 3) << 24)) >>> 0;
        return v >= 0xfffffff8 ? FAT_EOC : v === 0xfffffff7 ? FAT_BAD : v;
      }
    }
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
