// Builds the file-scope facts feature extraction needs from a parsed PE (formats/pe).

import { imageBaseOf } from '../code/pe-image.js';
import type { PeFile } from '../formats/pe/index.js';
import type { FileFacts } from './file.js';

export function fileFactsFromPe(pe: PeFile): FileFacts {
  const base = imageBaseOf(pe);
  const imports: FileFacts['imports'] = [];
  for (const d of [...pe.imports, ...pe.delayImports]) {
    for (const f of d.functions) imports.push({ dll: d.dll, name: f.name, ordinal: f.byOrdinal ? f.ordinal : null, iatVa: base + f.iatRva });
  }
  const exports: FileFacts['exports'] = (pe.exports?.symbols ?? []).map((e) => ({ name: e.name, va: base + e.rva, forwarder: e.forwarder }));
  return {
    bytes: pe.bytes,
    bitness: pe.is64 ? 64 : 32,
    offsetToVa: (offset) => {
      const rva = pe.map.offsetToRva(offset);
      return rva === null ? null : base + rva;
    },
    imports,
    exports,
    sections: pe.sections.map((s) => ({ name: s.name, va: base + s.virtualAddress })),
    isDotNet: pe.clr !== null,
  };
}
