// Two matchers with one contract: the reference (every rule, in order) and the indexed one (only candidate rules).

import type { Address, FeatureSet, PendingFeatures } from '../features/featureset.js';
import { namespacePrefixes } from '../features/featureset.js';
import { matchKey, type Feature } from '../features/feature.js';
import { evaluate, evaluateFeature, startsWith, test, type Result } from './evaluate.js';
import type { FeatureNode, Node, Rule, StaticScope } from './rule.js';
import type { RuleSet } from './ruleset.js';

/** The address capa calls NO_ADDRESS: file-scope matches have no single location. */
export const FILE_ADDRESS = -1;

export interface ScopeMatch {
  rule: Rule;
  address: Address;
  /** The evidence tree, when asked for. */
  result?: Result;
}

/**
 * Evaluates the rules of one scope against one scope instance's features. As rules match, their `match` features
 * (name and namespaces) are added to `fs`, so later rules in topological order see them.
 */
export interface Matcher {
  readonly name: string;
  match(scope: StaticScope, fs: FeatureSet, address: Address, evidence: boolean): ScopeMatch[];
  /**
   * False only when no rule of the scope can match these features, so the caller may skip building a FeatureSet
   * and calling `match`. Must never be false when `match` would find something.
   */
  mayMatch(scope: StaticScope, pending: PendingFeatures, from: number): boolean;
}

/** capa.engine.match: every rule of the scope, in topological order. Slow and simple, the yardstick. */
export class ReferenceMatcher implements Matcher {
  readonly name = 'reference';
  constructor(private readonly rules: RuleSet) {}

  mayMatch(): boolean {
    return true;
  }

  match(scope: StaticScope, fs: FeatureSet, address: Address, evidence: boolean): ScopeMatch[] {
    const out: ScopeMatch[] = [];
    for (const rule of this.rules.byScope[scope]) {
      const r = evaluate(rule.node, fs, true);
      if (!r.success) continue;
      const m: ScopeMatch = { rule, address };
      if (evidence) m.result = evaluate(rule.node, fs, false);
      out.push(m);
      fs.addMatch(rule.name, rule.namespace, [address]);
    }
    return out;
  }
}

interface ScopeIndex {
  /** Rules (by position in the scope's order) that can only match when a feature with this key is present. */
  byKey: Map<string, number[]>;
  /** Rules whose index needs a substring or regex feature to match some string. */
  stringRules: { pos: number; features: FeatureNode[] }[];
  /** Rules whose index needs a bytes feature: by the pattern's first 4 bytes, and short patterns apart. */
  bytesByPrefix: Map<number, { pos: number; pattern: Uint8Array }[]>;
  shortBytes: { pos: number; pattern: Uint8Array }[];
  /** Rules that cannot be indexed (top-level `not`, only optional parts, `os: any`): always evaluated. */
  always: number[];
  rules: Rule[];
  /** Per rule: clauses of keys of which at least one each must be present for the rule to match (see requiredClauses). */
  clauses: string[][][];
}

/** Clauses kept per rule: enough to filter, few enough to check quickly. */
const MAX_CLAUSES = 16;

/** Features that are never in an instruction's or block's own list: globals, and matches made at the same scope. */
function clauseKey(n: FeatureNode): string | null {
  const t = n.feature.type;
  if (n.key === null || t === 'match' || t === 'os' || t === 'arch' || t === 'format') return null;
  return n.key;
}

/**
 * Necessary conditions for a node to match, as clauses: in each clause at least one key must be present among the
 * scope instance's own features. `and` joins its children's clauses; `or` and `N or more` give one clause from the
 * first clause of every branch, when every branch has one. Sound by construction: a rule that matches satisfies
 * every clause. Used to skip building a feature set when no candidate rule can match.
 */
function requiredClauses(node: Node, depth = 0): string[][] {
  if (depth > 64) return [];
  switch (node.kind) {
    case 'feature': {
      const k = clauseKey(node);
      return k ? [[k]] : [];
    }
    case 'range': {
      const k = node.min >= 1 ? clauseKey(node.child) : null;
      return k ? [[k]] : [];
    }
    case 'and':
      return node.children.flatMap((c) => requiredClauses(c, depth + 1)).slice(0, MAX_CLAUSES);
    case 'or':
    case 'some': {
      if (node.kind === 'some' && node.count === 0) return [];
      const union: string[] = [];
      for (const c of node.children) {
        const first = requiredClauses(c, depth + 1)[0];
        if (!first) return [];
        union.push(...first);
      }
      return union.length > 0 ? [union] : [];
    }
    default:
      return [];
  }
}

/** capa's manual selectivity scores (rules/__init__.py _score_feature): the rarer a feature, the better an index key. */
function scoreFeature(f: Feature, scores: Map<string, number>): number {
  switch (f.type) {
    case 'match':
      return scores.get(f.value) ?? 9;
    case 'number':
    case 'operand-number': {
      const v = f.value;
      if (v >= -0x8000n && v <= 0x8000n) return 3;
      if (v >= 0xffffff00n && v <= 0xffffffffn) return 3;
      if (v >= 0xffffffffffffff00n && v <= 0xffffffffffffffffn) return 3;
      return 7;
    }
    case 'substring':
    case 'regex':
    case 'bytes':
      return 0;
    case 'string':
      return 9;
    case 'api':
      return 8;
    case 'export':
      return 7;
    case 'class':
    case 'namespace':
    case 'property':
    case 'import':
    case 'section':
    case 'function-name':
      return 5;
    case 'characteristic':
    case 'offset':
    case 'operand-offset':
      return 4;
    case 'mnemonic':
      return 2;
    case 'basic-block':
      return 1;
    case 'os':
    case 'arch':
    case 'format':
      return 0;
  }
}

type Pick = { score: number; features: FeatureNode[] } | null;

/** The minimal set of features one of which must be present for `node` to match (capa's _index_rules_by_feature). */
function pickIndex(node: Node, scores: Map<string, number>, depth = 0): Pick | 'unindexable' {
  if (depth > 64) return 'unindexable';
  switch (node.kind) {
    case 'not':
      return null;
    case 'some':
      if (node.count === 0) return null;
      return pickAny(node.children, scores, depth);
    case 'range':
      if (node.min === 0) return null;
      return { score: scoreFeature(node.child.feature, scores), features: [node.child] };
    case 'feature':
      if (node.feature.type === 'os' && node.key === null) return 'unindexable';
      return { score: scoreFeature(node.feature, scores), features: [node] };
    case 'and': {
      let best: Pick = null;
      for (const c of node.children) {
        const p = pickIndex(c, scores, depth + 1);
        if (p === 'unindexable') return 'unindexable';
        if (p === null) continue;
        if (!best || p.score > best.score || (p.score === best.score && p.features.length < best.features.length)) best = p;
      }
      return best;
    }
    case 'or':
      return pickAny(node.children, scores, depth);
    case 'subscope':
      return 'unindexable';
  }
}

function pickAny(children: Node[], scores: Map<string, number>, depth: number): Pick | 'unindexable' {
  let min = Number.POSITIVE_INFINITY;
  const features: FeatureNode[] = [];
  for (const c of children) {
    const p = pickIndex(c, scores, depth + 1);
    // One branch that can match without any feature makes the whole `or` unindexable.
    if (p === null || p === 'unindexable') return 'unindexable';
    min = Math.min(min, p.score);
    features.push(...p.features);
  }
  if (features.length === 0) return 'unindexable';
  return { score: min, features };
}

function prefix32(b: Uint8Array): number {
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

/**
 * capa's RuleSet._match: only rules that have one of their required uncommon features present are evaluated.
 * It must give precisely the reference matcher's results; a test runs both on every rule and sample.
 */
export class IndexedMatcher implements Matcher {
  readonly name = 'indexed';
  private readonly indexes: Record<StaticScope, ScopeIndex>;

  constructor(rules: RuleSet) {
    const scores = new Map<string, number>();
    const scopes: StaticScope[] = ['instruction', 'basic block', 'function', 'file'];
    const idx = {} as Record<StaticScope, ScopeIndex>;
    for (const scope of scopes) idx[scope] = this.build(rules.byScope[scope], scores);
    this.indexes = idx;
  }

  private build(rules: Rule[], scores: Map<string, number>): ScopeIndex {
    const index: ScopeIndex = { byKey: new Map(), stringRules: [], bytesByPrefix: new Map(), shortBytes: [], always: [], rules, clauses: [] };
    rules.forEach((rule, pos) => {
      index.clauses[pos] = requiredClauses(rule.node);
      const p = pickIndex(rule.node, scores);
      if (p === null || p === 'unindexable') {
        index.always.push(pos);
        scores.set(rule.name, 0);
        return;
      }
      scores.set(rule.name, p.score);
      const strings: FeatureNode[] = [];
      for (const f of p.features) {
        if (f.feature.type === 'substring' || f.feature.type === 'regex') strings.push(f);
        else if (f.feature.type === 'bytes') {
          const pattern = f.feature.value;
          if (pattern.length >= 4) {
            const k = prefix32(pattern);
            let l = index.bytesByPrefix.get(k);
            if (!l) index.bytesByPrefix.set(k, (l = []));
            l.push({ pos, pattern });
          } else index.shortBytes.push({ pos, pattern });
        } else if (f.key !== null) {
          let l = index.byKey.get(f.key);
          if (!l) index.byKey.set(f.key, (l = []));
          if (l[l.length - 1] !== pos) l.push(pos);
        }
      }
      if (strings.length > 0) index.stringRules.push({ pos, features: strings });
    });
    return index;
  }

  mayMatch(scope: StaticScope, pending: PendingFeatures, from: number): boolean {
    const index = this.indexes[scope];
    if (index.always.length > 0) return true;
    const keys = pending.keys;
    let present: Set<string> | null = null;
    for (let i = from; i < keys.length; i++) {
      const l = index.byKey.get(keys[i]!);
      if (!l) continue;
      present ??= new Set(keys.slice(from));
      // A candidate counts only if its other necessary features are here too.
      for (const pos of l) if (index.clauses[pos]!.every((c) => c.some((k) => present!.has(k)))) return true;
    }
    if (index.stringRules.length > 0 && pending.hasStringsFrom(from)) {
      for (const s of pending.stringsFrom(from)) {
        for (const { features } of index.stringRules) {
          for (const f of features) {
            const feat = f.feature;
            if (feat.type === 'substring' ? s.includes(feat.value) : feat.type === 'regex' && feat.re.test(s)) return true;
          }
        }
      }
    }
    if ((index.bytesByPrefix.size > 0 || index.shortBytes.length > 0) && pending.hasBytesFrom(from)) {
      for (const v of pending.bytesFrom(from)) {
        for (const { pattern } of index.shortBytes) if (startsWith(v, pattern)) return true;
        if (v.length >= 4) {
          const l = index.bytesByPrefix.get(prefix32(v));
          if (l) for (const { pattern } of l) if (startsWith(v, pattern)) return true;
        }
      }
    }
    return false;
  }

  match(scope: StaticScope, fs: FeatureSet, address: Address, evidence: boolean): ScopeMatch[] {
    const index = this.indexes[scope];
    const cand = new Set<number>(index.always);
    for (const key of fs.entries.keys()) {
      const l = index.byKey.get(key);
      if (l) for (const p of l) cand.add(p);
    }
    if (index.stringRules.length > 0 && fs.strings.length > 0) {
      for (const { pos, features } of index.stringRules) {
        if (cand.has(pos)) continue;
        for (const f of features) {
          if (evaluateFeature(f, fs, true).success) {
            cand.add(pos);
            break;
          }
        }
      }
    }
    if (fs.bytesEntries.length > 0 && (index.bytesByPrefix.size > 0 || index.shortBytes.length > 0)) {
      for (const e of fs.bytesEntries) {
        if (e.feature.type !== 'bytes') continue;
        const v = e.feature.value;
        for (const { pos, pattern } of index.shortBytes) if (startsWith(v, pattern)) cand.add(pos);
        if (v.length >= 4) {
          const l = index.bytesByPrefix.get(prefix32(v));
          if (l) for (const { pos, pattern } of l) if (startsWith(v, pattern)) cand.add(pos);
        }
      }
    }
    if (cand.size === 0) return [];
    const queue = [...cand].sort((a, b) => a - b);
    const out: ScopeMatch[] = [];
    for (let qi = 0; qi < queue.length; qi++) {
      const rule = index.rules[queue[qi]!]!;
      if (!test(rule.node, fs)) continue;
      const m: ScopeMatch = { rule, address };
      if (evidence) m.result = evaluate(rule.node, fs, false);
      out.push(m);
      fs.addMatch(rule.name, rule.namespace, [address]);
      // Rules indexed by this match (or a namespace of it) become candidates; they come later in topological order.
      const added: number[] = [];
      for (const name of [rule.name, ...namespacePrefixes(rule.namespace)]) {
        const l = index.byKey.get(matchKey(name));
        if (l) for (const p of l) if (!cand.has(p)) (cand.add(p), added.push(p));
      }
      if (added.length > 0) {
        const rest = queue.splice(qi + 1).concat(added).sort((a, b) => a - b);
        queue.push(...rest);
      }
    }
    return out;
  }
}
