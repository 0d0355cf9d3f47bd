// The report document's runtime helpers, free of zod, so sweeping and rendering do not pay for the validator.

import type { SampleReport } from './schema.js';

export const SCHEMA_VERSION = 1;

/**
 * A detection: a YARA rule, an IOC or a family verdict. Capabilities describe what code can do and are not
 * detections by themselves, so a `--capabilities` sweep of clean files still exits 0.
 */
export function hasFindings(r: SampleReport): boolean {
  return r.yara.length > 0 || r.iocs.length > 0 || r.family !== null;
}
