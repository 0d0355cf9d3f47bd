// Reads a saved report (the json document or the ndjson stream) back into records and summary, validated, so
// `firebreak render` can re-render it without rescanning.

import { FirebreakError } from '../core/errors.js';
import {
  reportDocumentSchema,
  sampleReportSchema,
  skipRecordSchema,
  summarySchema,
  type SweepRecord,
  type SweepSummary,
} from './schema.js';

export interface LoadedReport {
  records: SweepRecord[];
  summary: SweepSummary;
}

function malformed(name: string, message: string, line?: number): FirebreakError {
  return new FirebreakError('E_INPUT_MALFORMED', message, { input: name, ...(line !== undefined ? { line } : {}) });
}

function firstIssue(e: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const i = e.issues[0];
  return i ? `${i.path.map(String).join('.') || '(top)'}: ${i.message}` : 'invalid';
}

function parseNdjson(lines: string[], name: string): LoadedReport {
  const records: SweepRecord[] = [];
  let summary: SweepSummary | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (!text) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw malformed(name, `not JSON: ${e instanceof Error ? e.message : String(e)}`, i + 1);
    }
    if (summary) throw malformed(name, 'a line after the summary line', i + 1);
    const type = (value as { type?: unknown } | null)?.type;
    const schema = type === 'sample' ? sampleReportSchema : type === 'skip' ? skipRecordSchema : type === 'summary' ? summarySchema : undefined;
    if (!schema) throw malformed(name, `unknown record type ${JSON.stringify(type)}`, i + 1);
    const r = schema.safeParse(value);
    if (!r.success) throw malformed(name, `not a valid ${String(type)} record: ${firstIssue(r.error)}`, i + 1);
    if (type === 'summary') summary = r.data as SweepSummary;
    else records.push(r.data as SweepRecord);
  }
  if (!summary) throw malformed(name, 'no summary line: the report is incomplete');
  return { records, summary };
}

/** Parses a json or ndjson report. Throws FirebreakError E_INPUT_MALFORMED naming the file (and line). */
export function parseReport(text: string, name: string): LoadedReport {
  const lines = text.split('\n');
  const first = lines.find((l) => l.trim() !== '') ?? '';
  let firstValue: unknown;
  try {
    firstValue = JSON.parse(first);
  } catch {
    firstValue = undefined;
  }
  if (firstValue && typeof firstValue === 'object' && 'type' in firstValue) return parseNdjson(lines, name);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw malformed(name, `neither a json report nor an ndjson one: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = reportDocumentSchema.safeParse(doc);
  if (!r.success) throw malformed(name, `not a valid report document: ${firstIssue(r.error)}`);
  return { records: [...r.data.samples, ...r.data.skips], summary: r.data.summary };
}
