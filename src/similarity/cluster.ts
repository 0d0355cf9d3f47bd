// Groups samples into families and variants from LSH candidate pairs (never all pairs), and links families that
// share rare code, such as two families built on one platform library.

import { bandKeys, minhash } from './minhash.js';
import type { SampleFeatures } from './features.js';
import {
  compare,
  explain,
  FAMILY_THRESHOLD,
  KIND_FUNCTION,
  KIND_STRING,
  featureKeysOf,
  minhashInputs,
  prepareKeys,
  VARIANT_THRESHOLD,
  variantSimilarity,
  WEIGHTS,
  type Commonness,
  type FeatureKeys,
  type PairEvidence,
  type Prepared,
  type SharedFunction,
} from './score.js';
import { COMMON_GROUP_FRACTION, COMMON_MIN_GROUPS } from './db.js';

/** Buckets up to this size are compared all-pairs; larger ones each member against its next BUCKET_WINDOW. */
export const MAX_PAIRWISE_BUCKET = 40;
export const BUCKET_WINDOW = 8;
/**
 * Two families are linked when their most-sharing pair of samples has at least MIN_LINK_FUNCTIONS rare functions
 * of MIN_LINK_INSNS instructions in all, or MIN_LINK_STRINGS rare strings: a few small look-alike helpers (option
 * parsing, string copies) are coincidence, a library is not.
 */
export const MIN_LINK_FUNCTIONS = 3;
export const MIN_LINK_INSNS = 200;
export const MIN_LINK_STRINGS = 5;
/** Edges kept for the graph: family edges always, plus cross-family edges with shared code. At most this many. */
export const MAX_EDGES = 200_000;
/** Members per family looked at when choosing a link's representative pair. */
export const MAX_LINK_MEMBERS_SCANNED = 16;

export interface ClusterInput {
  name: string;
  features: SampleFeatures;
  /** A family already known (from a database), shown beside the computed one. */
  knownFamily?: string | null;
}

export interface ClusterOptions {
  /** Runtime and library features never counted (a database's baseline). */
  baseline?: Commonness;
  familyThreshold?: number;
  variantThreshold?: number;
}

/**
 * What an edge stands for: `code` or `strings` when shared rare code (or rare strings) alone carries it (for a
 * family edge, reaches the family threshold by itself; for a link, passes the link's code or string minimum),
 * `combined` when no single kind does and it takes several kinds of evidence together (content, fuzzy hashes,
 * imphash).
 */
export type EdgeBasis = 'code' | 'strings' | 'combined';

export interface ClusterEdge {
  a: number;
  b: number;
  /** `family`: same family; `link`: different families sharing code. */
  kind: 'family' | 'link';
  basis: EdgeBasis;
  score: number;
  sharedFunctions: number;
  sharedCodeInsns: number;
  sharedStrings: number;
  tlshDistance: number | null;
  ssdeepScore: number | null;
  why: string[];
}

export interface ClusterFamily {
  id: string;
  /** The known family most of its members carry, else the id. */
  label: string;
  members: number[];
  /** Variant groups: members linked by pairs of content similarity at or above the variant threshold. */
  variants: number[][];
}

/** A function both samples of a link's pair hold, with its entry RVAs (hex) in each. */
export interface LinkFunction {
  hash: string;
  insns: number;
  /** Entry RVAs in `pair.a` and in `pair.b`. */
  rvaA: string[];
  rvaB: string[];
}

export interface ClusterLink {
  a: string;
  b: string;
  /** `code` when the representative pair shares enough rare code (MIN_LINK_FUNCTIONS, MIN_LINK_INSNS), else `strings`. */
  basis: Exclude<EdgeBasis, 'combined'>;
  /** Distinct rare functions and strings the two families share (over all their cross pairs). */
  sharedFunctions: number;
  sharedStrings: number;
  /** The representative pair the examples come from: a sample of family `a` and one of family `b`. */
  pair: { a: { index: number; name: string }; b: { index: number; name: string } };
  /** Score of the representative pair. */
  bestScore: number;
  examples: LinkFunction[];
  exampleStrings: string[];
}

export interface ClusterSample {
  index: number;
  name: string;
  sha256: string;
  size: number;
  family: string;
  variant: number;
  knownFamily: string | null;
  tlsh: string | null;
  ssdeep: string | null;
  imphash: string | null;
  richHash: string | null;
  rareFunctions: number;
  rareStrings: number;
}

export interface ClusterResult {
  samples: ClusterSample[];
  families: ClusterFamily[];
  edges: ClusterEdge[];
  links: ClusterLink[];
  stats: { samples: number; candidatePairs: number; comparedPairs: number; familyThreshold: number; variantThreshold: number; seconds: number };
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[x] !== r) {
      const next = this.parent[x]!;
      this.parent[x] = r;
      x = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Features common within the set itself: in at least COMMON_MIN_GROUPS samples and COMMON_GROUP_FRACTION of all. */
function setCommonness(keys: FeatureKeys[], baseline: Commonness): Commonness {
  const counts = new Map<number, number>();
  const bump = (tag: number, keys: Float64Array): void => {
    for (const k of keys) {
      const id = k * 4 + tag;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  };
  for (const k of keys) {
    bump(KIND_FUNCTION, k.fnKeys);
    bump(KIND_STRING, k.strKeys);
  }
  const threshold = Math.max(COMMON_MIN_GROUPS, Math.ceil(COMMON_GROUP_FRACTION * keys.length));
  const frequent = new Set<number>();
  for (const [id, n] of counts) if (n >= threshold) frequent.add(id);
  return { isCommon: (kind, key) => baseline.isCommon(kind, key) || frequent.has(key * 4 + kind) };
}

/** Candidate pairs from LSH buckets over code and string signatures and TLSH slices. */
function candidatePairs(prepared: Prepared[]): Set<number> {
  const buckets = new Map<string, number[]>();
  const file = (key: string, i: number): void => {
    const b = buckets.get(key);
    if (b) b.push(i);
    else buckets.set(key, [i]);
  };
  prepared.forEach((p, i) => {
    const inputs = minhashInputs(p);
    if (inputs.code.length) bandKeys(minhash(inputs.code)).forEach((k, b) => file(`c${b}:${k}`, i));
    if (inputs.strings.length) bandKeys(minhash(inputs.strings)).forEach((k, b) => file(`s${b}:${k}`, i));
    if (p.features.imphash) file(`i:${p.features.imphash}`, i);
    const t = p.features.tlsh;
    if (t) for (let s = 0; s < 8; s++) file(`t${s}:${t.slice(6 + s * 8, 14 + s * 8)}`, i);
  });
  const pairs = new Set<number>();
  const n = prepared.length;
  for (const members of buckets.values()) {
    if (members.length < 2) continue;
    const wide = members.length <= MAX_PAIRWISE_BUCKET ? members.length : BUCKET_WINDOW + 1;
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length && y < x + wide; y++) {
        const a = members[x]!;
        const b = members[y]!;
        pairs.add(a < b ? a * n + b : b * n + a);
      }
    }
  }
  return pairs;
}

/** A link stands for code when its pair shares enough rare code, else for its rare strings. */
function linkBasis(e: PairEvidence): 'code' | 'strings' {
  return e.sharedFunctionCount >= MIN_LINK_FUNCTIONS && e.sharedCodeInsns >= MIN_LINK_INSNS ? 'code' : 'strings';
}

/** A family edge's basis: the content term that reaches the threshold alone (the larger, as in the score), else combined. */
function familyBasis(e: PairEvidence, threshold: number): EdgeBasis {
  const code = WEIGHTS.code * e.components.code;
  const strings = WEIGHTS.strings * e.components.strings;
  if (Math.max(code, strings) < threshold) return 'combined';
  return code >= strings ? 'code' : 'strings';
}

function edgeOf(a: number, b: number, e: PairEvidence, kind: 'family' | 'link', threshold: number): ClusterEdge {
  return {
    a,
    b,
    kind,
    basis: kind === 'link' ? linkBasis(e) : familyBasis(e, threshold),
    score: e.score,
    sharedFunctions: e.sharedFunctionCount,
    sharedCodeInsns: e.sharedCodeInsns,
    sharedStrings: e.sharedStringCount,
    tlshDistance: e.tlshDistance,
    ssdeepScore: e.ssdeepScore,
    why: explain(e),
  };
}

/**
 * Families that share rare features: an inverted index from each rare feature to the families holding it (linear in
 * the number of features, so low-similarity links that LSH is tuned to miss are still found). Each link comes with
 * the sample pair sharing the most of those features, for its evidence.
 */
function familyLinks(prepared: Prepared[], familyOf: ClusterFamily[], names: string[]): ClusterLink[] {
  const owner = new Map<number, number>();
  const shared = new Map<string, { fns: Set<number>; strs: Set<number> }>();
  const familyIndex = new Map<ClusterFamily, number>();
  const families: ClusterFamily[] = [];
  for (const f of familyOf) {
    if (!familyIndex.has(f)) {
      familyIndex.set(f, families.length);
      families.push(f);
    }
  }
  prepared.forEach((p, i) => {
    const fam = familyIndex.get(familyOf[i]!)!;
    const visit = (keys: Float64Array, tag: number): void => {
      for (const k of keys) {
        const id = k * 4 + tag;
        const first = owner.get(id);
        if (first === undefined) owner.set(id, fam);
        else if (first !== fam) {
          const [x, y] = first < fam ? [first, fam] : [fam, first];
          const key = `${x}|${y}`;
          let acc = shared.get(key);
          if (!acc) {
            acc = { fns: new Set(), strs: new Set() };
            shared.set(key, acc);
          }
          (tag === KIND_FUNCTION ? acc.fns : acc.strs).add(k);
        }
      }
    };
    visit(p.fnKeys, KIND_FUNCTION);
    visit(p.strKeys, KIND_STRING);
  });
  const links: ClusterLink[] = [];
  for (const [key, acc] of shared) {
    if (acc.fns.size < MIN_LINK_FUNCTIONS && acc.strs.size < MIN_LINK_STRINGS) continue;
    const [x, y] = key.split('|').map(Number) as [number, number];
    // The representative pair: the members of each family holding the most of the shared features.
    const best = (f: ClusterFamily): number => {
      let bi = f.members[0]!;
      let bn = -1;
      for (const m of f.members.slice(0, MAX_LINK_MEMBERS_SCANNED)) {
        const p = prepared[m]!;
        let n = 0;
        for (const k of p.fnKeys) if (acc.fns.has(k)) n += 2;
        for (const k of p.strKeys) if (acc.strs.has(k)) n++;
        if (n > bn) {
          bn = n;
          bi = m;
        }
      }
      return bi;
    };
    const a = best(families[x]!);
    const b = best(families[y]!);
    const detail = compare(prepared[a]!, prepared[b]!, { details: true });
    const basis = linkBasis(detail);
    if (basis === 'strings' && detail.sharedStringCount < MIN_LINK_STRINGS) continue;
    links.push({
      a: families[x]!.id,
      b: families[y]!.id,
      basis,
      sharedFunctions: acc.fns.size,
      sharedStrings: acc.strs.size,
      pair: { a: { index: a, name: names[a]! }, b: { index: b, name: names[b]! } },
      bestScore: detail.score,
      examples: detail.sharedFunctions.slice(0, 10).map((f: SharedFunction) => ({ hash: f.hash, insns: f.insns, rvaA: f.a, rvaB: f.b })),
      exampleStrings: detail.sharedStrings.slice(0, 10),
    });
  }
  return links.sort((p, q) => q.sharedFunctions - p.sharedFunctions || q.sharedStrings - p.sharedStrings || (p.a < q.a ? -1 : 1));
}

/** Clusters samples into families (connected components of same-family pairs) and variants, and links families. */
export function clusterSamples(inputs: ClusterInput[], options: ClusterOptions = {}): ClusterResult {
  const t0 = performance.now();
  const familyThreshold = options.familyThreshold ?? FAMILY_THRESHOLD;
  const variantThreshold = options.variantThreshold ?? VARIANT_THRESHOLD;
  // Keys are hashed once; the set's own frequent features are counted over them, then left out.
  const keys = inputs.map((x) => featureKeysOf(x.features));
  const common = setCommonness(keys, options.baseline ?? { isCommon: () => false });
  const prepared = inputs.map((x, i) => prepareKeys(x.features, keys[i]!, common));
  const n = prepared.length;
  const pairs = candidatePairs(prepared);

  const families = new UnionFind(n);
  const variants = new UnionFind(n);
  const scored: { a: number; b: number; e: PairEvidence }[] = [];
  let compared = 0;
  for (const key of pairs) {
    const a = Math.floor(key / n);
    const b = key % n;
    // Already one variant: the pair can change neither grouping, and the graph keeps the edges that joined them.
    if (variants.find(a) === variants.find(b)) continue;
    compared++;
    const e = compare(prepared[a]!, prepared[b]!);
    if (e.score >= familyThreshold) families.union(a, b);
    if (e.score >= familyThreshold && variantSimilarity(e) >= variantThreshold) variants.union(a, b);
    if (e.score >= familyThreshold) scored.push({ a, b, e });
  }

  // Families in order of their first member; ids F1, F2, ...
  const rootToFamily = new Map<number, ClusterFamily>();
  const familyOf: ClusterFamily[] = [];
  for (let i = 0; i < n; i++) {
    const root = families.find(i);
    let f = rootToFamily.get(root);
    if (!f) {
      f = { id: `F${rootToFamily.size + 1}`, label: '', members: [], variants: [] };
      rootToFamily.set(root, f);
    }
    f.members.push(i);
    familyOf[i] = f;
  }
  const variantIndex = new Int32Array(n);
  for (const f of rootToFamily.values()) {
    const groups = new Map<number, number[]>();
    for (const m of f.members) {
      const r = variants.find(m);
      const g = groups.get(r);
      if (g) g.push(m);
      else groups.set(r, [m]);
    }
    f.variants = [...groups.values()];
    f.variants.forEach((g, vi) => g.forEach((m) => (variantIndex[m] = vi + 1)));
    const known = new Map<string, number>();
    for (const m of f.members) {
      const k = inputs[m]!.knownFamily;
      if (k) known.set(k, (known.get(k) ?? 0) + 1);
    }
    const top = [...known.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    f.label = top && top[1] * 2 > f.members.length ? top[0] : f.id;
  }

  const edges: ClusterEdge[] = [];
  scored.sort((x, y) => y.e.score - x.e.score || x.a - y.a || x.b - y.b);
  for (const { a, b, e } of scored) {
    if (edges.length >= MAX_EDGES) break;
    if (familyOf[a] === familyOf[b]) edges.push(edgeOf(a, b, e, 'family', familyThreshold));
  }
  const links = familyLinks(prepared, familyOf, inputs.map((x) => x.name));
  for (const l of links) {
    const e = compare(prepared[l.pair.a.index]!, prepared[l.pair.b.index]!);
    if (edges.length < MAX_EDGES) edges.push(edgeOf(l.pair.a.index, l.pair.b.index, e, 'link', familyThreshold));
  }

  const samples: ClusterSample[] = inputs.map((x, i) => ({
    index: i,
    name: x.name,
    sha256: x.features.sha256,
    size: x.features.size,
    family: familyOf[i]!.id,
    variant: variantIndex[i]!,
    knownFamily: x.knownFamily ?? null,
    tlsh: x.features.tlsh,
    ssdeep: x.features.ssdeep,
    imphash: x.features.imphash,
    richHash: x.features.richHash,
    rareFunctions: prepared[i]!.fnKeys.length,
    rareStrings: prepared[i]!.strKeys.length,
  }));
  return {
    samples,
    families: [...rootToFamily.values()],
    edges,
    links,
    stats: { samples: n, candidatePairs: pairs.size, comparedPairs: compared, familyThreshold, variantThreshold, seconds: (performance.now() - t0) / 1000 },
  };
}
