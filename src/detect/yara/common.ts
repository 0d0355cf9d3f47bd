// What both yara-x engines share: the rule-set hash, external values, and the outline of what was compiled.

import { createHash } from 'node:crypto';
import type { MetaValue, YaraMatch } from '../../core/findings.js';
import type { CompileOptions, EngineName, RuleDiagnostic, RuleSet, RuleSource, ScanOptions, SerializedRuleSet } from '../engine.js';
import { outlineRules, type RuleOutline } from '../rules/outline.js';

/**
 * The cache key of a compiled set: engine and its version, every compiled source (path, namespace, text), the
 * externals with their types, and the match cap. Each part is length-prefixed so no two sets can collide by
 * shifting text from one field into the next.
 */
export function ruleSetHash(
  engine: EngineName,
  version: string,
  sources: readonly RuleSource[],
  options: CompileOptions,
): string {
  const h = createHash('sha256');
  const put = (s: string): void => {
    const b = Buffer.from(s, 'utf8');
    h.update(`${b.length}:`);
    h.update(b);
  };
  put(engine);
  put(version);
  put(String(sources.length));
  for (const s of sources) {
    put(s.path);
    put(s.namespace);
    put(s.text);
  }
  const ext = Object.entries(options.externals ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  put(String(ext.length));
  for (const [k, v] of ext) {
    put(k);
    put(typeof v);
    put(String(v));
  }
  put(String(options.maxMatchesPerPattern ?? 'default'));
  return h.digest('hex');
}

/** The rules of one source, read once: counted for `ruleCount`, and used to spot global rules. */
export interface OutlinedSource {
  source: RuleSource;
  rules: RuleOutline[];
}

export function outlineSources(sources: readonly RuleSource[]): OutlinedSource[] {
  return sources.map((source) => ({ source, rules: outlineRules(source.text) }));
}

export function countRules(outlined: readonly OutlinedSource[]): number {
  let n = 0;
  for (const o of outlined) n += o.rules.length;
  return n;
}

/** Milliseconds since `start` (from performance.now()), rounded to 0.1 ms. */
export function elapsedMs(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

/** What every compiled set reports about itself, whichever engine built it. */
export interface RuleSetFacts {
  engineVersion: string;
  sources: readonly RuleSource[];
  ruleCount: number;
  hash: string;
  compileMs: number;
  warnings: RuleDiagnostic[];
  skipped: RuleDiagnostic[];
}

/** The facts of a set compiled from `compiled` since `start` (a performance.now() reading). */
export function ruleSetFacts(
  engine: EngineName,
  version: string,
  compiled: readonly RuleSource[],
  options: CompileOptions,
  start: number,
  warnings: RuleDiagnostic[],
  skipped: RuleDiagnostic[],
  /** When the caller has outlined the sources already. */
  ruleCount: number = countRules(outlineSources(compiled)),
): RuleSetFacts {
  return {
    engineVersion: version,
    sources: compiled,
    ruleCount,
    hash: ruleSetHash(engine, version, compiled, options),
    compileMs: elapsedMs(start),
    warnings,
    skipped,
  };
}

/** The part of a RuleSet both engines share; each adds its scan and its way of freeing memory. */
export abstract class FactsRuleSet implements RuleSet {
  abstract readonly engine: EngineName;
  readonly engineVersion: string;
  readonly sources: readonly RuleSource[];
  readonly ruleCount: number;
  readonly hash: string;
  readonly compileMs: number;
  readonly warnings: RuleDiagnostic[];
  readonly skipped: RuleDiagnostic[];

  constructor(facts: RuleSetFacts) {
    this.engineVersion = facts.engineVersion;
    this.sources = facts.sources;
    this.ruleCount = facts.ruleCount;
    this.hash = facts.hash;
    this.compileMs = facts.compileMs;
    this.warnings = facts.warnings;
    this.skipped = facts.skipped;
  }

  abstract scan(bytes: Uint8Array, externals?: Record<string, MetaValue>, options?: ScanOptions): YaraMatch[];
  abstract serialize(): SerializedRuleSet | undefined;
  abstract dispose(): void;
}
