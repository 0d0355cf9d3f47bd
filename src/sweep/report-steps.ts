// Steps on finished sample reports, in the main thread, after the path and hash IOC hits are merged in: the place
// for verdicts that must read every finding. A family verdict reads YARA and IOC hits, and IOC hits on paths exist
// only here (they are not part of the cached, path-independent Analysis).

import type { SampleDraft } from './assemble.js';
import { errorInfo } from './pipeline.js';

export interface ReportStep {
  readonly name: string;
  /**
   * Fills its part of the report (e.g. `family`). Synchronous and cheap: it runs for every sample. A sample no
   * report lists may lack some hashes (SweepOptions.records); a step must not make such a sample reportable.
   */
  run(report: SampleDraft): void;
}

export function runReportSteps(steps: readonly ReportStep[], report: SampleDraft): void {
  for (const step of steps) {
    try {
      step.run(report);
    } catch (e) {
      report.errors.push(errorInfo(e, step.name));
    }
  }
}
