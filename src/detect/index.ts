// The detection layer's public face: the YARA engines, rule loading and the IOC lists, for sweep and the CLI.

export type {
  CompileOptions,
  EngineName,
  EnginePreference,
  RuleDiagnostic,
  RuleSet,
  RuleSource,
  ScanOptions,
  SerializedRuleSet,
  YaraEngine,
} from './engine.js';
export { loadEngine, nativeUnavailableReason, type EngineLoaders } from './load-engine.js';
export { loadRuleSources, namespaceFor, MAX_RULE_FILES, MAX_RULE_DIR_DEPTH, MAX_RULE_FILE_BYTES } from './rules/load.js';
export { outlineRules, type RuleOutline } from './rules/outline.js';
export { formatDiagnostic } from './yara/diagnostics.js';
export type { HiveView, Indicator, IocFormat, IocList, IocSet, IocSubject, IocWarning } from './ioc/types.js';
export { detectFormat, parseIocList, loadIocLists } from './ioc/parse.js';
export { IOC_TYPES, DEFAULT_SCORE } from './ioc/parse-text.js';
export { createIocSet, baseName, windowsPath } from './ioc/set.js';
export { translatePythonRegex, compilePythonRegex, RegexTranslationError } from '../core/pyregex.js';
