// What every directory parser needs: the bytes, the address map, the header facts, the limits, and RVA-based reads.

import type { AnomalySink } from './anomalies.js';
import type { AddressMap } from './addressmap.js';
import { latin1, u16, u32 } from './bytes.js';
import type { PeLimits } from './limits.js';
import type { DataDirectory, SectionHeader } from './types.js';

/** Shared spending limits of one file, so a hostile table cannot multiply work across entries. */
export interface Budget {
  nameBytes: number;
  nameBytesReported: boolean;
}

export interface PeContext {
  readonly data: Uint8Array;
  readonly budget: Budget;
  readonly map: AddressMap;
  readonly is64: boolean;
  readonly machine: number;
  readonly imageBase: bigint;
  readonly sizeOfImage: number;
  readonly limits: PeLimits;
  readonly sections: readonly SectionHeader[];
  readonly directories: readonly DataDirectory[];
}

/**
 * A name (import, export, DLL) at `rva`, charged against the file's name-byte budget; when the budget is spent the
 * name reads as empty and one PE_LIMIT_EXCEEDED is reported.
 */
export function nameAt(ctx: PeContext, rva: number, max: number, an: AnomalySink): { text: string; terminated: boolean } | null {
  const b = ctx.budget;
  if (b.nameBytes <= 0) {
    if (!b.nameBytesReported) {
      an.add('PE_LIMIT_EXCEEDED', 'medium', `more than ${ctx.limits.maxNameBytes} bytes of import and export names; the rest read as empty`, ctx.map.rvaToOffset(rva) ?? undefined);
      b.nameBytesReported = true;
    }
    return ctx.map.isMapped(rva) ? { text: '', terminated: false } : null;
  }
  const s = cStringAt(ctx, rva, Math.min(max, b.nameBytes));
  if (s !== null) b.nameBytes -= s.text.length + 1;
  return s;
}

/** Where an anomaly about directory `dir` points: the byte at `rva` (default: the directory's start), else the header field. */
export function dirOffset(ctx: PeContext, dir: DataDirectory, rva: number = dir.virtualAddress): number {
  return ctx.map.rvaToOffset(rva) ?? dir.fieldOffset;
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

/**
 * The file offset of [rva, rva + length) when every byte of it comes from the file in one run, else -1. Lets hot
 * loops read fixed-size structures straight from the file without allocating a view for each.
 */
export function fileSpan(ctx: PeContext, rva: number, length: number): number {
  const map = ctx.map;
  if (map.flat) return rva >= 0 && rva + length <= ctx.data.length ? rva : -1;
  const r = map.regionOf(rva);
  if (r === null) return -1;
  const delta = rva - r.vStart;
  return delta + length <= r.rLen ? r.rStart + delta : -1;
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
