// Text for people: each sample with findings and its evidence (capabilities too, from a --capabilities sweep),
// what was skipped and why, then the summary.

import type { FamilyVerdict, IocHit, SourceRef, YaraMatch } from '../../core/findings.js';
import { hasFindings, notFullyAnalysed } from '../model.js';
import type { SampleReport, SkipRecord, SweepRecord, SweepSummary } from '../schema.js';
import { capabilityText } from './capabilities.js';
import type { Renderer, RenderOptions } from './types.js';

/** Skip records listed at the end of a report without --all, before "and N more". */
export const MAX_LISTED_SKIPS = 50;
/** String offsets shown per YARA string. */
const OFFSETS_SHOWN = 3;

/** Control characters in names would rewrite the terminal: shown as \xNN instead. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function yaraLine(m: YaraMatch): string {
  const tags = m.tags.length ? ` [${m.tags.join(',')}]` : '';
  const strings = m.strings.map((s) => {
    const offs = s.matches.slice(0, OFFSETS_SHOWN).map((x) => `0x${x.offset.toString(16)}`);
    const more = s.matches.length > OFFSETS_SHOWN ? `,+${s.matches.length - OFFSETS_SHOWN}` : '';
    return `${s.id}@${offs.join(',')}${more}`;
  });
  const desc = typeof m.meta.description === 'string' ? `  "${printable(m.meta.description)}"` : '';
  return `    yara  ${m.namespace}:${m.rule}${tags}${strings.length ? `  ${strings.join(' ')}` : ''}${desc}`;
}

export function iocLine(h: IocHit): string {
  const where = `${h.list}${h.line !== undefined ? `:${h.line}` : ''}`;
  const desc = h.description ? `  "${printable(h.description)}"` : '';
  return `    ioc   ${h.type} ${printable(h.indicator)}  (${where}, score ${h.score})  ${printable(h.why)}${desc}`;
}

/** How each family-file relation reads in a sentence, by its type. */
const RELATION_WORDS: Record<string, string> = {
  'plugin-of': 'plugin of',
  'hosts-plugin': 'host of',
  'shares-origin': 'same origin as',
  'variant-of': 'variant of',
};

/** "plugin of Flame, Gauss; same origin as Duqu, Stuxnet": each kind of relation once, in first-seen order. */
export function relationsText(relations: NonNullable<FamilyVerdict['relations']>): string {
  const byType = new Map<string, string[]>();
  for (const r of relations) {
    const names = byType.get(r.relation) ?? [];
    if (!names.includes(r.family)) names.push(r.family);
    byType.set(r.relation, names);
  }
  return [...byType].map(([type, names]) => `${RELATION_WORDS[type] ?? type} ${names.join(', ')}`).join('; ');
}

/** The family verdict under its sample: the summary and score, variant, relations, and one line per piece of evidence. */
export function familyLines(f: FamilyVerdict): string[] {
  const lines = [`    family  ${printable(f.summary)}  (score ${f.score})`];
  if (f.variant) lines.push(`    variant ${printable(f.variant)}`);
  if (f.relations?.length) lines.push(`    related ${printable(relationsText(f.relations))}`);
  for (const w of f.why) lines.push(`    why     ${printable(w)}`);
  return lines;
}

function skipText(s: { reason: string; detail?: string } | null): string {
  return s ? `${s.reason}${s.detail ? ` (${printable(s.detail)})` : ''}` : 'error';
}

function sampleBlock(r: SampleReport): string {
  const found = hasFindings(r);
  const label = found ? 'FOUND' : r.skipped ? 'SKIP ' : 'clean';
  const lines = [`${label} ${printable(r.sample.path)}`];
  if (found || r.skipped) lines.push(`    size ${r.sample.size}  sha256 ${r.sample.sha256}`);
  if ((found || r.skipped) && r.source.kind === 'image-file') lines.push(`    where   ${printable(imageWhere(r.source))}`);
  if (r.skipped) lines.push(`    skipped ${skipText(r.skipped)}`);
  for (const m of r.yara) lines.push(yaraLine(m));
  for (const h of r.iocs) lines.push(iocLine(h));
  for (const c of r.capabilities) lines.push(`    capa  ${printable(capabilityText(c))}`);
  if (r.family) lines.push(...familyLines(r.family));
  for (const a of r.anomalies ?? []) lines.push(`    anomaly ${a.severity} ${a.code}${a.offset !== undefined ? ` at 0x${a.offset.toString(16)}` : ''}: ${printable(a.message)}`);
  for (const e of r.errors) lines.push(`    error ${e.code}: ${printable(e.message)}`);
  return `${lines.join('\n')}\n`;
}

/** Where in a disk image a member's bytes are: partition, volume and data offsets, and what hid it. */
function imageWhere(s: Extract<SourceRef, { kind: 'image-file' }>): string {
  const parts = [`partition ${s.partition} at 0x${s.volumeOffset.toString(16)}`];
  if (s.dataOffset !== undefined) parts.push(`data at 0x${s.dataOffset.toString(16)}`);
  if (s.shortName !== undefined) parts.push(`8.3 name ${s.shortName}`);
  if (s.hidden) parts.push('hidden');
  if (s.deleted) parts.push('deleted');
  return parts.join(', ');
}

function skipLine(r: SkipRecord | SampleReport): string {
  const what = r.skipped ? skipText(r.skipped) : r.errors.map((e) => `${e.code}: ${printable(e.message)}`).join('; ');
  return `SKIP  ${printable(r.type === 'skip' ? r.path : r.sample.path)}  ${what}\n`;
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

export function summaryText(s: SweepSummary): string {
  const f = s.files;
  const reasons = Object.entries(f.skipped)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k} ${v}`);
  const skippedTotal = Object.values(f.skipped).reduce((a, b) => a + b, 0);
  const families = Object.entries(s.findings.byFamily)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${printable(k)} ${v}`);
  return [
    `Summary: ${f.found} found, ${f.scanned} scanned (${f.fromCache} from cache, ${f.unchanged} unchanged), ${f.withFindings} with findings, ` +
      `${skippedTotal} skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}, ${f.errors} with errors`,
    `         ${s.findings.yara} YARA matches, ${s.findings.iocs} IOC hits${s.findings.capabilities ? `, ${s.findings.capabilities} capabilities` : ''}; ${s.rules.count} rules (${s.engine})` +
      `${s.rules.skippedFiles.length ? `, ${s.rules.skippedFiles.length} rule files skipped` : ''}, ${s.iocs.count} indicators`,
    ...(families.length ? [`         families: ${families.join(', ')}`] : []),
    `         ${mib(s.bytesScanned)} MiB analysed in ${(s.durationMs / 1000).toFixed(2)} s, ${s.throughputMiBps} MiB/s`,
    '',
  ].join('\n');
}

export function textRenderer(options: RenderOptions): Renderer {
  const held: (SkipRecord | SampleReport)[] = [];
  let heldMore = 0;
  // Without --all, what was skipped is still listed (a silent skip is a silent false negative), but after the
  // findings, and not what the user excluded on purpose.
  const hold = (r: SkipRecord | SampleReport): string => {
    if (r.skipped?.reason === 'excluded') return '';
    if (held.length < MAX_LISTED_SKIPS) held.push(r);
    else heldMore++;
    return '';
  };
  return {
    record(r: SweepRecord) {
      if (r.type === 'skip') return options.all ? skipLine(r) : hold(r);
      if (options.all || hasFindings(r)) return sampleBlock(r);
      return notFullyAnalysed(r) ? hold(r) : '';
    },
    end(summary) {
      let out = '';
      if (held.length) {
        out += `Not read or not fully analysed (${held.length + heldMore}):\n`;
        for (const r of held) out += `  ${skipLine(r)}`;
        if (heldMore) out += `  ... and ${heldMore} more (--all lists them)\n`;
      }
      return out + summaryText(summary);
    },
  };
}
