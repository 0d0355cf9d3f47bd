// Steps on finished sample reports, in the main thread, after the path and hash IOC hits are merged in: the place
// for verdicts that must read every finding. A family verdict reads YARA and IOC hits, and IOC hits on paths exist
// only here (they are not part of the cached, path-independent Analysis).

import type { SampleReport } from '../report/schema.js';
import { errorInfo } from './pipeline.js';

export interface ReportStep {
  readonly name: string;
  /** Fills its part of the report (e.g. `family`). Synchronous and cheap: it runs for every sample. */
  run(report: SampleReport): void;
}

export function runReportSteps(steps: readonly ReportStep[], report: SampleReport): void {
  for (const step of steps) {
    try {
      step.run(report);
    } catch (e) {
      report.errors.push(errorInfo(e, step.name));
    }
  }
}
