// Reads yara-x's rendered compiler reports (`error[E009]: ...\n --> line:4:21`) into line, column and message.

import { FirebreakError } from '../../core/errors.js';
import type { RuleDiagnostic, RuleSource } from '../engine.js';

export interface Report {
  severity: 'error' | 'warning';
  /** yara-x's stable code: `E009`, `slow_pattern`... */
  code: string;
  /** The report's title line, e.g. "unknown identifier `foo`". */
  title: string;
  line?: number;
  column?: number;
  /** The text of the source line the report points at, as the report quotes it. */
  quoted?: string;
  /** The note under the caret marks (`expecting identifier, found \`fullword\``), which often says more than the title. */
  label?: string;
}

/** Bound on reports read from one message, so a rule file with thousands of errors cannot flood a result. */
export const MAX_REPORTS_PER_MESSAGE = 1000;

// The native binding prefixes its errors with "Compilation error (E009): "; source snippet lines start with
// blanks or a line number and a bar, so a rule whose text contains "error[" cannot pass for a header.
const HEADER = /^(?:Compilation error \([^)]*\): )?(error|warning)\[([^\]\n]+)\]: (.*)$/;
const LOCATION = /^\s*--> line:(\d+):(\d+)/;
const QUOTE = /^\s*(\d+) \|(?: (.*))?$/;
const LABEL = /^\s*\|\s*[\^-]+\s+(\S.*)$/;

/** Every report in one or more rendered yara-x messages, in order. */
export function parseReports(text: string): Report[] {
  const out: Report[] = [];
  let current: Report | undefined;
  for (const line of text.split('\n')) {
    const h = HEADER.exec(line);
    if (h) {
      if (out.length >= MAX_REPORTS_PER_MESSAGE) break;
      current = { severity: h[1] === 'warning' ? 'warning' : 'error', code: h[2]!, title: h[3]!.trim() };
      out.push(current);
      continue;
    }
    if (!current) continue;
    const l = LOCATION.exec(line);
    if (l && current.line === undefined) {
      current.line = Number(l[1]);
      current.column = Number(l[2]);
      continue;
    }
    const q = QUOTE.exec(line);
    if (q && current.quoted === undefined && Number(q[1]) === current.line) {
      current.quoted = q[2] ?? '';
      continue;
    }
    const lb = LABEL.exec(line);
    if (lb && current.label === undefined && current.quoted !== undefined) current.label = lb[1]!.trim();
  }
  return out;
}

/** Whether `text`'s line `line` is the one a report quotes (whitespace compared loosely: tabs are expanded). */
export function quotesLine(report: Report, text: string, line: number): boolean {
  if (report.quoted === undefined) return false;
  let start = 0;
  for (let i = 1; i < line; i++) {
    start = text.indexOf('\n', start) + 1;
    if (start === 0) return false;
  }
  const end = text.indexOf('\n', start);
  const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
  return squash(text.slice(start, end < 0 ? text.length : end)) === squash(report.quoted);
}

/** The diagnostic for a report in `path`, with the report's line moved by `lineBase` (lines before the file). */
export function toDiagnostic(report: Report, path: string, lineBase = 0): RuleDiagnostic {
  const label = report.label && report.label !== report.title ? `: ${report.label}` : '';
  const d: RuleDiagnostic = { path, severity: report.severity, message: `${report.severity}[${report.code}]: ${report.title}${label}` };
  if (report.line !== undefined) d.line = report.line - lineBase;
  if (report.column !== undefined) d.column = report.column;
  return d;
}

/** The E_RULE_SYNTAX error for a rule file that does not compile: `file:line:col: message`. */
export function syntaxError(d: RuleDiagnostic, cause?: unknown): FirebreakError {
  return new FirebreakError('E_RULE_SYNTAX', d.message, {
    input: d.path,
    line: d.line,
    column: d.column,
    cause,
  });
}

/** A diagnostic as one line for a person, the way compilers print them. */
export function formatDiagnostic(d: RuleDiagnostic): string {
  const where = d.line === undefined ? d.path : `${d.path}:${d.line}${d.column === undefined ? '' : `:${d.column}`}`;
  return `${where}: ${d.message}`;
}

/**
 * yara-x's warnings, from a compiler fed many files, name a line but not the file (and reading them after every
 * file costs more than compiling: 10 s for signature-base on WASM). They come in file order, so each is given to
 * the first file, from the last one claimed on, whose line matches the one the warning quotes.
 */
export function attributeWarnings(rendered: string[], sources: readonly RuleSource[], out: RuleDiagnostic[]): void {
  let at = 0;
  for (const text of rendered) {
    for (const r of parseReports(text)) {
      let i = at;
      while (i < sources.length && !(r.line !== undefined && quotesLine(r, sources[i]!.text, r.line))) i++;
      if (i < sources.length) {
        at = i;
        out.push(toDiagnostic(r, sources[i]!.path));
      } else {
        out.push(toDiagnostic(r, sources[at]?.path ?? '(rules)'));
      }
    }
  }
}
