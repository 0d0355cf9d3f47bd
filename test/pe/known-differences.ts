// The differences from pefile that are pefile's error, each with a check that recognises exactly that case.
// docs/pefile-differences.md explains each one; the differential test accepts a difference only if one of these
// recognisers explains it.

import { readAtRva, type PeFile } from '../../src/formats/pe/index.js';
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

const align4 = (v: number): number => (v + 3) & ~3;

function utf16Key(b: Uint8Array, at: number): string {
  let s = '';
  for (let i = at; i + 1 < b.length; i += 2) {
    const c = b[i]! | (b[i + 1]! << 8);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * How many StringTables pefile's parse_version_information reads from each StringFileInfo of one version resource:
 * after each table it stops once the next table's offset is at least the StringFileInfo's Length (an offset
 * compared with a length). Replayed from the resource bytes, with pefile's own alignment and stop conditions.
 */
function pefileTablesRead(b: Uint8Array): number[] {
  const u16 = (o: number): number => (o + 1 < b.length ? b[o]! | (b[o + 1]! << 8) : -1);
  const counts: number[] = [];
  const vsLength = u16(0);
  let sfi = align4(align4(6 + 2 * ('VS_VERSION_INFO'.length + 1)) + 52);
  for (let guard = 0; guard < 64 && sfi + 6 <= b.length; guard++) {
    const sfiLength = u16(sfi);
    const key = utf16Key(b, sfi + 6);
    if (key.startsWith('StringFileInfo') && [0, 1].includes(u16(sfi + 4)) && u16(sfi + 2) === 0) {
      let n = 0;
      let st = align4(sfi + 6 + 2 * (key.length + 1));
      for (let g = 0; g < 4096 && st + 6 <= b.length; g++) {
        n++;
        const next = align4(u16(st) + st);
        if (next === st) break;
        st = next;
        if (st >= sfiLength) break;
      }
      counts.push(n);
    }
    sfi = align4(sfiLength + sfi);
    if (sfiLength === 0 || sfi >= vsLength) break;
  }
  return counts;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'pefile-version-string-tables',
    reason:
      "pefile compares the next StringTable's offset with the StringFileInfo's length, so it skips a following table whenever that table is small; version.dll walks the tables by their lengths.",
    explains(pe, view, diff) {
      if (diff.field !== 'version' || view.version === null) return false;
      const replay: [string, [string, string][]][] = [];
      const leaves = pe.resourceList.filter((l) => l.type === 16);
      pe.versionInfo.forEach((vi, i) => {
        const bytes = readAtRva(pe, leaves[i]!.rva, leaves[i]!.size);
        if (bytes === null) return;
        const counts = pefileTablesRead(bytes);
        // One StringFileInfo per resource in these files: keep the first `counts[0]` tables.
        vi.stringTables.slice(0, counts[0] ?? 0).forEach((t) => replay.push([t.key, Object.entries(Object.fromEntries(t.entries))]));
      });
      const theirs = view.version.stringTables.map((t) => [t.lang, Object.entries(Object.fromEntries(t.entries))]);
      return replay.length < pe.versionInfo.flatMap((v) => v.stringTables).length && JSON.stringify(replay) === JSON.stringify(theirs);
    },
  },
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
