// How a capability reads in text, shared by the triage report and the sweep's text renderer: one line per match,
// its evidence tree under it, and the grouping by ATT&CK tactic.

import type { CapabilityMatch, EvidenceNode } from '../../core/findings.js';

/** ATT&CK enterprise tactics in kill-chain order, so a report reads from first access to impact. */
const TACTIC_ORDER = [
  'Reconnaissance',
  'Resource Development',
  'Initial Access',
  'Execution',
  'Persistence',
  'Privilege Escalation',
  'Defense Evasion',
  'Credential Access',
  'Discovery',
  'Lateral Movement',
  'Collection',
  'Command and Control',
  'Exfiltration',
  'Impact',
];

/** Evidence lines printed per capability. */
export const MAX_EVIDENCE_LINES = 200;
/** Addresses shown on a capability's line; the rest are counted. */
const ADDRESSES_SHOWN = 4;

/** Virtual addresses as they are, file offsets marked as such (`file offset 0x200`). */
function places(addresses: string[], fileOffsets: string[] | undefined): string[] {
  return [...addresses, ...(fileOffsets ?? []).map((o) => `file offset ${o}`)];
}

function evidenceLines(n: EvidenceNode, depth: number, indent: number, out: string[]): void {
  if (out.length >= MAX_EVIDENCE_LINES) return;
  const all = places(n.addresses, n.fileOffsets);
  const at = all.length > 0 ? `  @ ${all.join(', ')}` : '';
  out.push(`${' '.repeat(indent + 2 * depth)}${n.node}${at}`);
  for (const c of n.children ?? []) evidenceLines(c, depth + 1, indent, out);
}

/** `rule  (T1113, E1113.m01) @ 0x401000  [capa: namespace]`: the rule, its ATT&CK and MBC IDs, where, and whence. */
export function capabilityText(c: CapabilityMatch): string {
  const tags = [...c.attack.map((a) => a.id), ...c.mbc.map((m) => m.id)].filter(Boolean).join(', ');
  const all = places(c.addresses, c.fileOffsets);
  const more = all.length > ADDRESSES_SHOWN ? ` (+${all.length - ADDRESSES_SHOWN})` : '';
  const where = all.length > 0 ? ` @ ${all.slice(0, ADDRESSES_SHOWN).join(', ')}${more}` : '';
  const set = c.ruleSet && c.ruleSet !== 'firebreak' ? `${c.ruleSet}: ` : '';
  const ns = c.namespace || set ? `  [${set}${c.namespace ?? ''}]` : '';
  return `${c.rule}${tags ? `  (${tags})` : ''}${where}${ns}`;
}

/** The capability's line at `indent` spaces, and with `verbose` its evidence tree (up to MAX_EVIDENCE_LINES) below. */
export function capabilityLines(c: CapabilityMatch, indent: number, verbose: boolean): string[] {
  const lines = [`${' '.repeat(indent)}${capabilityText(c)}`];
  if (verbose) for (const e of c.evidence ?? []) evidenceLines(e, 0, indent + 2, lines);
  return lines;
}

/** Groups capabilities by ATT&CK tactic; those without ATT&CK go under their top namespace. */
export function groupByTactic(caps: CapabilityMatch[]): [string, CapabilityMatch[]][] {
  const groups = new Map<string, CapabilityMatch[]>();
  const add = (k: string, c: CapabilityMatch) => {
    let l = groups.get(k);
    if (!l) groups.set(k, (l = []));
    if (!l.includes(c)) l.push(c);
  };
  for (const c of caps) {
    const tactics = c.attack.map((a) => a.tactic).filter((t): t is string => !!t);
    if (tactics.length > 0) for (const t of tactics) add(t, c);
    else add(`other: ${(c.namespace ?? 'no namespace').split('/')[0]}`, c);
  }
  const rank = (k: string) => {
    const i = TACTIC_ORDER.indexOf(k);
    return i < 0 ? TACTIC_ORDER.length : i;
  };
  return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}
