// The report document's runtime helpers, free of zod, so sweeping and rendering do not pay for the validator.

import type { SampleReport } from './schema.js';

export const SCHEMA_VERSION = 1;

/** The parts of a sample report that decide whether it is shown (a sweep's worker asks before the report exists). */
export type ShownParts = Pick<SampleReport, 'yara' | 'iocs' | 'family' | 'skipped' | 'errors'>;

/**
 * A detection: a YARA rule, an IOC or a family verdict. Capabilities describe what code can do and are not
 * detections by themselves, so a `--capabilities` sweep of clean files still exits 0.
 */
export function hasFindings(r: Pick<ShownParts, 'yara' | 'iocs' | 'family'>): boolean {
  return r.yara.length > 0 || r.iocs.length > 0 || r.family !== null;
}

/** Skipped in part or with errors: the text and SARIF writers list such a sample by path even without --all. */
export function notFullyAnalysed(r: Pick<ShownParts, 'skipped' | 'errors'>): boolean {
  return r.skipped !== null || r.errors.length > 0;
}

/**
 * Whether a report without --all shows a sample in any way: with its findings (and hashes, in every writer), or
 * by path as not fully analysed. Every writer shows a subset of these, so a sample outside it needs no hashes.
 */
export function listedWithoutAll(r: ShownParts): boolean {
  return hasFindings(r) || notFullyAnalysed(r);
}
