// The YARA engine contract: one interface, two yara-x implementations (native N-API and official WASM).

import type { MetaValue, YaraMatch } from '../core/findings.js';

/** One rule file's text, with the namespace its rules compile into. */
export interface RuleSource {
  /** File path shown in diagnostics. */
  path: string;
  namespace: string;
  text: string;
}

export interface RuleDiagnostic {
  path: string;
  line?: number;
  column?: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface CompileOptions {
  /** External variables the rules may reference (signature-base needs filename, filepath, extension, filetype, owner). */
  externals?: Record<string, MetaValue>;
  /** Skip rule files that do not compile (reported in `skipped`) instead of failing. */
  skipBadRules?: boolean;
  /** Cap on matches recorded per pattern, so a hostile file cannot make a result huge. */
  maxMatchesPerPattern?: number;
}

export interface RuleSet {
  readonly engine: EngineName;
  readonly ruleCount: number;
  /** sha256 over engine name, every source's path, namespace and text, and the externals: the cache key. */
  readonly hash: string;
  readonly warnings: RuleDiagnostic[];
  /** Rule files left out under `skipBadRules`, with why. */
  readonly skipped: RuleDiagnostic[];
  /** Scans one buffer. `externals` override the compile-time values for this scan (e.g. filename). */
  scan(bytes: Uint8Array, externals?: Record<string, MetaValue>): YaraMatch[];
  dispose(): void;
}

export type EngineName = 'yara-x-native' | 'yara-x-wasm';

export interface YaraEngine {
  readonly name: EngineName;
  /** Throws FirebreakError E_RULE_SYNTAX naming file, line and message unless `skipBadRules`. */
  compile(sources: RuleSource[], options?: CompileOptions): RuleSet;
}
