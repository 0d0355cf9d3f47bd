// The library behind `firebreak rules list|check|test|profile`, for any rule pack folder.

export { resolvePack, packSources, packRules, expandEnv, PACK_MANIFEST, type PackLayout, type PackRule } from './pack.js';
export { checkPack, type CheckOptions, type CheckResult } from './check.js';
export { listPack, type ListedRule, type PackListing } from './list.js';
export {
  testPack,
  DEFAULT_CLEAN_MAX_SIZE,
  DEFAULT_TIME_SAMPLE_BYTES,
  type PackIocs,
  type RuleTestRow,
  type IocTestRow,
  type TestOptions,
  type TestResult,
} from './test.js';
export { profilePack, type ProfileOptions, type ProfileResult, type ProfileRow } from './profile.js';
export { FIREBREAK_REQUIRED_META, type PackDiagnostic } from './lint.js';
export { findPositives, walkFiles } from './files.js';
export { readRuleSource, standaloneRuleText, type RuleBlock, type SourceOutline } from './source.js';
export { renderCheck, renderListing, renderProfile, renderTest } from './render.js';
