// The reference evaluator: a plain walk of a rule's logic tree over a feature set, exactly capa's semantics.

import type { Feature } from '../features/feature.js';
import type { Address, FeatureSet } from '../features/featureset.js';
import type { FeatureNode, Node } from './rule.js';

/** The outcome of evaluating one node, with its children's outcomes: the evidence tree. */
export interface Result {
  node: Node;
  success: boolean;
  children: Result[];
  locations: Set<Address>;
  /** For substring and regex leaves: the strings that matched. */
  matchedStrings?: string[];
}

const EMPTY: Set<Address> = new Set();

/** Evaluates a feature leaf: a key lookup, or a scan for substring, regex, bytes and `os: any`. */
export function evaluateFeature(node: FeatureNode, fs: FeatureSet, shortCircuit: boolean): Result {
  if (node.key !== null) {
    const e = fs.get(node.key);
    return { node, success: e !== undefined, children: [], locations: e ? e.locations : EMPTY };
  }
  const f = node.feature;
  switch (f.type) {
    case 'substring':
    case 'regex':
      return scanStrings(node, f, fs, shortCircuit);
    case 'bytes': {
      const locations = new Set<Address>();
      let success = false;
      for (const key of fs.bytesKeys) {
        const e = fs.get(key)!;
        if (e.feature.type === 'bytes' && startsWith(e.feature.value, f.value)) {
          success = true;
          for (const a of e.locations) locations.add(a);
          if (shortCircuit) break;
        }
      }
      return { node, success, children: [], locations };
    }
    case 'os': {
      // `os: any` matches whatever OS the file has.
      for (const e of fs.entries.values()) if (e.feature.type === 'os') return { node, success: true, children: [], locations: e.locations };
      return { node, success: false, children: [], locations: EMPTY };
    }
    default:
      return { node, success: false, children: [], locations: EMPTY };
  }
}

function scanStrings(node: FeatureNode, f: Extract<Feature, { type: 'substring' | 'regex' }>, fs: FeatureSet, shortCircuit: boolean): Result {
  const locations = new Set<Address>();
  const matched: string[] = [];
  for (const key of fs.stringKeys) {
    const e = fs.get(key)!;
    if (e.feature.type !== 'string') continue;
    const s = e.feature.value;
    const hit = f.type === 'substring' ? s.includes(f.value) : f.re.test(s);
    if (!hit) continue;
    matched.push(s);
    for (const a of e.locations) locations.add(a);
    if (shortCircuit) break;
  }
  return { node, success: matched.length > 0, children: [], locations, matchedStrings: matched };
}

export function startsWith(haystack: Uint8Array, prefix: Uint8Array): boolean {
  if (haystack.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (haystack[i] !== prefix[i]) return false;
  return true;
}

/** Evaluates a logic tree (capa's Statement.evaluate); with shortCircuit false every child is evaluated, for evidence. */
export function evaluate(node: Node, fs: FeatureSet, shortCircuit = true): Result {
  switch (node.kind) {
    case 'feature':
      return evaluateFeature(node, fs, shortCircuit);
    case 'and': {
      const children: Result[] = [];
      let ok = true;
      for (const c of node.children) {
        const r = evaluate(c, fs, shortCircuit);
        children.push(r);
        if (!r.success) {
          ok = false;
          if (shortCircuit) break;
        }
      }
      return { node, success: ok, children, locations: EMPTY };
    }
    case 'or': {
      const children: Result[] = [];
      let ok = false;
      for (const c of node.children) {
        const r = evaluate(c, fs, shortCircuit);
        children.push(r);
        if (r.success) {
          ok = true;
          if (shortCircuit) break;
        }
      }
      return { node, success: ok, children, locations: EMPTY };
    }
    case 'not': {
      const r = evaluate(node.child, fs, shortCircuit);
      return { node, success: !r.success, children: [r], locations: EMPTY };
    }
    case 'some': {
      const children: Result[] = [];
      let n = 0;
      for (const c of node.children) {
        if (shortCircuit && n >= node.count) break;
        const r = evaluate(c, fs, shortCircuit);
        children.push(r);
        if (r.success) n++;
      }
      return { node, success: n >= node.count, children, locations: EMPTY };
    }
    case 'range': {
      const e = node.child.key !== null ? fs.get(node.child.key) : undefined;
      const count = e ? e.locations.size : 0;
      if (node.min === 0 && count === 0) return { node, success: true, children: [], locations: EMPTY };
      return { node, success: node.min <= count && count <= node.max, children: [], locations: e ? e.locations : EMPTY };
    }
    case 'subscope':
      // Subscopes are split into derived rules when a rule set is built; reaching one here is a programming error.
      throw new Error('cannot evaluate a subscope directly');
  }
}

/** Fast yes/no evaluation with short circuits and no evidence, for the indexed matcher. */
export function test(node: Node, fs: FeatureSet): boolean {
  switch (node.kind) {
    case 'feature':
      if (node.key !== null) return fs.has(node.key);
      return evaluateFeature(node, fs, true).success;
    case 'and':
      for (const c of node.children) if (!test(c, fs)) return false;
      return true;
    case 'or':
      for (const c of node.children) if (test(c, fs)) return true;
      return false;
    case 'not':
      return !test(node.child, fs);
    case 'some': {
      if (node.count === 0) return true;
      let n = 0;
      for (const c of node.children) if (test(c, fs) && ++n >= node.count) return true;
      return false;
    }
    case 'range': {
      const e = node.child.key !== null ? fs.get(node.child.key) : undefined;
      const count = e ? e.locations.size : 0;
      if (node.min === 0 && count === 0) return true;
      return node.min <= count && count <= node.max;
    }
    case 'subscope':
      throw new Error('cannot evaluate a subscope directly');
  }
}
