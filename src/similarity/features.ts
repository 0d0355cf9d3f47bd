// A sample's similarity features, extracted once and stored: fuzzy hashes, PE hashes, code hashes, rare strings.

import { createHash } from 'node:crypto';
import { isPeFile, parsePe, type PeFile } from '../formats/pe/index.js';
import { SCN_MEM_EXECUTE } from '../formats/pe/constants.js';
import { formatTlsh, tlsh } from './tlsh.js';
import { ssdeep, SSDEEP_MAX_INPUT } from './ssdeep.js';
import { extractStrings, type ByteRange } from './strings.js';
import { functionHashes, functionHashesOf, reusableProgram, type FunctionFeature } from './codehash.js';
import type { Program, RecoveryBudget } from '../code/index.js';
import { fnv64Hex } from './hash64.js';

/** Bumped when extraction changes in a way that makes stored features incomparable with new ones. */
export const FEATURES_VERSION = 1;
/**
 * Strings kept per sample: the ones with the smallest hashes (a bottom-k sketch), so two samples keep the same
 * strings of those they share and the Jaccard index of the kept sets estimates that of the whole sets.
 */
export const MAX_STRINGS_KEPT = 512;
/** Inputs above this are not analysed (hashing them would be possible, but code recovery would not be). */
export const MAX_FEATURE_INPUT = 256 * 1024 * 1024;

export interface SectionFeature {
  name: string;
  size: number;
  md5: string;
  entropy: number;
}

export type { FunctionFeature };

export interface SampleFeatures {
  version: number;
  /** Display name (the file's base name, or as given). */
  name: string;
  size: number;
  sha256: string;
  md5: string;
  /** `pe32`, `pe32+`, or `other` for anything that is not a PE file. */
  format: 'pe32' | 'pe32+' | 'other';
  tlsh: string | null;
  ssdeep: string | null;
  imphash: string | null;
  importCount: number;
  richHash: string | null;
  sections: SectionFeature[];
  /** One entry per recovered function with enough instructions to mean something, in address order. */
  functions: FunctionFeature[];
  /** Meaningful strings outside code, import names and relocations; rarity is judged against a collection. */
  strings: string[];
}

export interface ExtractOptions {
  name: string;
  /** Skip disassembly (function hashes empty): for speed when only fuzzy hashes are wanted. */
  code?: boolean;
  /** What the caller already has of these bytes, so it is not computed twice (the sweep, triage). */
  known?: {
    hashes?: { md5: string; sha256: string };
    pe?: PeFile;
    /** A program recovered from `pe`; used only when it is the one function hashing would recover (reusableProgram). */
    program?: Program | null;
  };
  /** Deadline and clock for code recovery: past it, the function hashes are those recovered so far. */
  budget?: Pick<RecoveryBudget, 'deadline' | 'now'>;
}

const BASERELOC = 5;

/** File ranges worth scanning for strings: non-executable sections minus the relocation table, plus the overlay. */
function stringRanges(pe: PeFile): ByteRange[] {
  const reloc = pe.dataDirectories[BASERELOC];
  const relocStart = reloc && reloc.size > 0 ? pe.map.rvaToOffset(reloc.virtualAddress) : null;
  const ranges: ByteRange[] = [];
  for (const s of pe.sections) {
    if ((s.characteristics & SCN_MEM_EXECUTE) !== 0 || s.dataEnd <= s.dataStart) continue;
    if (relocStart !== null && relocStart >= s.dataStart && relocStart < s.dataEnd) {
      const relocEnd = Math.min(s.dataEnd, relocStart + reloc!.size);
      ranges.push({ start: s.dataStart, end: relocStart }, { start: relocEnd, end: s.dataEnd });
    } else {
      ranges.push({ start: s.dataStart, end: s.dataEnd });
    }
  }
  const overlay = pe.overlay;
  if (overlay) ranges.push({ start: overlay.offset, end: overlay.offset + overlay.size });
  return ranges;
}

/** Names the import table already accounts for (imphash covers them), which would otherwise pass as strings. */
function importNames(pe: PeFile): Set<string> {
  const names = new Set<string>();
  for (const dll of [...pe.imports, ...pe.delayImports]) {
    names.add(dll.dll);
    names.add(dll.dll.toLowerCase());
    for (const f of dll.functions) if (f.name) names.add(f.name);
  }
  for (const s of pe.sections) names.add(s.name);
  return names;
}

/** At most MAX_STRINGS_KEPT strings, chosen by smallest hash, in their original order. */
function bottomK(strings: string[]): string[] {
  if (strings.length <= MAX_STRINGS_KEPT) return strings;
  const keyed = strings.map((s, i) => ({ i, h: fnv64Hex(s) }));
  keyed.sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.i - b.i));
  const keep = new Set(keyed.slice(0, MAX_STRINGS_KEPT).map((k) => k.i));
  return strings.filter((_, i) => keep.has(i));
}

export function digestHex(algorithm: 'md5' | 'sha256', data: Uint8Array): string {
  return createHash(algorithm).update(data).digest('hex');
}

/** Every feature of one sample. Never throws on malformed bytes: what cannot be read is left empty. */
export function extractFeatures(data: Uint8Array, options: ExtractOptions): SampleFeatures {
  const t = data.length <= MAX_FEATURE_INPUT ? tlsh(data) : null;
  const base: SampleFeatures = {
    version: FEATURES_VERSION,
    name: options.name,
    size: data.length,
    sha256: options.known?.hashes?.sha256 ?? digestHex('sha256', data),
    md5: options.known?.hashes?.md5 ?? digestHex('md5', data),
    format: 'other',
    tlsh: t ? formatTlsh(t) : null,
    ssdeep: data.length <= Math.min(SSDEEP_MAX_INPUT, MAX_FEATURE_INPUT) ? ssdeep(data) : null,
    imphash: null,
    importCount: 0,
    richHash: null,
    sections: [],
    functions: [],
    strings: [],
  };
  if (data.length > MAX_FEATURE_INPUT) return base;
  const parsed = options.known?.pe ?? parsePe(data);
  if (!isPeFile(parsed)) {
    base.strings = bottomK(extractStrings(data));
    return base;
  }
  const pe = parsed;
  base.format = pe.is64 ? 'pe32+' : 'pe32';
  base.imphash = pe.imphash;
  base.importCount = pe.imports.reduce((n, d) => n + d.functions.length, 0);
  base.richHash = pe.rich?.hash ?? null;
  base.sections = pe.sections.map((s) => ({ name: s.longName ?? s.name, size: s.sizeOfRawData, md5: s.md5, entropy: Math.round(s.entropy * 1000) / 1000 }));
  const exclude = importNames(pe);
  base.strings = bottomK(extractStrings(data, stringRanges(pe)).filter((s) => !exclude.has(s)));
  if (options.code !== false) {
    const program = options.known?.program;
    base.functions = reusableProgram(program) ? functionHashesOf(program) : functionHashes(pe, options.budget);
  }
  return base;
}
