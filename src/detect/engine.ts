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
  /**
   * Cap on matches recorded per pattern, so a hostile file cannot make a result huge. It also caps `#a` in
   * conditions, as in yara. Unset means the engine's own cap (1,000,000, the same as yara 4).
   */
  maxMatchesPerPattern?: number;
}

/** Per-scan settings. */
export interface ScanOptions {
  /**
   * Stop a scan that runs longer than this (FirebreakError E_TIMEOUT). The native engine honours it; the WASM
   * build has no working timeout, so there a caller must keep its own watchdog.
   */
  timeoutMs?: number;
}

/**
 * A compiled set as plain data: what a worker thread needs to load it without compiling again. Only engines that
 * can serialize their compiled rules (the native one) produce it.
 */
export interface SerializedRuleSet {
  engine: EngineName;
  engineVersion: string;
  /** The compiled sources and options: the hash, meta recovery and any fallback need them. */
  sources: RuleSource[];
  options: CompileOptions;
  ruleCount: number;
  hash: string;
  compileMs: number;
  warnings: RuleDiagnostic[];
  skipped: RuleDiagnostic[];
  /** The engine's own serialization of the compiled rules. Trusted input only: it holds compiled code. */
  bytes: Uint8Array;
}

export interface RuleSet {
  readonly engine: EngineName;
  /** Version of the yara-x build behind the engine, e.g. `1.20.0`. */
  readonly engineVersion: string;
  /** Rules declared in the compiled sources, private and global ones included. */
  readonly ruleCount: number;
  /**
   * sha256 over engine name and version, every compiled source's path, namespace and text, the externals and the
   * match cap: the cache key. Skipped files are not part of it (they did not contribute rules).
   */
  readonly hash: string;
  /**
   * The sources that were compiled (skipped files left out). A worker rebuilds the same set, with the same hash,
   * from these plus the options, without paying again for the files that failed.
   */
  readonly sources: readonly RuleSource[];
  /** Wall time the compile took, in ms. A worker that compiles again pays it again; one that deserializes does not. */
  readonly compileMs: number;
  readonly warnings: RuleDiagnostic[];
  /** Rule files left out under `skipBadRules`, with why. */
  readonly skipped: RuleDiagnostic[];
  /**
   * Scans one buffer. `externals` override the compile-time values for this scan (e.g. filename); names not
   * defined at compile time are ignored, since no compiled rule can refer to them.
   */
  scan(bytes: Uint8Array, externals?: Record<string, MetaValue>, options?: ScanOptions): YaraMatch[];
  /** The set as plain data for another thread, or undefined when the engine cannot serialize (WASM). */
  serialize(): SerializedRuleSet | undefined;
  dispose(): void;
}

export type EngineName = 'yara-x-native' | 'yara-x-wasm';

/** `auto` takes the native binding where it loads and WASM elsewhere. An EngineName asks for that engine. */
export type EnginePreference = 'auto' | 'native' | 'wasm';

export interface YaraEngine {
  readonly name: EngineName;
  /** Version of the yara-x build behind the engine. */
  readonly version: string;
  /** Throws FirebreakError E_RULE_SYNTAX naming file, line and message unless `skipBadRules`. */
  compile(sources: RuleSource[], options?: CompileOptions): RuleSet;
  /** Loads a set another thread serialized (same engine and version), without compiling; absent on WASM. */
  deserialize?(s: SerializedRuleSet): RuleSet;
}
