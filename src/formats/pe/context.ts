// What every directory parser needs: the bytes, the address map, the header facts, the limits, and RVA-based reads.

import { AnomalyList } from '../../core/anomaly.js';
import type { AddressMap } from './addressmap.js';
import { latin1, u16, u32 } from './bytes.js';
import type { PeLimits } from './limits.js';
import type { DataDirectory, SectionHeader } from './types.js';

export interface PeContext {
  readonly data: Uint8Array;
  readonly map: AddressMap;
  readonly is64: boolean;
  readonly machine: number;
  readonly imageBase: bigint;
  readonly sizeOfImage: number;
  readonly limits: PeLimits;
  readonly sections: readonly SectionHeader[];
  readonly directories: readonly DataDirectory[];
}

/** A fresh anomaly list for one part of the file; parts keep their own so the combined order never depends on access order. */
export function anomalyList(ctx: PeContext): AnomalyList {
  return new AnomalyList(ctx.limits.maxAnomalies);
}

/** A u16 at `rva`; null when the RVA is outside the image. Zero-filled bytes read as 0. */
export function u16At(ctx: PeContext, rva: number): number | null {
  const off = ctx.map.rvaToOffset(rva);
  if (off !== null && off + 2 <= ctx.data.length) return u16(ctx.data, off);
  const b = ctx.map.read(ctx.data, rva, 2);
  return b === null || b.length < 2 ? null : u16(b, 0);
}

/** A u32 at `rva`; null when the RVA is outside the image. */
export function u32At(ctx: PeContext, rva: number): number | null {
  const off = ctx.map.rvaToOffset(rva);
  if (off !== null && off + 4 <= ctx.data.length) {
    const r = ctx.map.regionOf(rva);
    if (r === null || ctx.map.flat || rva + 4 <= r.vStart + r.rLen) return u32(ctx.data, off);
  }
  const b = ctx.map.read(ctx.data, rva, 4);
  return b === null || b.length < 4 ? null : u32(b, 0);
}

/** `length` bytes at `rva` (zeros past raw data); null when unmapped; shorter when the image ends first. */
export function bytesAt(ctx: PeContext, rva: number, length: number): Uint8Array | null {
  return ctx.map.read(ctx.data, rva, length);
}

/**
 * A NUL-terminated byte string at `rva`, at most `max` bytes, as one code point per byte. Null when the RVA is not
 * mapped. `terminated` is false when neither a NUL nor the end of mapped bytes came within `max`.
 */
export function cStringAt(ctx: PeContext, rva: number, max: number): { text: string; terminated: boolean } | null {
  const map = ctx.map;
  if (!map.isMapped(rva)) return null;
  const off = map.rvaToOffset(rva);
  const d = ctx.data;
  if (off !== null) {
    // Fast path: scan the file bytes of this region; a string reaching the end of its raw data ends there (zeros follow).
    const r = map.flat ? null : map.regionOf(rva);
    const rawEnd = r === null ? d.length : Math.min(d.length, r.rStart + r.rLen);
    const virtEnd = r === null ? d.length : r.rStart + (r.vEnd - r.vStart);
    const limit = Math.min(rawEnd, off + max);
    let i = off;
    while (i < limit && d[i] !== 0) i++;
    if (i < limit) return { text: latin1(d, off, i), terminated: true };
    const reachedMax = i >= off + max;
    // Running off the raw data into the zero-filled tail terminates the string; running off the image does not.
    const terminated = !reachedMax && rawEnd < virtEnd;
    return { text: latin1(d, off, i), terminated };
  }
  // Zero-filled memory: an empty string.
  return { text: '', terminated: true };
}
