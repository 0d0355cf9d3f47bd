// Nearest samples and families of one sample in a family database, with the evidence for each; the verdict reports use.

import type { FamilyVerdict } from '../core/findings.js';
import type { SimilarityDb, StoredSample } from './db.js';
import type { SampleFeatures, SectionFeature } from './features.js';
import { tlshT1 } from './tlsh.js';
import { compare, explain, FAMILY_THRESHOLD, prepare, prepareKeys, type PairEvidence } from './score.js';

/** Default number of nearest samples returned. */
export const DEFAULT_TOP = 10;
/**
 * Matches scoring below this are noise: still listed (the nearest samples are always shown, up to `top`) but
 * marked `belowListingThreshold`; families below it are not listed.
 */
export const MIN_LISTED_SCORE = 0.05;
/** A family sharing at least this much rare code with the sample is named as a relation. */
export const MIN_RELATION_FUNCTIONS = 3;

export interface SampleRef {
  id: number;
  name: string;
  sha256: string;
  family: string | null;
  variant: string | null;
}

export interface SimilarMatch {
  sample: SampleRef;
  /** True when the stored sample has the same SHA-256. */
  identical: boolean;
  evidence: PairEvidence;
  why: string[];
  /** Scores under MIN_LISTED_SCORE: listed only because it is among the nearest, not as evidence. */
  belowListingThreshold: boolean;
}

export interface FamilyMatch {
  family: string;
  /** The best score of any of its samples. */
  score: number;
  /** Its best-matching sample and that sample's variant. */
  nearest: SampleRef;
  variant: string | null;
  /** How many of its samples score at or above the family threshold. */
  samplesAboveThreshold: number;
  why: string[];
}

export interface SimilarResult {
  /** `tlsh` is the 70-digit form Debian's tlsh 3.4 prints and reads; `tlshT1` the same digest with the `T1` prefix. */
  query: {
    name: string;
    sha256: string;
    tlsh: string | null;
    tlshT1: string | null;
    ssdeep: string | null;
    imphash: string | null;
    richHash: string | null;
    /** Each section's name, size, MD5 and entropy (shown, not scored). */
    sections: SectionFeature[];
  };
  candidatesScored: number;
  familyThreshold: number;
  /** MIN_LISTED_SCORE: matches below it are marked, families below it left out. */
  listingThreshold: number;
  matches: SimilarMatch[];
  families: FamilyMatch[];
  /** Families the sample shares rare code with but does not belong to (a shared platform or library). */
  relations: { family: string; sharedFunctions: number; sharedStrings: number }[];
}

function ref(s: StoredSample): SampleRef {
  return { id: s.id, name: s.features.name, sha256: s.features.sha256, family: s.family, variant: s.variant };
}

/** Scores the database's candidates for `features` (LSH and exact-hash lookups, never a scan of all samples). */
export function findSimilar(db: SimilarityDb, features: SampleFeatures, options: { top?: number } = {}): SimilarResult {
  const top = options.top ?? DEFAULT_TOP;
  const common = db.commonness();
  const q = prepare(features, common);
  const ids = db.candidates(q);
  const scored = db.loadPrepared(ids, common).map(({ sample, prepared }) => ({ s: sample, e: compare(q, prepared) }));
  scored.sort((x, y) => y.e.score - x.e.score || x.s.id - y.s.id);

  // Evidence lists need the function addresses and string texts: read in full for the listed matches only.
  const listed = scored.slice(0, top);
  const matches: SimilarMatch[] = [];
  for (const { sample, keys } of db.loadWithKeys(listed.map((x) => x.s.id))) {
    const e = compare(q, prepareKeys(sample.features, keys, common), { details: true });
    matches.push({
      sample: ref(sample),
      identical: sample.features.sha256 === features.sha256,
      evidence: e,
      why: explain(e),
      belowListingThreshold: e.score < MIN_LISTED_SCORE,
    });
  }

  const byFamily = new Map<string, { best: StoredSample; e: PairEvidence; above: number; fns: number; strs: number }>();
  for (const { s, e } of scored) {
    if (!s.family) continue;
    const cur = byFamily.get(s.family);
    const above = e.score >= FAMILY_THRESHOLD ? 1 : 0;
    if (!cur) byFamily.set(s.family, { best: s, e, above, fns: e.sharedFunctionCount, strs: e.sharedStringCount });
    else {
      cur.above += above;
      cur.fns = Math.max(cur.fns, e.sharedFunctionCount);
      cur.strs = Math.max(cur.strs, e.sharedStringCount);
      if (e.score > cur.e.score) {
        cur.best = s;
        cur.e = e;
      }
    }
  }
  const families: FamilyMatch[] = [...byFamily.entries()]
    .filter(([, v]) => v.e.score >= MIN_LISTED_SCORE)
    .sort((x, y) => y[1].e.score - x[1].e.score || (x[0] < y[0] ? -1 : 1))
    .slice(0, top)
    .map(([family, v]) => ({
      family,
      score: v.e.score,
      nearest: ref(v.best),
      variant: v.best.variant,
      samplesAboveThreshold: v.above,
      why: explain(v.e),
    }));
  const nearestFamily = families[0] && families[0].score >= FAMILY_THRESHOLD ? families[0].family : null;
  const relations = [...byFamily.entries()]
    .filter(([name, v]) => name !== nearestFamily && v.e.score < FAMILY_THRESHOLD && v.fns >= MIN_RELATION_FUNCTIONS)
    .map(([family, v]) => ({ family, sharedFunctions: v.fns, sharedStrings: v.strs }))
    .sort((x, y) => y.sharedFunctions - x.sharedFunctions || (x.family < y.family ? -1 : 1));

  return {
    query: {
      name: features.name,
      sha256: features.sha256,
      tlsh: features.tlsh,
      tlshT1: features.tlsh ? tlshT1(features.tlsh) : null,
      ssdeep: features.ssdeep,
      imphash: features.imphash,
      richHash: features.richHash,
      sections: features.sections,
    },
    candidatesScored: scored.length,
    familyThreshold: FAMILY_THRESHOLD,
    listingThreshold: MIN_LISTED_SCORE,
    matches,
    families,
    relations,
  };
}

/**
 * The family a sample belongs to according to the database, or null when no family scores at least
 * `minScore` (FAMILY_THRESHOLD by default). This is what sweep and triage put in a report's `family`.
 */
export function nearestFamily(db: SimilarityDb, features: SampleFeatures, options: { minScore?: number } = {}): FamilyVerdict | null {
  return verdictOf(findSimilar(db, features, { top: 5 }), options.minScore ?? FAMILY_THRESHOLD);
}

/** The FamilyVerdict a similarity result supports, or null. */
export function verdictOf(r: SimilarResult, minScore = FAMILY_THRESHOLD): FamilyVerdict | null {
  const best = r.families[0];
  if (!best || best.score < minScore) return null;
  const rel = r.relations.map((x) => ({ relation: `shares ${x.sharedFunctions} rare function(s) with`, family: x.family }));
  const related = r.relations.length ? `; shares code with ${r.relations.map((x) => x.family).join(', ')}` : '';
  const verdict: FamilyVerdict = {
    name: best.family,
    score: best.score,
    summary: `${best.family}${best.variant ? ` ${best.variant}` : ''} (nearest sample ${best.nearest.name}, score ${best.score})${related}`,
    why: best.why,
  };
  if (best.variant) verdict.variant = best.variant;
  if (rel.length) verdict.relations = rel;
  return verdict;
}
