// The pairwise evidence between two samples and the combined score, one documented formula (docs/similarity.md).
//
// content = max(0.95 c, 0.85 s)
// score   = 1 - (1 - content)(1 - 0.35 t)(1 - 0.35 d)(1 - 0.25 i)(1 - 0.25 r)
//   c  code:    share of rare code, weighted Jaccard of the function-hash sets (weight = instructions)
//   s  strings: Jaccard of the rare-string sets
//   t  TLSH:    max(0, (TLSH_NEAR - distance) / TLSH_NEAR)
//   d  ssdeep:  ssdeep score / 100
//   i  imphash: 1 when equal and both import at least MIN_IMPORTS_FOR_IMPHASH functions
//   r  rich:    1 when the Rich-header hashes are equal
// Code and strings are two views of one thing, the content two samples share, so the stronger of the two counts
// (adding them would count a shared library twice). The rest is a noisy-OR: each kind of evidence alone can raise
// the score only to its weight, so the whole-file hashes (which small programs from one compiler share through
// their runtime alone) never make a family by themselves, while shared rare code or strings can.

import { tlshDistance, parseTlsh, type TlshDigest } from './tlsh.js';
import { parseSsdeep, compareParsed } from './ssdeep.js';
import type { SampleFeatures } from './features.js';
import { fnv64Hex } from './hash64.js';

export const WEIGHTS = { code: 0.95, strings: 0.85, tlsh: 0.35, ssdeep: 0.35, imphash: 0.25, rich: 0.25 } as const;
/** TLSH distances at or above this add nothing ("same family" defaults sit at 30-40). */
export const TLSH_NEAR = 40;
/** imphash of a handful of imports says little (peers: "fails on packed or few-import files"). */
export const MIN_IMPORTS_FOR_IMPHASH = 10;
/** A pair at or above this score is the same family. */
export const FAMILY_THRESHOLD = 0.45;
/**
 * Two samples of one family are the same variant when their content similarity, max(code, strings) (the Jaccard
 * indexes, unweighted), is at least this: nearly the same rare code or strings, however they were built. The
 * combined score is not used: its TLSH and imphash terms measure the build (architecture, compiler), so two
 * feature levels built alike outscored one feature level built for x86 and x64 (0.857 against 0.806 on the
 * synthetic families). There, same-variant pairs have content similarity 0.949 or more and different variants
 * 0.889 or less; 0.92 sits in that gap.
 */
export const VARIANT_THRESHOLD = 0.92;

/** The similarity the variant threshold is compared with. */
export function variantSimilarity(e: PairEvidence): number {
  return Math.max(e.components.code, e.components.strings);
}
/** Evidence lists are cut to this many entries; counts stay exact. */
export const MAX_EVIDENCE_ITEMS = 25;

/** Feature kinds, as stored in the database. */
export const KIND_FUNCTION = 1;
export const KIND_STRING = 2;

/** A 48-bit key of a feature for sets and database tables (exact enough; collisions only blur rarity counts). */
export function functionKey(hash: string): number {
  return Number.parseInt(hash.slice(4), 16);
}
export function stringKey(s: string): number {
  return Number.parseInt(fnv64Hex(s).slice(4), 16);
}

/** Decides which features are too common to count as evidence (runtime code, boilerplate strings). */
export interface Commonness {
  isCommon(kind: number, key: number): boolean;
}

export const NOTHING_COMMON: Commonness = { isCommon: () => false };

/**
 * A sample's features prepared for comparison: rare function and string keys as sorted typed arrays (compact
 * enough for tens of thousands of samples in memory), with indexes back into the features for evidence.
 */
export interface Prepared {
  features: SampleFeatures;
  fnKeys: Float64Array;
  /** Instructions of the function with fnKeys[i] (the first one, when several share the hash). */
  fnInsns: Uint32Array;
  codeWeight: number;
  strKeys: Float64Array;
  /** Index into features.strings of the string with strKeys[i]. */
  strIndex: Uint32Array;
  tlsh: TlshDigest | null;
  ssdeep: ReturnType<typeof parseSsdeep>;
}

/** Keys sorted ascending without repeats, each with the payload of its first occurrence. */
function sortedUnique(keys: number[], payload: number[]): { keys: Float64Array; payload: Uint32Array } {
  const first = new Map<number, number>();
  keys.forEach((k, i) => {
    if (!first.has(k)) first.set(k, payload[i]!);
  });
  const sorted = Float64Array.from(first.keys()).sort();
  return { keys: sorted, payload: Uint32Array.from(sorted, (k) => first.get(k)!) };
}

/** A sample's feature keys, sorted and de-duplicated, before any rarity filter (what the database stores). */
export interface FeatureKeys {
  fnKeys: Float64Array;
  fnInsns: Uint32Array;
  strKeys: Float64Array;
  strIndex: Uint32Array;
}

export function featureKeysOf(f: SampleFeatures): FeatureKeys {
  const fns = sortedUnique(
    f.functions.map((fn) => functionKey(fn.hash)),
    f.functions.map((fn) => fn.insns),
  );
  const strs = sortedUnique(
    f.strings.map((x) => stringKey(x)),
    f.strings.map((_, i) => i),
  );
  return { fnKeys: fns.keys, fnInsns: fns.payload, strKeys: strs.keys, strIndex: strs.payload };
}

/** Keeps the entries whose key is not common. */
function rare(keys: Float64Array, payload: Uint32Array, kind: number, common: Commonness): { keys: Float64Array; payload: Uint32Array } {
  let n = 0;
  const k = new Float64Array(keys.length);
  const p = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    if (common.isCommon(kind, keys[i]!)) continue;
    k[n] = keys[i]!;
    p[n] = payload[i]!;
    n++;
  }
  return { keys: k.subarray(0, n), payload: p.subarray(0, n) };
}

/** Prepares from precomputed keys (the database path: no hashing, no sorting). */
export function prepareKeys(f: SampleFeatures, keys: FeatureKeys, common: Commonness): Prepared {
  const fns = rare(keys.fnKeys, keys.fnInsns, KIND_FUNCTION, common);
  const strs = rare(keys.strKeys, keys.strIndex, KIND_STRING, common);
  let codeWeight = 0;
  for (const w of fns.payload) codeWeight += w;
  return {
    features: f,
    fnKeys: fns.keys,
    fnInsns: fns.payload,
    codeWeight,
    strKeys: strs.keys,
    strIndex: strs.payload,
    tlsh: f.tlsh ? parseTlsh(f.tlsh) : null,
    ssdeep: f.ssdeep ? parseSsdeep(f.ssdeep) : null,
  };
}

export function prepare(f: SampleFeatures, common: Commonness): Prepared {
  return prepareKeys(f, featureKeysOf(f), common);
}

/** The 32-bit MinHash inputs of a prepared sample, per kind. */
export function minhashInputs(p: Prepared): { code: number[]; strings: number[] } {
  return {
    code: Array.from(p.fnKeys, (k) => mix48(k)),
    strings: Array.from(p.strKeys, (k) => mix48(k)),
  };
}

/** Folds a 48-bit key to 32 bits for MinHash. */
function mix48(k: number): number {
  return ((k % 0x100000000) ^ Math.floor(k / 0x100000000)) >>> 0;
}

export interface SharedFunction {
  hash: string;
  insns: number;
  /** Entry RVAs (hex) of the functions with this hash in each sample. */
  a: string[];
  b: string[];
}

export interface PairEvidence {
  score: number;
  components: { code: number; strings: number; tlsh: number; ssdeep: number; imphash: number; rich: number };
  tlshDistance: number | null;
  ssdeepScore: number | null;
  sameImphash: boolean;
  sameRichHash: boolean;
  sharedFunctionCount: number;
  /** Instructions in the shared rare functions. */
  sharedCodeInsns: number;
  /** The largest shared functions with their addresses in both samples (filled when details are asked for). */
  sharedFunctions: SharedFunction[];
  sharedStringCount: number;
  /** Some shared strings (filled when details are asked for). */
  sharedStrings: string[];
}

const hexRva = (n: number): string => `0x${n.toString(16)}`;

/** Indexes i into a and j into b where a[i] === b[j], both sorted ascending. */
function intersect(a: Float64Array, b: Float64Array, visit: (i: number, j: number) => void): void {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      visit(i, j);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
}

/** Evidence and score for a pair; `details` also lists the shared functions and strings (costlier). */
export function compare(a: Prepared, b: Prepared, options: { details?: boolean } = {}): PairEvidence {
  let sharedW = 0;
  let sharedCount = 0;
  const sharedKeys: number[] = [];
  intersect(a.fnKeys, b.fnKeys, (i) => {
    sharedCount++;
    sharedW += a.fnInsns[i]!;
    if (options.details) sharedKeys.push(a.fnKeys[i]!);
  });
  const unionW = a.codeWeight + b.codeWeight - sharedW;
  const code = unionW > 0 ? sharedW / unionW : 0;

  let sharedStrings = 0;
  const stringList: string[] = [];
  intersect(a.strKeys, b.strKeys, (i) => {
    sharedStrings++;
    if (options.details && stringList.length < MAX_EVIDENCE_ITEMS) stringList.push(a.features.strings[a.strIndex[i]!]!);
  });
  const unionS = a.strKeys.length + b.strKeys.length - sharedStrings;
  const strings = unionS > 0 ? sharedStrings / unionS : 0;

  const dist = a.tlsh && b.tlsh ? tlshDistance(a.tlsh, b.tlsh) : null;
  const t = dist === null ? 0 : Math.max(0, (TLSH_NEAR - dist) / TLSH_NEAR);
  const ssd = a.ssdeep && b.ssdeep ? compareParsed(a.ssdeep, b.ssdeep) : null;
  const d = ssd === null ? 0 : ssd / 100;
  const fa = a.features;
  const fb = b.features;
  const sameImphash = fa.imphash !== null && fa.imphash === fb.imphash;
  const i = sameImphash && Math.min(fa.importCount, fb.importCount) >= MIN_IMPORTS_FOR_IMPHASH ? 1 : 0;
  const sameRichHash = fa.richHash !== null && fa.richHash === fb.richHash;
  const r = sameRichHash ? 1 : 0;

  const content = Math.max(WEIGHTS.code * code, WEIGHTS.strings * strings);
  const score =
    1 -
    (1 - content) *
      (1 - WEIGHTS.tlsh * t) *
      (1 - WEIGHTS.ssdeep * d) *
      (1 - WEIGHTS.imphash * i) *
      (1 - WEIGHTS.rich * r);

  return {
    score: round3(score),
    components: { code: round3(code), strings: round3(strings), tlsh: round3(t), ssdeep: round3(d), imphash: i, rich: r },
    tlshDistance: dist,
    ssdeepScore: ssd,
    sameImphash,
    sameRichHash,
    sharedFunctionCount: sharedCount,
    sharedCodeInsns: sharedW,
    sharedFunctions: options.details ? sharedFunctionDetails(a.features, b.features, sharedKeys) : [],
    sharedStringCount: sharedStrings,
    sharedStrings: stringList,
  };
}

/** The largest shared functions, with every address each sample has them at. */
function sharedFunctionDetails(a: SampleFeatures, b: SampleFeatures, keys: number[]): SharedFunction[] {
  const wanted = new Set(keys);
  const byKey = new Map<number, SharedFunction>();
  for (const [side, f] of [['a', a], ['b', b]] as const) {
    for (const fn of f.functions) {
      const k = functionKey(fn.hash);
      if (!wanted.has(k)) continue;
      let entry = byKey.get(k);
      if (!entry) {
        entry = { hash: fn.hash, insns: fn.insns, a: [], b: [] };
        byKey.set(k, entry);
      }
      entry[side].push(hexRva(fn.rva));
    }
  }
  return [...byKey.values()]
    .sort((x, y) => y.insns - x.insns || (x.hash < y.hash ? -1 : 1))
    .slice(0, MAX_EVIDENCE_ITEMS);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Plain-language reasons for a pair, strongest first, for reports. */
export function explain(e: PairEvidence): string[] {
  const why: string[] = [];
  if (e.sharedFunctionCount > 0) {
    why.push(`${e.sharedFunctionCount} rare function(s) in common (${e.sharedCodeInsns} instructions, code similarity ${e.components.code})`);
  }
  if (e.sharedStringCount > 0) why.push(`${e.sharedStringCount} rare string(s) in common (string similarity ${e.components.strings})`);
  if (e.tlshDistance !== null && e.tlshDistance < TLSH_NEAR) why.push(`TLSH distance ${e.tlshDistance}`);
  if (e.ssdeepScore) why.push(`ssdeep score ${e.ssdeepScore}`);
  if (e.components.imphash) why.push('same imphash');
  if (e.sameRichHash) why.push('same Rich-header hash');
  return why;
}
