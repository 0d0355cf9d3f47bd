// Turns scope matches into the report's CapabilityMatch records: rule, namespace, ATT&CK, MBC, addresses, evidence.

import { hex, type HexAddress } from '../core/address.js';
import type { AttackRef, CapabilityMatch, EvidenceNode, MbcRef } from '../core/findings.js';
import { featureText, type Feature } from '../features/feature.js';
import { fileOffsetOf, isFileOffset } from '../features/featureset.js';
import type { Result } from './evaluate.js';
import { FILE_ADDRESS, type ScopeMatch } from './matcher.js';
import type { AttackSpec, Node, Rule } from './rule.js';

/** Addresses listed per capability (a rule can match in thousands of functions). */
export const MAX_ADDRESSES_PER_MATCH = 64;
/** Addresses listed per evidence leaf. */
export const MAX_ADDRESSES_PER_LEAF = 16;
/** How deep `match` references are expanded in an evidence tree. */
export const MAX_EVIDENCE_DEPTH = 6;

function attackRef(s: AttackSpec): AttackRef {
  const ref: AttackRef = { id: s.id };
  if (s.parts[0]) ref.tactic = s.parts[0];
  if (s.parts.length > 1) ref.technique = s.parts.slice(1).join('::');
  return ref;
}

function mbcRef(s: AttackSpec): MbcRef {
  const ref: MbcRef = { id: s.id || s.parts.join('::') };
  if (s.parts[0]) ref.objective = s.parts[0];
  if (s.parts.length > 1) ref.behavior = s.parts.slice(1).join('::');
  return ref;
}

/** The virtual addresses among `addrs`, distinct and sorted, as hex. */
function hexList(addrs: Iterable<number>, max: number): HexAddress[] {
  const u = [...new Set([...addrs].filter((a) => a >= 0))].sort((a, b) => a - b);
  return u.slice(0, max).map((a) => hex(a));
}

/** The file offsets among `addrs` (fileOffsetAddress), distinct and sorted, as hex; undefined when there are none. */
function offsetList(addrs: Iterable<number>, max: number): HexAddress[] | undefined {
  const u = [...new Set([...addrs].filter(isFileOffset).map(fileOffsetOf))].sort((a, b) => a - b);
  return u.length > 0 ? u.slice(0, max).map((a) => hex(a)) : undefined;
}

/** An evidence node with its places: virtual addresses, and file offsets when there are any. */
function placed(node: string, matched: boolean, locations: number[], children?: EvidenceNode[]): EvidenceNode {
  const out: EvidenceNode = { node, matched, addresses: hexList(locations, MAX_ADDRESSES_PER_LEAF) };
  const offsets = offsetList(locations, MAX_ADDRESSES_PER_LEAF);
  if (offsets) out.fileOffsets = offsets;
  if (children) out.children = children;
  return out;
}

function countText(min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) return `${min} or more`;
  if (min === max) return `${min}`;
  if (min === 0) return `${max} or fewer`;
  return `(${min}, ${max})`;
}

function nodeText(n: Node): string {
  const desc = n.description ? ` = ${n.description}` : '';
  switch (n.kind) {
    case 'feature':
      return featureLabel(n.feature) + desc;
    case 'and':
    case 'or':
      return n.kind + desc;
    case 'not':
      return `not${desc}`;
    case 'some':
      return (n.count === 0 ? 'optional' : `${n.count} or more`) + desc;
    case 'range':
      return `count(${featureLabel(n.child.feature)}): ${countText(n.min, n.max)}${desc}`;
    case 'subscope':
      return n.scope + desc;
  }
}

function featureLabel(f: Feature): string {
  return featureText(f);
}

/** Everything needed to expand `match` references: every match of every rule, by name. */
export type MatchIndex = Map<string, ScopeMatch[]>;

/**
 * An evidence tree for a person: matched branches of or/optional/N-or-more only, leaves with where they were
 * found, and `match` leaves expanded into the matched rule's own evidence (subscope blocks show as their scope).
 */
export function evidenceTree(r: Result, rules: Map<string, Rule>, all: MatchIndex, depth = 0): EvidenceNode {
  const node = r.node;
  if (node.kind === 'feature' && node.feature.type === 'match' && depth < MAX_EVIDENCE_DEPTH) {
    const target = rules.get(node.feature.value);
    const inner = (all.get(node.feature.value) ?? []).find((m) => m.result && r.locations.includes(m.address));
    if (target && inner?.result) {
      const child = evidenceTree(inner.result, rules, all, depth + 1);
      if (target.parent) return placed(target.scopes.static ?? target.scopes.dynamic ?? 'subscope', r.success, r.locations, [child]);
      return placed(nodeText(node), r.success, r.locations, [child]);
    }
    return placed(nodeText(node), r.success, r.locations);
  }
  const out = placed(nodeText(node), r.success, r.locations);
  if (r.matchedStrings && r.matchedStrings.length > 0) out.node += ` -> ${r.matchedStrings.slice(0, 4).map((s) => JSON.stringify(s)).join(', ')}`;
  let kids = r.children;
  if (node.kind === 'or' || node.kind === 'some') kids = kids.filter((c) => c.success);
  if (kids.length > 0) out.children = kids.map((c) => evidenceTree(c, rules, all, depth + 1));
  return out;
}

/** Leaf locations of a matched tree: where a file-scope rule's evidence lies. */
function leafLocations(r: Result, out: Set<number>, depth = 0): void {
  if (depth > 64 || !r.success) return;
  if (r.node.kind === 'feature' || r.node.kind === 'range') for (const a of r.locations) out.add(a);
  for (const c of r.children) leafLocations(c, out, depth + 1);
}

export interface ResultOptions {
  /** Include evidence trees (`--verbose`). */
  evidence: boolean;
  /** Report library rules too (capa hides them). */
  includeLib?: boolean;
}

/**
 * One CapabilityMatch per reported rule (not library rules, not derived subscope rules), ordered by namespace then
 * name. Addresses are the functions, blocks or instructions where it matched; for file-scope rules, the locations
 * of the features that made it match.
 */
export function toCapabilityMatches(all: MatchIndex, rules: Map<string, Rule>, options: ResultOptions): CapabilityMatch[] {
  const out: CapabilityMatch[] = [];
  for (const [name, list] of all) {
    const rule = rules.get(name);
    if (!rule || rule.parent || (rule.lib && !options.includeLib)) continue;
    const scope = rule.scopes.static ?? 'file';
    const fileScope = list.every((m) => m.address === FILE_ADDRESS);
    let addrs: number[];
    if (fileScope) {
      const s = new Set<number>();
      for (const m of list) if (m.result) leafLocations(m.result, s);
      addrs = [...s];
    } else addrs = list.map((m) => m.address);
    const cm: CapabilityMatch = {
      rule: rule.name,
      scope,
      attack: rule.attack.map(attackRef),
      mbc: rule.mbc.map(mbcRef),
      addresses: hexList(addrs, MAX_ADDRESSES_PER_MATCH),
      ruleSet: rule.ruleSet,
    };
    const offsets = offsetList(addrs, MAX_ADDRESSES_PER_MATCH);
    if (offsets) cm.fileOffsets = offsets;
    if (rule.namespace) cm.namespace = rule.namespace;
    if (options.evidence) {
      cm.evidence = list
        .filter((m) => m.result)
        .slice(0, 8)
        .map((m) => {
          const tree = evidenceTree(m.result!, rules, all);
          if (m.address !== FILE_ADDRESS) tree.node = `${scope} @ ${hex(m.address)}: ${tree.node}`;
          return tree;
        });
    }
    out.push(cm);
  }
  out.sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.rule.localeCompare(b.rule));
  return out;
}
