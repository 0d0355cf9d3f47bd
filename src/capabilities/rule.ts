// The rule model: capa's logic tree (and, or, not, N or more, count, subscopes) over features, and a rule's meta.

import type { Feature } from '../features/feature.js';

export const STATIC_SCOPES = ['file', 'function', 'basic block', 'instruction'] as const;
export const DYNAMIC_SCOPES = ['file', 'process', 'thread', 'span of calls', 'call'] as const;

export type StaticScope = (typeof STATIC_SCOPES)[number];
export type DynamicScope = (typeof DYNAMIC_SCOPES)[number];
export type Scope = StaticScope | DynamicScope;

export interface Scopes {
  /** null when the rule marks the static flavour `unsupported`. */
  static: StaticScope | null;
  dynamic: DynamicScope | null;
}

/** A leaf: one feature. `key` is set for features looked up exactly; scanning features (substring, regex, bytes, os) have none. */
export interface FeatureNode {
  kind: 'feature';
  feature: Feature;
  key: string | null;
  description?: string;
}

export interface AndNode {
  kind: 'and';
  children: Node[];
  description?: string;
}

export interface OrNode {
  kind: 'or';
  children: Node[];
  description?: string;
}

export interface NotNode {
  kind: 'not';
  child: Node;
  description?: string;
}

/** `N or more`; `optional` is `0 or more`. */
export interface SomeNode {
  kind: 'some';
  count: number;
  children: Node[];
  description?: string;
}

/** `count(feature): ...`: the feature's number of distinct locations lies in [min, max]. */
export interface RangeNode {
  kind: 'range';
  child: FeatureNode;
  min: number;
  max: number;
  description?: string;
}

/** `instruction:`, `basic block:`, `function:` (and the dynamic ones): split into derived rules at load time. */
export interface SubscopeNode {
  kind: 'subscope';
  scope: Scope;
  child: Node;
  description?: string;
}

export type Node = FeatureNode | AndNode | OrNode | NotNode | SomeNode | RangeNode | SubscopeNode;

export interface AttackSpec {
  /** The text as written: `Collection::Screen Capture [T1113]`. */
  text: string;
  parts: string[];
  id: string;
}

export interface Rule {
  name: string;
  namespace?: string;
  scopes: Scopes;
  node: Node;
  lib: boolean;
  attack: AttackSpec[];
  mbc: AttackSpec[];
  description?: string;
  authors: string[];
  references: string[];
  /** Where it was read from, for messages; derived subscope rules carry their parent's. */
  path: string;
  nursery: boolean;
  /** Set on rules the loader derived from a subscope block; never reported on their own. */
  parent?: string;
  /** Which rule set it came from: `firebreak` (bundled) or `capa` (--capa-rules). */
  ruleSet: string;
}

/** Parses `Tactic::Technique::Sub [ID]` (ATT&CK and MBC alike). */
export function parseSpec(text: string): AttackSpec {
  const m = /^(.*?)\s*\[([^\]]+)\]\s*$/.exec(text);
  const body = m ? m[1]! : text;
  return { text, parts: body.split('::').map((p) => p.trim()).filter(Boolean), id: m ? m[2]!.trim() : '' };
}

/** Calls `visit` on every node of a tree, depth first, with a depth limit (rules are small; hostile ones are cut). */
export function walk(node: Node, visit: (n: Node) => void, depth = 0): void {
  if (depth > MAX_RULE_DEPTH) return;
  visit(node);
  switch (node.kind) {
    case 'and':
    case 'or':
    case 'some':
      for (const c of node.children) walk(c, visit, depth + 1);
      break;
    case 'not':
    case 'subscope':
      walk(node.child, visit, depth + 1);
      break;
    case 'range':
      walk(node.child, visit, depth + 1);
      break;
    case 'feature':
      break;
  }
}

/** Deepest logic tree a rule may have; capa's deepest rule is under 10 levels. */
export const MAX_RULE_DEPTH = 64;
