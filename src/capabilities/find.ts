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
  const sink: FeatureSink = (f, a, k) => p.push(f, a, k);
  // Global features belong to every scope: added to each FeatureSet built, and whether they alone can make a rule
  // of a scope a candidate is decided once.
  const g = new PendingFeatures();
  for (const [f, a] of globals) g.push(f, a);
  const globalMay = {
    instruction: matcher.mayMatch('instruction', g, 0),
    'basic block': matcher.mayMatch('basic block', g, 0),
    function: matcher.mayMatch('function', g, 0),
  };
  const withGlobals = (fs: FeatureSet): FeatureSet => {
    for (const [f, a] of globals) fs.add(f, a);
    return fs;
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
        if (globalMay.instruction || matcher.mayMatch('instruction', p, from)) {
          const found = matcher.match('instruction', withGlobals(p.toFeatureSet(from)), insn.address, evidence);
          record(found);
          pushMatches(p, found);
        }
      }
      extractor.extractBasicBlockFeatures(f, bb, sink);
      if (globalMay['basic block'] || matcher.mayMatch('basic block', p, bbFrom)) {
        const found = matcher.match('basic block', withGlobals(p.toFeatureSet(bbFrom)), bb.address, evidence);
        record(found);
        pushMatches(p, found);
      }
    }
    extractor.extractFunctionFeatures(f, sink);
    if (globalMay.function || matcher.mayMatch('function', p, 0)) {
      const fnFs = withGlobals(p.toFeatureSet(0));
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
  // File-scope matches always keep their evidence: it is where their addresses come from.
  record(matcher.match('file', fileFs, FILE_ADDRESS, true));
  return { matches, partial, functionsMatched, featureCount };
}
