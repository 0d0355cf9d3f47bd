// Builds the mapped image code recovery reads from a parsed PE (formats/pe): sections as loaded, imports, entries.

import { SCN_CNT_CODE, SCN_MEM_EXECUTE, SCN_MEM_WRITE, relocationTargets, type PeFile } from '../formats/pe/index.js';
import type { CodeImage, EntryPoint, ImageSection, ImportRef } from './image.js';

export const MACHINE_I386 = 0x14c;
export const MACHINE_AMD64 = 0x8664;
/** Entry points taken from one file (exports plus .pdata can be large; this bounds a hostile table). */
export const MAX_ENTRY_POINTS = 500_000;
/** Where an image whose ImageBase does not fit a double exactly is analysed instead (addresses stay consistent). */
export const FALLBACK_IMAGE_BASE = 0x140000000;

/** The code architecture of a PE, or null when code recovery does not support it (ARM, IA-64...). */
export function codeBitness(pe: PeFile): 32 | 64 | null {
  if (pe.coff.machine === MACHINE_I386) return 32;
  if (pe.coff.machine === MACHINE_AMD64) return 64;
  return null;
}

/** The image base as a number; absurd bases (past 2^53 minus the image) are replaced so arithmetic stays exact. */
export function imageBaseOf(pe: PeFile): number {
  const b = pe.imageBase;
  const limit = BigInt(Number.MAX_SAFE_INTEGER) - BigInt(pe.optional.sizeOfImage) - 0x10000000n;
  return b >= 0n && b <= limit ? Number(b) : FALLBACK_IMAGE_BASE;
}

/** A CodeImage for an x86 or x64 PE; null for other machines. Never throws on malformed input. */
export function codeImageFromPe(pe: PeFile): CodeImage | null {
  const bitness = codeBitness(pe);
  if (bitness === null) return null;
  const base = imageBaseOf(pe);
  const bytes = pe.bytes;
  const sections: ImageSection[] = [];
  let headers: Uint8Array = new Uint8Array(0);
  if (pe.map.flat) {
    // Low-alignment images are mapped as the file is: one region, code anywhere.
    sections.push({ name: '(flat)', va: base, virtualSize: bytes.length, data: bytes, executable: true, writable: true });
  } else {
    for (const r of pe.map.regions) {
      const data = bytes.subarray(r.rStart, r.rStart + r.rLen);
      if (r.section < 0) {
        headers = data;
        continue;
      }
      const s = pe.sections[r.section]!;
      sections.push({
        name: s.name,
        va: base + r.vStart,
        virtualSize: r.vEnd - r.vStart,
        data,
        executable: (s.characteristics & (SCN_MEM_EXECUTE | SCN_CNT_CODE)) !== 0,
        writable: (s.characteristics & SCN_MEM_WRITE) !== 0,
      });
    }
  }

  const imports = new Map<number, ImportRef>();
  for (const d of [...pe.imports, ...pe.delayImports]) {
    for (const f of d.functions) imports.set(base + f.iatRva, { dll: d.dll, name: f.name, ordinal: f.byOrdinal ? f.ordinal : null });
  }

  const entryPoints: EntryPoint[] = [];
  const add = (e: EntryPoint) => {
    if (entryPoints.length < MAX_ENTRY_POINTS) entryPoints.push(e);
  };
  if (pe.optional.addressOfEntryPoint !== 0) add({ va: base + pe.optional.addressOfEntryPoint, kind: 'entry' });
  for (const tls of pe.tls?.callbacks ?? []) if (tls.rva !== null) add({ va: base + tls.rva, kind: 'tls' });
  for (const e of pe.exports?.symbols ?? []) {
    if (e.forwarder === null && e.rva !== 0) add(e.name ? { va: base + e.rva, kind: 'export', name: e.name } : { va: base + e.rva, kind: 'export' });
  }
  if (bitness === 64) for (const rf of pe.exceptions) add({ va: base + rf.beginRva, kind: 'pdata', end: base + rf.endRva });

  let relocatedSlots: number[] | null = null;
  if (pe.relocations !== null) {
    relocatedSlots = [];
    for (const r of relocationTargets(pe)) {
      // HIGHLOW (3) on x86, DIR64 (10) on x64: the slots that hold absolute pointers.
      if (r.type === 3 || r.type === 10) relocatedSlots.push(base + r.rva);
    }
  }
  return { bitness, imageBase: base, sizeOfImage: pe.optional.sizeOfImage, headers, sections, entryPoints, imports, relocatedSlots };
}
