// Pipeline step (with --capabilities): what each PE's code can do, by capa-format rules, within the file's budget.
//
// The rule engine is built once per worker. Each PE gets at most CAPABILITY_TIME_BUDGET_MS, and never more than
// its file's deadline leaves (members of an archive or image share their file's). A result cut short is kept,
// marked `partial` with an E_TIMEOUT or E_LIMIT error, which also keeps it out of the cache.

import { analyzeCapabilities, partialError, type CapabilityEngine } from '../../capabilities/analyze.js';
import type { Analysis } from '../analysis.js';
import { CAPABILITY_TIME_BUDGET_MS } from '../limits.js';
import { samplePe } from './sample-pe.js';
import type { ContentStep, SampleView } from './types.js';

export class CapabilityStep implements ContentStep {
  readonly name = 'capabilities';

  constructor(
    private readonly engine: CapabilityEngine,
    private readonly now: () => number = () => performance.now(),
  ) {}

  run(sample: SampleView, into: Analysis): void {
    const pe = samplePe(sample);
    if (!pe) return;
    const left = sample.deadline === undefined ? Infinity : sample.deadline - this.now();
    if (left <= 0) {
      into.partial = true;
      into.errors.push({ code: 'E_TIMEOUT', message: "capability analysis not run: the file's time budget is spent" });
      return;
    }
    const a = analyzeCapabilities(sample.bytes, { engine: this.engine, pe, timeBudgetMs: Math.min(CAPABILITY_TIME_BUDGET_MS, left), now: this.now });
    into.capabilities = a.capabilities;
    (sample.scratch ??= {}).program = a.program;
    const partial = partialError(a);
    if (partial) {
      into.partial = true;
      into.errors.push(partial);
    }
  }
}
