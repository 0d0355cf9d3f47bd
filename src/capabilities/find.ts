// Walks an extractor scope by scope (instruction, basic block, function, file) and matches rules at each, as capa does.

import type { ExtractedFeature } from '../features/feature.js';
import { matchKey } from '../features/feature.js';
import type { FeatureSink, StaticFeatureExtractor } from '../features/extractor.js';
import { FeatureSet, PendingFeatures, namespacePrefixes, type Address } from '../features/featureset.js';
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
  /** Distinct features at file scope plus, summed, in each function a rule might match (an approximation of capa's counts). */
  featureCount: number;
}

/** Adds the `match` features of the matches just found (rule name and every namespace prefix) to a pending list. */
function pushMatches(p: PendingFeatures, found: ScopeMatch[]): void {
  for (const m of found) {
    for (const name of [m.rule.name, ...namespacePrefixes(m.rule.namespace)]) p.push({ type: 'match', value: name }, m.address, matchKey(name));
  }
}

/**
 * capa's find_static_capabilities over any extractor and either matcher. A function's features go into one flat
 * list; an instruction's and a block's are suffix ranges of it, turned into a FeatureSet only when the matcher says
 * a rule of that scope might match (the reference matcher always says so, the indexed one rarely). Matches found at
 * a scope are appended as `match` features, so the enclosing scopes see them.
 */
export function findCapabilities(extractor: StaticFeatureExtractor, matcher: Matcher, options: FindOptions = {}): Capabilities {
  const evidence = options.evidence ?? false;
  const now = options.now ?? (() => performance.now());
  const globals: [ExtractedFeature, Address | undefined][] = [];
  extractor.extractGlobalFeatures((f, a) => globals.push([f, a]));
  const matches = new Map<string, ScopeMatch[]>();
  const record = (list: ScopeMatch[]) => {
    for (const m of list) {
      let l = matches.get(m.rule.name);
      if (!l) matches.set(m.rule.name, (l = []));
      l.push(m);
    }
  };

  const p = new PendingFeatures();
  const sink: FeatureSink = (f, a) => p.push(f, a);
  // Global features are part of every scope; within one function's list, once per block range and instruction range
  // would repeat them, so they are added to each FeatureSet built instead, and to the candidate check via their keys.
  const pushGlobals = () => {
    for (const [f, a] of globals) p.push(f, a);
  };
  let partial = false;
  let functionsMatched = 0;
  let featureCount = 0;
  for (const f of extractor.functions()) {
    if (options.deadline !== undefined && now() > options.deadline) {
      partial = true;
      break;
    }
    p.clear();
    for (const bb of extractor.basicBlocks(f)) {
      const bbFrom = p.length;
      for (const insn of extractor.instructions(f, bb)) {
        const from = p.length;
        extractor.extractInstructionFeatures(f, bb, insn, sink);
        pushGlobals();
        if (matcher.mayMatch('instruction', p, from)) {
          const found = matcher.match('instruction', p.toFeatureSet(from), insn.address, evidence);
          record(found);
          pushMatches(p, found);
        }
      }
      extractor.extractBasicBlockFeatures(f, bb, sink);
      pushGlobals();
      if (matcher.mayMatch('basic block', p, bbFrom)) {
        const found = matcher.match('basic block', p.toFeatureSet(bbFrom), bb.address, evidence);
        record(found);
        pushMatches(p, found);
      }
    }
    extractor.extractFunctionFeatures(f, sink);
    pushGlobals();
    if (matcher.mayMatch('function', p, 0)) {
      const fnFs = p.toFeatureSet(0);
      featureCount += fnFs.size;
      record(matcher.match('function', fnFs, f.address, evidence));
    }
    functionsMatched++;
  }

  const fileFs = new FeatureSet();
  extractor.extractFileFeatures((feat, a) => fileFs.add(feat, a));
  for (const [feat, a] of globals) fileFs.add(feat, a);
  for (const list of matches.values()) {
    const rule = list[0]!.rule;
    fileFs.addMatch(rule.name, rule.namespace, list.map((m) => m.address));
  }
  featureCount += fileFs.size;
  record(matcher.match('file', fileFs, FILE_ADDRESS, evidence));
  return { matches, partial, functionsMatched, featureCount };
}
