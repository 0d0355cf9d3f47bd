// The content steps of the pipeline, in order: the one place a new per-sample analysis plugs in.
//
// Planned: a capabilities step (when --capabilities is given) before the PE summary, and a family-verdict step
// last, which reads what the steps before it found.

import { loadEngine } from '../../detect/index.js';
import type { RuleDiagnostic } from '../../detect/engine.js';
import { buildIocSet } from '../iocs.js';
import type { WorkerPlan } from '../protocol.js';
import type { ContentStep } from './types.js';
import { YaraStep } from './yara.js';

export interface BuiltSteps {
  steps: ContentStep[];
  ruleCount: number;
  ruleSetHash: string;
  warnings: RuleDiagnostic[];
  skipped: RuleDiagnostic[];
  compileMs: number;
}

/** Builds every step from the plan; throws FirebreakError (E_RULE_SYNTAX...) when the rules do not compile. */
export async function buildSteps(plan: WorkerPlan): Promise<BuiltSteps> {
  const engine = await loadEngine(plan.engine);
  const rules = engine.compile(plan.rules, plan.compile);
  const steps: ContentStep[] = [new YaraStep(rules, plan.pathExternals)];
  const iocs = buildIocSet(plan.iocLists);
  // Each step's modules load only when the step is used: a worker's start-up is paid once per worker.
  if (iocs) steps.push(new (await import('./iocs.js')).IocContentStep(iocs));
  if (plan.pe !== 'off') steps.push(new (await import('./pe.js')).PeSummaryStep(plan.pe));
  return { steps, ruleCount: rules.ruleCount, ruleSetHash: rules.hash, warnings: rules.warnings, skipped: rules.skipped, compileMs: rules.compileMs };
}
