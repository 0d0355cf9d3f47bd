// The text form of a triage: a readable report for a person, capabilities grouped by ATT&CK tactic.

import type { TriageResult } from '../triage.js';
import { capabilityLines, groupByTactic } from './capabilities.js';
import { familyLines, iocLine, printable, yaraLine } from './text.js';

export function renderTriageText(t: TriageResult, options: { verbose: boolean }): string {
  const r = t.report;
  const out: string[] = [];
  out.push(`${printable(r.sample.path)}`);
  out.push(`  size ${r.sample.size}  md5 ${r.sample.md5}`);
  out.push(`  sha1 ${r.sample.sha1}`);
  out.push(`  sha256 ${r.sample.sha256}`);
  out.push('');
  out.push('FAMILY');
  // The sweep's family lines, two spaces further out: the verdict, its variant, relations and evidence.
  if (r.family) out.push(...familyLines(r.family).map((l) => l.slice(2)));
  else out.push('  none');
  if (r.pe) {
    const pe = r.pe;
    out.push('');
    out.push('PE');
    out.push(`  ${pe.machine}, ${pe.is64 ? 'PE32+' : 'PE32'}, ${pe.isDll ? 'DLL' : 'executable'}, subsystem ${pe.subsystem}`);
    out.push(`  compiled ${pe.compileTime ?? '(no timestamp)'}`);
    if (pe.imphash) out.push(`  imphash ${pe.imphash}`);
    if (pe.pdbPath) out.push(`  pdb ${printable(pe.pdbPath)}`);
    out.push(`  signer ${pe.signer ?? '(not signed)'}`);
  }
  const s = t.analysis.stats;
  out.push('');
  out.push(`CAPABILITIES (${r.capabilities.length}; ${s.functions} functions, ${s.instructions} instructions, ${s.apiCalls} API calls resolved)`);
  if (r.partial) out.push(`  partial: ${t.analysis.partialReason ?? 'budget reached'}`);
  if (r.capabilities.length === 0) out.push('  none');
  for (const [tactic, caps] of groupByTactic(r.capabilities)) {
    out.push(`  ${tactic}`);
    for (const c of caps) out.push(...capabilityLines(c, 4, options.verbose));
  }
  out.push('');
  out.push(`YARA (${r.yara.length})`);
  if (r.yara.length === 0) out.push('  none');
  for (const m of r.yara) out.push(yaraLine(m).slice(2));
  out.push('');
  out.push(`IOCS (${r.iocs.length})`);
  if (r.iocs.length === 0) out.push('  none');
  for (const h of r.iocs) out.push(iocLine(h).slice(2));
  out.push('');
  out.push(`ANOMALIES (${t.anomalies.length})`);
  if (t.anomalies.length === 0) out.push('  none');
  for (const a of t.anomalies) out.push(`  [${a.severity}] ${a.code}: ${a.message}${a.offset !== undefined ? ` @0x${a.offset.toString(16)}` : ''}`);
  return `${out.join('\n')}\n`;
}
