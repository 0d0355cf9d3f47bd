// The text form of a triage: a readable report for a person, capabilities grouped by ATT&CK tactic.

import type { CapabilityMatch, EvidenceNode } from '../core/findings.js';
import type { TriageResult } from './triage.js';

/** ATT&CK enterprise tactics in kill-chain order, so the report reads from first access to impact. */
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

function evidenceLines(n: EvidenceNode, depth: number, out: string[]): void {
  if (out.length >= MAX_EVIDENCE_LINES) return;
  const at = n.addresses.length > 0 ? `  @ ${n.addresses.join(', ')}` : '';
  out.push(`${'  '.repeat(depth + 3)}${n.node}${at}`);
  for (const c of n.children ?? []) evidenceLines(c, depth + 1, out);
}

function capabilityLine(c: CapabilityMatch, verbose: boolean): string[] {
  const ids = c.attack.map((a) => a.id).filter(Boolean);
  const mbc = c.mbc.map((m) => m.id).filter(Boolean);
  const tags = [...ids, ...mbc].join(', ');
  const where = c.addresses.length > 0 ? ` @ ${c.addresses.slice(0, 4).join(', ')}${c.addresses.length > 4 ? ` (+${c.addresses.length - 4})` : ''}` : '';
  const set = c.ruleSet && c.ruleSet !== 'firebreak' ? `${c.ruleSet}: ` : '';
  const ns = c.namespace || set ? `  [${set}${c.namespace ?? ''}]` : '';
  const lines = [`    ${c.rule}${tags ? `  (${tags})` : ''}${where}${ns}`];
  if (verbose) for (const e of c.evidence ?? []) evidenceLines(e, 0, lines);
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

export function renderTriageText(t: TriageResult, options: { verbose: boolean }): string {
  const r = t.report;
  const out: string[] = [];
  out.push(`${r.sample.path}`);
  out.push(`  size ${r.sample.size}  md5 ${r.sample.md5}`);
  out.push(`  sha1 ${r.sample.sha1}`);
  out.push(`  sha256 ${r.sample.sha256}`);
  if (r.pe) {
    const pe = r.pe;
    out.push('');
    out.push('PE');
    out.push(`  ${pe.machine}, ${pe.is64 ? 'PE32+' : 'PE32'}, ${pe.isDll ? 'DLL' : 'executable'}, subsystem ${pe.subsystem}`);
    out.push(`  compiled ${pe.compileTime ?? '(no timestamp)'}`);
    if (pe.imphash) out.push(`  imphash ${pe.imphash}`);
    if (pe.pdbPath) out.push(`  pdb ${pe.pdbPath}`);
    out.push(`  signer ${pe.signer ?? '(not signed)'}`);
  }
  const s = t.analysis.stats;
  out.push('');
  out.push(`CAPABILITIES (${r.capabilities.length}; ${s.functions} functions, ${s.instructions} instructions, ${s.apiCalls} API calls resolved)`);
  if (r.partial) out.push(`  partial: ${t.analysis.partialReason ?? 'budget reached'}`);
  if (r.capabilities.length === 0) out.push('  none');
  for (const [tactic, caps] of groupByTactic(r.capabilities)) {
    out.push(`  ${tactic}`);
    for (const c of caps) out.push(...capabilityLine(c, options.verbose));
  }
  out.push('');
  out.push(`YARA (${r.yara.length})`);
  if (r.yara.length === 0) out.push('  none');
  for (const m of r.yara) {
    const at = m.strings.flatMap((x) => x.matches.slice(0, 1).map((mm) => `${x.id}@0x${mm.offset.toString(16)}`)).slice(0, 4);
    out.push(`  ${m.namespace}:${m.rule}${m.tags.length ? ` [${m.tags.join(', ')}]` : ''}${at.length ? `  ${at.join(' ')}` : ''}`);
  }
  out.push('');
  out.push(`IOCS (${r.iocs.length})`);
  if (r.iocs.length === 0) out.push('  none');
  for (const h of r.iocs) out.push(`  ${h.type} ${h.indicator} (score ${h.score}, ${h.list}${h.line !== undefined ? `:${h.line}` : ''}): ${h.why}`);
  out.push('');
  out.push(`ANOMALIES (${t.anomalies.length})`);
  if (t.anomalies.length === 0) out.push('  none');
  for (const a of t.anomalies) out.push(`  [${a.severity}] ${a.code}: ${a.message}${a.offset !== undefined ? ` @0x${a.offset.toString(16)}` : ''}`);
  return `${out.join('\n')}\n`;
}
