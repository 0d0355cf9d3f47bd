// Walks an extractor scope by scope (instruction, basic block, function, file) and matches rules at each, as capa does.

import type { ExtractedFeature } from '../features/feature.js';
import type { FeatureSink, StaticFeatureExtractor } from '../features/extractor.js';
import { FeatureSet, type Address } from '../features/featureset.js';
import { FILE_ADDRESS, type Matcher, type ScopeMatch } from './matcher.js';

export interface FindOptions {
  /** Keep each match's evidence tree (for `--verbose` and for file-scope addresses). */
  evidence?: boolean;
  /** Stop matching functions once this time (ms, same clock as `now`) has passed; the result is then partial. */
  deadline?: number;
  now?: () => number;
}

export interface Capabilities {
  /** Every match at every scope, derived and library rules included, by rule name. */
  matches: Map<string, ScopeMatch[]>;
  /** True when the deadline cut function matching short. */
  partial: boolean;
  functionsMatched: number;
  /** Number of distinct features seen at file scope, and summed over functions (capa's feature counts). */
  featureCount: number;
}

/** capa's find_static_capabilities over any extractor and either matcher. */
export function findCapabilities(extractor: StaticFeatureExtractor, matcher: Matcher, options: FindOptions = {}): Capabilities {
  const evidence = options.evidence ?? false;
  const now = options.now ?? (() => performance.now());
  const globals: [ExtractedFeature, Address | undefined][] = [];
  extractor.extractGlobalFeatures((f, a) => globals.push([f, a]));
  const addGlobals = (fs: FeatureSet) => {
    for (const [f, a] of globals) fs.add(f, a);
  };
  const matches = new Map<string, ScopeMatch[]>();
  const record = (list: ScopeMatch[]) => {
    for (const m of list) {
      let l = matches.get(m.rule.name);
      if (!l) matches.set(m.rule.name, (l = []));
      l.push(m);
    }
  };

  let partial = false;
  let functionsMatched = 0;
  let featureCount = 0;
  for (const f of extractor.functions()) {
    if (options.deadline !== undefined && now() > options.deadline) {
      partial = true;
      break;
    }
    const fnFs = new FeatureSet();
    for (const bb of extractor.basicBlocks(f)) {
      const bbFs = new FeatureSet();
      for (const insn of extractor.instructions(f, bb)) {
        const insnFs = new FeatureSet();
        const sink: FeatureSink = (feat, a) => insnFs.add(feat, a);
        extractor.extractInstructionFeatures(f, bb, insn, sink);
        addGlobals(insnFs);
        record(matcher.match('instruction', insnFs, insn.address, evidence));
        bbFs.merge(insnFs);
      }
      extractor.extractBasicBlockFeatures(f, bb, (feat, a) => bbFs.add(feat, a));
      addGlobals(bbFs);
      record(matcher.match('basic block', bbFs, bb.address, evidence));
      fnFs.merge(bbFs);
    }
    extractor.extractFunctionFeatures(f, (feat, a) => fnFs.add(feat, a));
    addGlobals(fnFs);
    record(matcher.match('function', fnFs, f.address, evidence));
    featureCount += fnFs.size;
    functionsMatched++;
  }

  const fileFs = new FeatureSet();
  extractor.extractFileFeatures((feat, a) => fileFs.add(feat, a));
  addGlobals(fileFs);
  for (const list of matches.values()) {
    const rule = list[0]!.rule;
    fileFs.addMatch(rule.name, rule.namespace, list.map((m) => m.address));
  }
  featureCount += fileFs.size;
  record(matcher.match('file', fileFs, FILE_ADDRESS, evidence));
  return { matches, partial, functionsMatched, featureCount };
}
