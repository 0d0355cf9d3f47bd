// Text renderings of `rules list|check|test|profile` results: plain aligned tables, paths relative to a base.

import { relative } from 'node:path';
import type { CheckResult } from './check.js';
import type { PackListing } from './list.js';
import type { ProfileResult } from './profile.js';
import type { TestResult } from './test.js';

/** Aligns rows under a header; the last column is left ragged. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function rel(base: string, path: string): string {
  const r = relative(base, path);
  return r === '' ? '.' : r.startsWith('..') ? path : r;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function renderListing(l: PackListing, base: string): string {
  const out: string[] = [];
  out.push(`Families (${l.families.length})\n`);
  if (l.families.length) {
    const nameOf = new Map(l.families.map((f) => [f.id, f.name]));
    out.push(
      table(
        ['FAMILY', 'ALIASES', 'ATT&CK', 'VARIANTS', 'RELATIONS'],
        l.families.map((f) => [
          f.name,
          f.aliases.join(', ') || '-',
          f.attack.software ?? '-',
          f.variants.map((v) => v.name).join('; ') || '-',
          f.relations.map((r) => `${r.type} ${nameOf.get(r.family) ?? r.family}`).join(', ') || '-',
        ]),
      ),
    );
  }
  const reported = l.rules.filter((r) => !r.isPrivate);
  out.push(`\nRules (${reported.length}${reported.length < l.rules.length ? `, plus ${l.rules.length - reported.length} private` : ''})\n`);
  if (reported.length) {
    out.push(
      table(
        ['CONFIDENCE', 'FAMILY', 'VARIANT', 'RULE', 'FILE'],
        reported.map((r) => [r.confidence ?? '-', r.family ?? '-', r.variant ?? '-', r.rule, `${rel(base, r.path)}:${r.line}`]),
      ),
    );
  }
  const perFamily = new Map<string, { rules: number; strong: number }>();
  for (const r of reported) {
    const k = r.family ?? '-';
    const e = perFamily.get(k) ?? { rules: 0, strong: 0 };
    e.rules++;
    if (r.confidence === 'high' || r.confidence === 'medium') e.strong++;
    perFamily.set(k, e);
  }
  if (perFamily.size) {
    out.push('\nRules per family\n');
    out.push(table(['FAMILY', 'RULES', 'HIGH+MEDIUM'], [...perFamily].map(([f, e]) => [f, String(e.rules), String(e.strong)])));
  }
  out.push(`\nIOC lists (${l.iocs.length})\n`);
  if (l.iocs.length) {
    out.push(
      table(
        ['LIST', 'INDICATORS', 'BY TYPE'],
        l.iocs.map((i) => [
          rel(base, i.path),
          String(i.indicators),
          Object.entries(i.byType)
            .map(([t, n]) => `${t} ${n}`)
            .join(', '),
        ]),
      ),
    );
  }
  return out.join('');
}

export function renderCheck(c: CheckResult, base: string): string {
  const lines = c.diagnostics.map((d) => {
    const where = `${rel(base, d.path)}${d.line === undefined ? '' : `:${d.line}${d.column === undefined ? '' : `:${d.column}`}`}`;
    return `${where}: ${d.severity}[${d.code}]: ${d.message}\n`;
  });
  lines.push(
    `${c.files} rule file${c.files === 1 ? '' : 's'}, ${c.rules} rules, ${c.families} family files, ${c.iocLists} IOC lists: ` +
      `${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}\n`,
  );
  return lines.join('');
}

export function renderTest(t: TestResult, base: string): string {
  const out: string[] = [];
  out.push(
    table(
      ['RULE', 'CONFIDENCE', 'POSITIVES', 'CLEAN HITS', 'TIME'],
      t.rules.map((r) => [
        r.rule,
        r.confidence ?? '-',
        r.positives === 0 ? 'none' : `${r.positiveHits}/${r.positives}`,
        String(r.cleanHits),
        `${r.ms.toFixed(1)} ms`,
      ]),
    ),
  );
  for (const r of t.rules) {
    if (r.positives === 0) out.push(`${r.rule}: no positive fixtures (a folder named ${r.rule} under the fixtures folder)\n`);
    for (const m of r.missed) out.push(`${r.rule}: missed positive ${rel(base, m)}\n`);
    for (const c of r.cleanExamples) out.push(`${r.rule}: hit clean file ${c}\n`);
  }
  if (t.iocs.length) {
    const perList = new Map<string, { n: number; testable: number; covered: number; clean: number }>();
    for (const i of t.iocs) {
      const e = perList.get(i.list) ?? { n: 0, testable: 0, covered: 0, clean: 0 };
      e.n++;
      if (i.testable) e.testable++;
      if (i.testable && i.fixtureHits > 0) e.covered++;
      e.clean += i.cleanHits;
      perList.set(i.list, e);
    }
    out.push('\n');
    out.push(
      table(
        ['IOC LIST', 'INDICATORS', 'HIT BY FIXTURES', 'CLEAN HITS'],
        [...perList].map(([l, e]) => [rel(base, l), String(e.n), `${e.covered}/${e.testable}`, String(e.clean)]),
      ),
    );
    for (const i of t.iocs) {
      if (i.testable && i.fixtureHits === 0) out.push(`${rel(base, i.list)}:${i.line}: ${i.type}:${i.value} is hit by no fixture\n`);
      for (const c of i.cleanExamples) out.push(`${rel(base, i.list)}:${i.line}: ${i.type}:${i.value} hit clean file ${c}\n`);
    }
  }
  const positives = t.rules.reduce((n, r) => n + r.positives, 0);
  const hit = t.rules.reduce((n, r) => n + r.positiveHits, 0);
  const clean = t.rules.reduce((n, r) => n + r.cleanHits, 0) + t.iocs.reduce((n, r) => n + r.cleanHits, 0);
  out.push(
    `\n${t.rules.length} rules: ${hit}/${positives} positives hit; ${clean} clean hits over ${t.clean.files} files (${mib(t.clean.bytes)}` +
      `${t.clean.tooLarge ? `, ${t.clean.tooLarge} larger files skipped` : ''}) in ${t.clean.roots.length ? t.clean.roots.join(', ') : 'no clean corpus'}; ` +
      `times are each rule alone over its positives and ${mib(t.timedBytes)} of clean data\n`,
  );
  out.push(t.ok ? 'PASS\n' : 'FAIL\n');
  return out.join('');
}

export function renderProfile(p: ProfileResult, base: string, top?: number): string {
  const rows = top === undefined ? p.rows : p.rows.slice(0, top);
  const total = p.rows.reduce((n, r) => n + r.ms, 0);
  const out = [
    table(
      ['RULE', 'TIME', 'SHARE', 'HITS', 'FILE'],
      rows.map((r) => [
        r.rule,
        `${r.ms.toFixed(1)} ms`,
        total > 0 ? `${((100 * r.ms) / total).toFixed(1)}%` : '-',
        String(r.hits),
        `${rel(base, r.path)}:${r.line}`,
      ]),
    ),
  ];
  out.push(
    `\n${p.files} files, ${mib(p.bytes)}${p.tooLarge ? ` (${p.tooLarge} larger files skipped)` : ''}; ` +
      `the whole pack as one set took ${p.packMs.toFixed(1)} ms, the rules alone ${total.toFixed(1)} ms in all; ` +
      `compiling took ${p.compileMs.toFixed(1)} ms\n`,
  );
  return out.join('');
}
