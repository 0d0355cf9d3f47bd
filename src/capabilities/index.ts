// The capability layer's public face: engines from capa-format rules, analysis of one PE, compatibility.

export { analyzeCapabilities, createCapabilityEngine, partialError, DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET_MS } from './analyze.js';
export type { AnalyzeOptions, CapabilityAnalysis, CapabilityEngine } from './analyze.js';
export { loadRules, readRules, type RuleSource, type LoadedRules } from './load.js';
export { loadRulesCached, ruleSourcesKey, MAX_RULE_CACHE_FILES, type RuleCacheOptions, type CachedRules } from './rule-cache.js';
export { parseRule, RuleLoadError } from './parse.js';
export { RuleSet, type RuleFailure } from './ruleset.js';
export type { Rule, Node, Scope, StaticScope, Scopes } from './rule.js';
export { IndexedMatcher, ReferenceMatcher, type Matcher, type ScopeMatch } from './matcher.js';
export { findCapabilities, type Capabilities, type FindOptions } from './find.js';
export { evaluate, type Result } from './evaluate.js';
export { toCapabilityMatches, evidenceTree } from './results.js';
export { capaCompatibility, renderCompatMarkdown, type CompatReport } from './compat.js';
