// The public face of similarity/: fuzzy hashes, features, the family database, nearest-family lookup, clustering.

import { FirebreakError } from '../core/errors.js';
import type { FamilyVerdict } from '../core/findings.js';
import { clusterSamples, type ClusterResult } from './cluster.js';
import { SimilarityDb, type AddOptions } from './db.js';
import { extractFeatures, type ExtractOptions, type SampleFeatures } from './features.js';
import { expandPaths, featuresOfFile } from './files.js';
import { findSimilar, nearestFamily, type SimilarResult } from './query.js';
import { FAMILY_THRESHOLD } from './score.js';

export { tlsh, tlshHex, tlshT1, formatTlsh, parseTlsh, tlshDistance, TlshHasher, TLSH_MIN_LENGTH, type TlshDigest } from './tlsh.js';
export { ssdeep, ssdeepCompare, SsdeepHasher } from './ssdeep.js';
export { extractFeatures, type ExtractOptions, type SampleFeatures, type SectionFeature, type FunctionFeature } from './features.js';
export { SimilarityDb, borrowedBaselineNote, type StoredSample, type AddOptions, type FamilySummary, type SampleRole } from './db.js';
export { findSimilar, nearestFamily, verdictOf, type SimilarResult, type SimilarMatch, type FamilyMatch } from './query.js';
export { clusterSamples, type ClusterResult, type ClusterInput, type ClusterFamily, type ClusterLink, type ClusterEdge } from './cluster.js';
export { renderCluster, CLUSTER_FORMATS, type ClusterFormat } from './render.js';
export { compare, prepare, explain, WEIGHTS, FAMILY_THRESHOLD, VARIANT_THRESHOLD, variantSimilarity, TLSH_NEAR, type PairEvidence } from './score.js';
export { expandPaths, featuresOfFile } from './files.js';

export interface AddResult {
  path: string;
  sha256: string;
  id: number;
  added: boolean;
  functions: number;
  strings: number;
}

/** Files whose features are stored per transaction (a commit per file would wait on the disk each time). */
export const ADD_BATCH = 64;

/** Extracts and stores the features of every file under `paths` (folders walked); the samples are not stored. */
export function addFiles(db: SimilarityDb, paths: string[], options: AddOptions = {}, onFile?: (r: AddResult) => void): AddResult[] {
  const results: AddResult[] = [];
  const files = expandPaths(paths);
  for (let start = 0; start < files.length; start += ADD_BATCH) {
    const batch = files.slice(start, start + ADD_BATCH).map((path) => ({ path, features: featuresOfFile(path) }));
    const stored = db.addMany(batch.map((b) => ({ features: b.features, options })));
    batch.forEach((b, i) => {
      const r = { path: b.path, sha256: b.features.sha256, id: stored[i]!.id, added: stored[i]!.added, functions: b.features.functions.length, strings: b.features.strings.length };
      results.push(r);
      onFile?.(r);
    });
  }
  return results;
}

/** Nearest samples and families of one file. */
export function similarToFile(db: SimilarityDb, path: string, options: { top?: number } = {}): SimilarResult {
  return findSimilar(db, featuresOfFile(path), options);
}

/** Clusters the files under `paths`; a database, when given, supplies the runtime baseline and known family names. */
export function clusterFiles(paths: string[], options: { db?: SimilarityDb; onFile?: (path: string) => void } = {}): ClusterResult {
  const files = expandPaths(paths);
  if (files.length === 0) throw new FirebreakError('E_USAGE', 'no files to cluster', { input: paths.join(' ') });
  const inputs = files.map((path) => {
    options.onFile?.(path);
    const features = featuresOfFile(path);
    const known = options.db ? nearestFamily(options.db, features) : null;
    return { name: path, features, knownFamily: known?.name ?? null };
  });
  return clusterSamples(inputs, options.db ? { baseline: options.db.baseline() } : {});
}

/**
 * What sweep and triage use to name a file's family: open once with a database path, then `match` each file.
 * `match` returns null when no family reaches the family threshold (or `minScore`).
 */
export class FamilyMatcher {
  private readonly db: SimilarityDb;
  /** True when the database had no runtime baseline of its own and borrowed `fallbackBaseline`'s. */
  readonly borrowedBaseline: boolean;

  /** `fallbackBaseline`: a database whose runtime baseline to use when this one has none (SimilarityDb.useFallbackBaseline). */
  constructor(dbPath: string, private readonly options: { minScore?: number; code?: boolean; fallbackBaseline?: string } = {}) {
    this.db = SimilarityDb.open(dbPath, { readonly: true });
    try {
      this.borrowedBaseline = options.fallbackBaseline !== undefined && this.db.useFallbackBaseline(options.fallbackBaseline);
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  /** `extract` passes on what the caller already has (hashes, the parsed PE, a recovered program) and a deadline. */
  match(data: Uint8Array, name: string, extract: Pick<ExtractOptions, 'known' | 'budget'> = {}): FamilyVerdict | null {
    return this.matchFeatures(extractFeatures(data, { name, code: this.options.code, ...extract }));
  }

  matchFeatures(features: SampleFeatures): FamilyVerdict | null {
    return nearestFamily(this.db, features, { minScore: this.options.minScore ?? FAMILY_THRESHOLD });
  }

  close(): void {
    this.db.close();
  }
}
