// The CodeImage code recovery reads, built from a parsed PE file: sections as mapped, IAT slots, entry points.

import type { CodeImage, EntryPoint, ImageSection, ImportRef } from '../code/image.js';
import { SCN_CNT_CODE, SCN_MEM_EXECUTE, SCN_MEM_WRITE, relocationTargets, type PeFile } from '../formats/pe/index.js';

/** Relocation types that fix up a whole pointer: HIGHLOW (PE32) and DIR64 (PE32+). */
const POINTER_RELOCATIONS = new Set([3, 10]);
/** Images based above this cannot be addressed as JavaScript numbers; their code is not recovered. */
const MAX_IMAGE_BASE = 2 ** 52;

/** The recovery view of a PE file, or null when its image base is out of reach. */
export function codeImageOf(pe: PeFile): CodeImage | null {
  if (pe.imageBase > BigInt(MAX_IMAGE_BASE)) return null;
  const base = Number(pe.imageBase);
  const sections: ImageSection[] = pe.sections.map((s) => ({
    name: s.name,
    va: base + s.virtualAddress,
    virtualSize: s.virtualSize,
    data: pe.bytes.subarray(s.dataStart, Math.max(s.dataStart, s.dataEnd)),
    executable: (s.characteristics & (SCN_MEM_EXECUTE | SCN_CNT_CODE)) !== 0,
    writable: (s.characteristics & SCN_MEM_WRITE) !== 0,
  }));
  const imports = new Map<number, ImportRef>();
  for (const dll of [...pe.imports, ...pe.delayImports]) {
    const iatBase = 'iatRva' in dll ? dll.iatRva : 0;
    for (const f of dll.functions) {
      const slot = f.iatRva || iatBase;
      if (slot) imports.set(base + slot, { dll: dll.dll, name: f.name, ordinal: f.ordinal });
    }
  }
  const entryPoints: EntryPoint[] = [];
  if (pe.optional.addressOfEntryPoint !== 0) entryPoints.push({ va: base + pe.optional.addressOfEntryPoint, kind: 'entry' });
  for (const e of pe.exports?.symbols ?? []) {
    if (!e.forwarder && e.rva !== 0) entryPoints.push({ va: base + e.rva, kind: 'export', ...(e.name ? { name: e.name } : {}) });
  }
  for (const cb of pe.tls?.callbacks ?? []) if (cb.rva !== null) entryPoints.push({ va: base + cb.rva, kind: 'tls' });
  for (const rf of pe.exceptions) entryPoints.push({ va: base + rf.beginRva, kind: 'pdata', end: base + rf.endRva });
  const relocs = relocationTargets(pe);
  const headerSize = Math.min(pe.optional.sizeOfHeaders, pe.bytes.length);
  return {
    bitness: pe.is64 ? 64 : 32,
    imageBase: base,
    sizeOfImage: pe.optional.sizeOfImage,
    headers: pe.bytes.subarray(0, headerSize),
    sections,
    entryPoints,
    imports,
    relocatedSlots: pe.relocations ? relocs.filter((r) => POINTER_RELOCATIONS.has(r.type)).map((r) => base + r.rva) : null,
  };
}
