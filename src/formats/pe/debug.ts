// The debug directory and its CodeView record: the PDB path, GUID and age that tie a binary to its build.

import type { AnomalySink } from './anomalies.js';
import { has, u16, u32, utf8 } from './bytes.js';
import { DEBUG_TYPE_NAMES, DIR_DEBUG, nameOf } from './constants.js';
import { bytesAt, dirOffset, type PeContext } from './context.js';
import type { CodeViewInfo, DebugEntry } from './types.js';

const DEBUG_ENTRY_SIZE = 28;
const DEBUG_TYPE_CODEVIEW = 2;
const RSDS = 0x53445352;
const NB10 = 0x3031424e;
/** Bytes before the path: 24 in an RSDS record, 16 in NB10. */
const CODEVIEW_HEADER_MAX = 24;

function hex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}

/** The record's bytes: at PointerToRawData as debuggers read it, else at AddressOfRawData through the image. */
function recordBytes(ctx: PeContext, e: DebugEntry): Uint8Array | null {
  const size = Math.min(e.sizeOfData, CODEVIEW_HEADER_MAX + ctx.limits.maxPdbPathLength);
  if (e.pointerToRawData !== 0 && has(ctx.data, e.pointerToRawData, 1)) {
    return ctx.data.subarray(e.pointerToRawData, Math.min(ctx.data.length, e.pointerToRawData + size));
  }
  if (e.addressOfRawData !== 0) return bytesAt(ctx, e.addressOfRawData, size);
  return null;
}

function pathOf(b: Uint8Array, start: number, max: number): string {
  const end = Math.min(b.length, start + max);
  let i = start;
  while (i < end && b[i] !== 0) i++;
  return start < b.length ? utf8(b.subarray(start, i)) : '';
}

export function parseCodeView(ctx: PeContext, e: DebugEntry): CodeViewInfo | null {
  const b = recordBytes(ctx, e);
  if (b === null || b.length < 4) return null;
  const sig = u32(b, 0);
  if (sig === RSDS && b.length >= 24) {
    const d1 = u32(b, 4);
    const d2 = u16(b, 8);
    const d3 = u16(b, 10);
    let tail = '';
    for (let i = 12; i < 20; i++) tail += hex(b[i]!, 2);
    return {
      format: 'RSDS',
      guid: `${hex(d1, 8)}-${hex(d2, 4)}-${hex(d3, 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`,
      signature: null,
      age: u32(b, 20),
      pdbPath: pathOf(b, 24, ctx.limits.maxPdbPathLength),
    };
  }
  if (sig === NB10 && b.length >= 16) {
    return { format: 'NB10', guid: null, signature: u32(b, 8), age: u32(b, 12), pdbPath: pathOf(b, 16, ctx.limits.maxPdbPathLength) };
  }
  return null;
}

export function parseDebug(ctx: PeContext, an: AnomalySink): DebugEntry[] {
  const dir = ctx.directories[DIR_DEBUG]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return [];
  let count = Math.floor(dir.size / DEBUG_ENTRY_SIZE);
  if (count > ctx.limits.maxDebugEntries) {
    an.add('PE_LIMIT_EXCEEDED', 'low', `the debug directory claims ${count} entries; ${ctx.limits.maxDebugEntries} are read`, dirOffset(ctx, dir));
    count = ctx.limits.maxDebugEntries;
  }
  const out: DebugEntry[] = [];
  for (let i = 0; i < count; i++) {
    const rva = dir.virtualAddress + i * DEBUG_ENTRY_SIZE;
    const b = bytesAt(ctx, rva, DEBUG_ENTRY_SIZE);
    if (b === null || b.length < DEBUG_ENTRY_SIZE) {
      an.add('PE_DEBUG_TRUNCATED', 'low', `debug entry ${i} at RVA 0x${rva.toString(16)} is outside the image`, dirOffset(ctx, dir));
      break;
    }
    const type = u32(b, 12);
    const e: DebugEntry = {
      characteristics: u32(b, 0),
      timeDateStamp: u32(b, 4),
      majorVersion: u16(b, 8),
      minorVersion: u16(b, 10),
      type,
      typeName: nameOf(DEBUG_TYPE_NAMES, type),
      sizeOfData: u32(b, 16),
      addressOfRawData: u32(b, 20),
      pointerToRawData: u32(b, 24),
      codeView: null,
    };
    if (type === DEBUG_TYPE_CODEVIEW) e.codeView = parseCodeView(ctx, e);
    out.push(e);
  }
  return out;
}
