// Address arithmetic and reads on a parsed image, for code analysis: RVA <-> offset, bytes and strings at an RVA.

import { utf16z } from './bytes.js';
import { bytesAt, cStringAt } from './context.js';
import type { PeFile } from './pe.js';
import type { Section } from './types.js';

/** Default cap for string reads at an RVA. */
export const DEFAULT_STRING_MAX = 0x1000;

/** The file offset of the byte the loader places at `rva`; null when that byte is not from the file (zeros) or unmapped. */
export function rvaToOffset(pe: PeFile, rva: number): number | null {
  return pe.map.rvaToOffset(rva);
}

/** The RVA where the loader places the byte at file offset `offset`; null when no section (or the headers) maps it. */
export function offsetToRva(pe: PeFile, offset: number): number | null {
  return pe.map.offsetToRva(offset);
}

/** The RVA of a virtual address, when it falls inside the image (else null). */
export function vaToRva(pe: PeFile, va: bigint | number): number | null {
  const rva = BigInt(va) - pe.imageBase;
  if (rva < 0n || rva >= BigInt(Math.max(pe.optional.sizeOfImage, 1))) return null;
  return Number(rva);
}

export function rvaToVa(pe: PeFile, rva: number): bigint {
  return pe.imageBase + BigInt(rva);
}

/** The section whose loaded extent holds `rva`, or null (headers, gaps, outside the image). */
export function sectionAt(pe: PeFile, rva: number): Section | null {
  const r = pe.map.regionOf(rva);
  return r !== null && r.section >= 0 ? (pe.sections[r.section] ?? null) : null;
}

/**
 * `length` bytes at `rva` as the loaded image holds them (zeros past a section's file bytes). A view into the file
 * when possible. Null when `rva` is not mapped; shorter when the image ends first.
 */
export function readAtRva(pe: PeFile, rva: number, length: number): Uint8Array | null {
  return bytesAt(pe.context, rva, length);
}

/** A NUL-terminated byte string at `rva` (one code point per byte), at most `max` bytes; null when unmapped. */
export function readStringAtRva(pe: PeFile, rva: number, max = DEFAULT_STRING_MAX): string | null {
  return cStringAt(pe.context, rva, max)?.text ?? null;
}

/** A NUL-terminated UTF-16LE string at `rva`, at most `maxUnits` code units; null when unmapped. */
export function readUtf16AtRva(pe: PeFile, rva: number, maxUnits = DEFAULT_STRING_MAX): string | null {
  const b = bytesAt(pe.context, rva, maxUnits * 2);
  return b === null ? null : utf16z(b, 0, maxUnits).text;
}
