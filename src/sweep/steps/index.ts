// The content steps of the pipeline, in order: the one place a new per-sample analysis plugs in.
//
// YARA, IOCs, hives, then capabilities (with --capabilities) before the PE summary and the similarity lookup (with
// --db), which reuse its PE parse and recovered program. The signature family verdict is not a content step but a
// report step (report-steps.ts): it needs the IOC hits on paths, which only the main thread has.

// load-engine.js rather than detect's index: a worker without IOC lists need not load the IOC modules.
import { loadEngine } from '../../detect/load-engine.js';
import type { RuleDiagnostic } from '../../detect/engine.js';
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
  const rules = plan.compiled && engine.deserialize ? engine.deserialize(plan.compiled) : engine.compile(plan.rules, plan.compile);
  const steps: ContentStep[] = [new YaraStep(rules, plan.pathExternals)];
  // Each step's modules load only when the step is used: a worker's start-up is paid once per worker.
  if (plan.iocLists.length > 0) {
    const iocs = (await import('../iocs.js')).buildIocSet(plan.iocLists)!;
    steps.push(new (await import('./iocs.js')).IocContentStep(iocs));
    // The hive step comes after the content step, which sets the sample's IOC hits; it adds to them.
    steps.push(new (await import('./hive.js')).HiveStep(iocs));
  }
  if (plan.capabilities) {
    const { createCapabilityEngine } = await import('../../capabilities/analyze.js');
    const { sources, key, ruleCacheDir } = plan.capabilities;
    const engine = createCapabilityEngine(sources, ruleCacheDir ? { cache: { dir: ruleCacheDir, key } } : {});
    steps.push(new (await import('./capabilities.js')).CapabilityStep(engine));
  }
  if (plan.pe !== 'off') steps.push(new (await import('./pe.js')).PeSummaryStep(plan.pe));
  if (plan.similarity) {
    const { FamilyMatcher } = await import('../../similarity/index.js');
    const { db, fallback } = plan.similarity;
    steps.push(new (await import('./similarity.js')).SimilarityStep(new FamilyMatcher(db, fallback !== undefined ? { fallbackBaseline: fallback } : {})));
  }
  return { steps, ruleCount: rules.ruleCount, ruleSetHash: rules.hash, warnings: rules.warnings, skipped: rules.skipped, compileMs: rules.compileMs };
}
