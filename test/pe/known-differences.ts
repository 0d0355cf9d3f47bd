// The differences from pefile that are pefile's error, each with a check that recognises exactly that case.
// docs/pefile-differences.md explains each one; the differential test accepts a difference only if one of these
// recognisers explains it.

import type { PeFile } from '../../src/formats/pe/index.js';
import type { Difference } from './differential.js';
import type { PefileView } from './pefile.js';

export interface KnownDifference {
  id: string;
  /** One line: what pefile does and why it is wrong. */
  reason: string;
  explains(pe: PeFile, view: PefileView, diff: Difference): boolean;
}

/** pefile's MAX_SYMBOL_EXPORT_COUNT: its named-export loop stops after this many distinct names. */
const PEFILE_MAX_SYMBOL_EXPORTS = 0x2000;

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'pefile-export-name-limit',
    reason:
      'pefile stops reading export names after 8,192 (MAX_SYMBOL_EXPORT_COUNT) and lists the remaining exports by ordinal with no name; the names are in the file and the loader resolves them.',
    explains(pe, view, diff) {
      if (diff.field !== 'exports' || pe.exports === null || view.exports === null) return false;
      const named = pe.exports.symbols.filter((s) => s.name !== null);
      if (named.length <= PEFILE_MAX_SYMBOL_EXPORTS) return false;
      // Replay pefile: the first 8,192 names kept, every other function by ordinal, in ordinal order.
      const kept = named.slice(0, PEFILE_MAX_SYMBOL_EXPORTS);
      const keptOrdinals = new Set(kept.map((s) => s.ordinal));
      const rest = new Map<number, number>();
      for (const s of pe.exports.symbols) if (!keptOrdinals.has(s.ordinal)) rest.set(s.ordinal, s.rva);
      const replay = [
        ...kept.map((s) => [s.ordinal, s.rva, s.name, s.forwarder]),
        ...[...rest].sort((a, b) => a[0] - b[0]).map(([ordinal, rva]) => [ordinal, rva, null, pe.exports!.symbols.find((s) => s.ordinal === ordinal)!.forwarder]),
      ];
      const theirs = view.exports.symbols.map((s) => [s.ordinal, s.address, s.name, s.forwarder]);
      return JSON.stringify(replay) === JSON.stringify(theirs);
    },
  },
];

/** The known difference that explains `diff`, if any. */
export function explain(pe: PeFile, view: PefileView, diff: Difference): KnownDifference | null {
  return KNOWN_DIFFERENCES.find((k) => k.explains(pe, view, diff)) ?? null;
}
