// The result of a triage as its renderers read it: the sample's report record plus what only a one-file view shows.

import type { Anomaly } from '../core/anomaly.js';
import type { SampleReport } from './schema.js';

/** Code-recovery figures of the capability analysis, shown in the CAPABILITIES heading. */
export interface TriageStats {
  functions: number;
  instructions: number;
  apiCalls: number;
  recoveryMs: number;
  matchMs: number;
}

export interface TriageResult {
  /** The report record (src/report/schema.ts `sample`), what `--format json` prints. */
  report: SampleReport;
  /** The PE's structural anomalies with their messages (the record's PE summary carries their codes). */
  anomalies: Anomaly[];
  analysis: { isPe: boolean; partial: boolean; partialReason?: string; stats: TriageStats };
}
