// The reference evaluator: a plain walk of a rule's logic tree over a feature set, exactly capa's semantics.

import type { Feature } from '../features/feature.js';
import { uniqueLocations, type Address, type FeatureSet } from '../features/featureset.js';
import type { FeatureNode, Node } from './rule.js';

/** The outcome of evaluating one node, with its children's outcomes: the evidence tree. */
export interface Result {
  node: Node;
  success: boolean;
  children: Result[];
  /** Where the matched feature(s) were found: distinct addresses, for leaves only. */
  locations: Address[];
  /** For substring and regex leaves: the strings that matched. */
  matchedStrings?: string[];
}

const EMPTY: Address[] = [];

/** Evaluates a feature leaf: a key lookup, or a scan for substring, regex, bytes and `os: any`. */
export function evaluateFeature(node: FeatureNode, fs: FeatureSet, shortCircuit: boolean): Result {
  if (node.key !== null) {
    const e = fs.get(node.key);
    return { node, success: e !== undefined, children: [], locations: e ? uniqueLocations(e) : EMPTY };
  }
  const f = node.feature;
  switch (f.type) {
    case 'substring':
    case 'regex':
      return scanStrings(node, f, fs, shortCircuit);
    case 'bytes': {
      const locations = new Set<Address>();
      let success = false;
      for (const e of fs.bytesEntries) {
        if (e.feature.type === 'bytes' && startsWith(e.feature.value, f.value)) {
          success = true;
          for (const a of e.locations) locations.add(a);
          if (shortCircuit) break;
        }
      }
      return { node, success, children: [], locations: [...locations] };
    }
    case 'os': {
      // `os: any` matches whatever OS the file has.
      for (const e of fs.entries.values()) if (e.feature.type === 'os') return { node, success: true, children: [], locations: EMPTY };
      return { node, success: false, children: [], locations: EMPTY };
    }
    default:
      return { node, success: false, children: [], locations: EMPTY };
  }
}

/** Above this many strings, substring and regex features scan one joined text instead of each string. */
export const JOINED_SCAN_THRESHOLD = 512;

/** All strings of a set joined by newlines, with where each starts: one native search instead of one per string. */
interface Joined {
  count: number;
  text: string;
  starts: number[];
}

const joinedCache = new WeakMap<FeatureSet, Joined>();
const scanRegexCache = new WeakMap<RegExp, RegExp>();

function joinedOf(fs: FeatureSet): Joined {
  const hit = joinedCache.get(fs);
  if (hit && hit.count === fs.strings.length) return hit;
  const starts: number[] = [];
  let pos = 0;
  for (const s of fs.strings) {
    starts.push(pos);
    pos += s.length + 1;
  }
  const j = { count: fs.strings.length, text: fs.strings.join('\n'), starts };
  joinedCache.set(fs, j);
  return j;
}

/** Index of the string holding text position `pos`. */
function lineAt(j: Joined, pos: number): number {
  let lo = 0;
  let hi = j.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (j.starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Indexes of the strings a substring or regex feature matches, in order. With many strings, one search runs over
 * the joined text (a regex with `g` and `m` added); every string where a hit starts is checked on its own with the
 * real feature, and the search resumes at the next string. A hit that spans the separator is thus never taken for
 * a match, and a string with a real match always has some hit starting at or before it and after the previous
 * checked string, so none is missed.
 */
function matchingStrings(f: Extract<Feature, { type: 'substring' | 'regex' }>, fs: FeatureSet, firstOnly: boolean): number[] {
  const strings = fs.strings;
  const out: number[] = [];
  const check = (s: string) => (f.type === 'substring' ? s.includes(f.value) : f.re.test(s));
  if (strings.length < JOINED_SCAN_THRESHOLD) {
    for (let k = 0; k < strings.length; k++) {
      if (check(strings[k]!)) {
        out.push(k);
        if (firstOnly) break;
      }
    }
    return out;
  }
  const j = joinedOf(fs);
  if (f.type === 'substring') {
    if (f.value.length === 0) return firstOnly ? [0] : strings.map((_, k) => k);
    let from = 0;
    while (from <= j.text.length) {
      const hit = j.text.indexOf(f.value, from);
      if (hit < 0) break;
      const k = lineAt(j, hit);
      if (check(strings[k]!)) {
        out.push(k);
        if (firstOnly) break;
      }
      from = k + 1 < j.starts.length ? j.starts[k + 1]! : j.text.length + 1;
    }
    return out;
  }
  let scan = scanRegexCache.get(f.re);
  if (!scan) {
    scan = new RegExp(f.re.source, f.re.flags.replace(/[gmy]/g, '') + 'gm');
    scanRegexCache.set(f.re, scan);
  }
  scan.lastIndex = 0;
  for (let guard = 0; guard <= strings.length; guard++) {
    const m = scan.exec(j.text);
    if (!m) break;
    const k = lineAt(j, m.index);
    if (check(strings[k]!)) {
      out.push(k);
      if (firstOnly) break;
    }
    if (k + 1 >= j.starts.length) break;
    scan.lastIndex = j.starts[k + 1]!;
  }
  return out;
}

function scanStrings(node: FeatureNode, f: Extract<Feature, { type: 'substring' | 'regex' }>, fs: FeatureSet, shortCircuit: boolean): Result {
  const locations = new Set<Address>();
  const matched: string[] = [];
  for (const k of matchingStrings(f, fs, shortCircuit)) {
    matched.push(fs.strings[k]!);
    for (const a of fs.stringEntries[k]!.locations) locations.add(a);
  }
  return { node, success: matched.length > 0, children: [], locations: [...locations], matchedStrings: matched };
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
      const locs = e ? uniqueLocations(e) : EMPTY;
      const count = locs.length;
      if (node.min === 0 && count === 0) return { node, success: true, children: [], locations: EMPTY };
      return { node, success: node.min <= count && count <= node.max, children: [], locations: locs };
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
      const count = e ? uniqueLocations(e).length : 0;
      if (node.min === 0 && count === 0) return true;
      return node.min <= count && count <= node.max;
    }
    case 'subscope':
      throw new Error('cannot evaluate a subscope directly');
  }
}
