// File-scope and global features: imports, exports, sections, whole-file strings, embedded PE, os/arch/format.

import type { FeatureSink } from './extractor.js';
import { fileOffsetAddress } from './featureset.js';
import { carveEmbeddedPe, fileStrings } from './filescan.js';
import { symbolNames } from './symbols.js';

/** What file-scope extraction needs of a parsed PE; built by features/pe.ts from formats/pe. */
export interface FileFacts {
  bytes: Uint8Array;
  bitness: 32 | 64;
  /** Virtual address of a file offset when it lies in the headers or a section's raw data. */
  offsetToVa(offset: number): number | null;
  imports: { dll: string; name: string | null; ordinal: number | null; iatVa: number }[];
  exports: { name: string | null; va: number; forwarder: string | null }[];
  sections: { name: string; va: number }[];
  /** True for a .NET assembly (a CLR header): capa analyses those with its .NET backend instead. */
  isDotNet: boolean;
}

/** os, arch and format: the global features every scope sees. */
export function extractGlobalFeatures(facts: FileFacts, sink: FeatureSink): void {
  sink({ type: 'os', value: 'windows' });
  sink({ type: 'arch', value: facts.bitness === 64 ? 'amd64' : 'i386' });
  sink({ type: 'format', value: facts.isDotNet ? 'dotnet' : 'pe' });
}

/** capa's reformat_forwarded_export_name: module part lower case, symbol verbatim. */
function forwardedName(fwd: string): string {
  const cut = fwd.lastIndexOf('.');
  return cut < 0 ? fwd : `${fwd.slice(0, cut).toLowerCase()}.${fwd.slice(cut + 1)}`;
}

export function extractFileFeatures(facts: FileFacts, sink: FeatureSink): void {
  // capa places an embedded PE at its file offset: a carved PE lies mostly in an overlay, which has no address.
  for (const off of carveEmbeddedPe(facts.bytes)) sink({ type: 'characteristic', value: 'embedded pe' }, fileOffsetAddress(off));
  for (const e of facts.exports) {
    if (e.forwarder !== null) {
      sink({ type: 'export', value: forwardedName(e.forwarder) }, e.va);
      sink({ type: 'characteristic', value: 'forwarded export' }, e.va);
      if (e.name) sink({ type: 'export', value: e.name }, e.va);
    } else if (e.name) sink({ type: 'export', value: e.name }, e.va);
  }
  for (const imp of facts.imports) {
    for (const name of symbolNames(imp.dll, imp.name, imp.ordinal, true)) sink({ type: 'import', value: name }, imp.iatVa);
  }
  for (const s of facts.sections) sink({ type: 'section', value: s.name }, s.va);
  for (const s of fileStrings(facts.bytes)) sink({ type: 'string', value: s.value }, facts.offsetToVa(s.offset) ?? fileOffsetAddress(s.offset));
}
