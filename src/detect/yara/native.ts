// The native yara-x engine over the N-API build @litko/yara-x-linux-x64-gnu (yara-x 1.20.0), this module its only
// importer.
//
// That package is the platform half of @litko/yara-x: one .node file and no JS wrapper, loaded here with
// createRequire. It is an optionalDependency that declares os, cpu and libc, so on other platforms it is not
// installed, the require fails, and `auto` falls back to WASM. Each rule file compiles into its own namespace in one
// compiler; the compiled set can be serialized, so a sweep compiles once and its workers load the bytes.

import { createRequire } from 'node:module';
import { FirebreakError } from '../../core/errors.js';
import type { MetaValue, YaraMatch, YaraStringMatch } from '../../core/findings.js';
import type { CompileOptions, RuleDiagnostic, RuleSet, RuleSource, ScanOptions, SerializedRuleSet, YaraEngine } from '../engine.js';
import { outlineRules } from '../rules/outline.js';
import { countRules, FactsRuleSet, outlineSources, ruleSetFacts, type RuleSetFacts } from './common.js';
import { attributeWarnings, parseReports, quotesLine, syntaxError, toDiagnostic } from './diagnostics.js';
import { loadWasmEngine } from './wasm.js';

const PACKAGE = '@litko/yara-x-linux-x64-gnu';

type BindingValue = string | number | boolean;

interface BindingMatchData {
  offset: number;
  length: number;
  identifier: string;
}

interface BindingMatch {
  ruleIdentifier: string;
  namespace: string;
  meta: Record<string, unknown>;
  tags: string[];
  matches: BindingMatchData[];
}

interface BindingReport {
  code: string;
  message: string;
}

/** The compiled rules and their cached scanner, as the binding's YaraX class exposes them. */
interface BindingRules {
  addRuleSources(sources: { source: string; namespace?: string }[]): void;
  getWarnings(): BindingReport[];
  scan(data: Buffer, variables?: Record<string, BindingValue>): BindingMatch[];
  serialize(): Buffer;
  setMaxMatchesPerPattern(n: number): void;
  setMatchContextSize(n: number): void;
  setTimeout(ms: number): void;
}

interface Binding {
  compile(source: string, options?: { defineVariables?: Record<string, BindingValue> }): BindingRules;
  create(): BindingRules;
  deserialize(bytes: Buffer): BindingRules;
  validate(
    source: string,
    options?: { namespace?: string; defineVariables?: Record<string, BindingValue> },
  ): { errors: BindingReport[]; warnings: BindingReport[] };
}

/**
 * Values pass to the binding typed, except text: it parses every string external again and makes "true"/"false"
 * (any case) a boolean and i64 text an integer. Such a string cannot be passed as a string.
 */
function retypedText(value: MetaValue): boolean {
  if (typeof value !== 'string') return false;
  if (/^(true|false)$/i.test(value)) return true;
  if (!/^[+-]?[0-9]+$/.test(value)) return false;
  const v = BigInt(value);
  return v >= -(2n ** 63n) && v < 2n ** 63n;
}

function bindingVars(externals: Record<string, MetaValue>): Record<string, BindingValue> {
  for (const [k, v] of Object.entries(externals)) {
    if (retypedText(v)) {
      throw new FirebreakError(
        'E_ENGINE',
        `the native engine would define the text external ${k}="${v}" as a ${/^[tf]/i.test(v as string) ? 'boolean' : 'number'}; the WASM engine can`,
      );
    }
  }
  return externals;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The binding's scan error for a scan stopped by setTimeout. */
function isTimeout(e: unknown): boolean {
  return e instanceof Error && ((e as { code?: unknown }).code === 'Cancelled' || /timed out/i.test(e.message));
}

/** Whole seconds: the scanner is rebuilt whenever its timeout changes, so nearby budgets share one value. */
const TIMEOUT_STEP_MS = 1000;
/** The binding takes the timeout as an unsigned 32-bit count of ms. */
const MAX_TIMEOUT_MS = 0xffff_ffff;

class NativeRuleSet extends FactsRuleSet {
  readonly engine = 'yara-x-native' as const;
  private rules: BindingRules | undefined;
  /** Meta the binding renders as "unknown" (text with escapes that make it bytes), recovered from the source. */
  private readonly metaCache = new Map<string, Map<string, Map<string, MetaValue>>>();
  private readonly byNamespace: Map<string, RuleSource>;
  private timeoutMs: number | undefined;
  /** A WASM build of the same sources, made on first need (a text external the binding would re-type). */
  private fallback: RuleSet | undefined;

  constructor(
    facts: RuleSetFacts,
    rules: BindingRules,
    private readonly options: CompileOptions,
    /** Compile-time externals: every scan passes all of them, so an override never outlives its scan. */
    private readonly defaults: Record<string, MetaValue>,
  ) {
    super(facts);
    this.rules = rules;
    this.byNamespace = new Map(facts.sources.map((s) => [s.namespace, s]));
    // No copies of the bytes around each match: reports keep offsets and lengths only.
    rules.setMatchContextSize(0);
    if (options.maxMatchesPerPattern !== undefined) rules.setMaxMatchesPerPattern(options.maxMatchesPerPattern);
  }

  private varsFor(externals: Record<string, MetaValue> | undefined): Record<string, BindingValue> | undefined | 'fallback' {
    if (Object.keys(this.defaults).length === 0) return undefined;
    const vars: Record<string, BindingValue> = { ...this.defaults };
    if (externals) {
      for (const [k, v] of Object.entries(externals)) {
        if (!(k in this.defaults)) continue; // not declared at compile time, so no rule can read it
        if (retypedText(v)) return 'fallback';
        vars[k] = v;
      }
    }
    return vars;
  }

  private setTimeoutFor(options: ScanOptions | undefined): void {
    const want = options?.timeoutMs === undefined ? undefined : Math.min(MAX_TIMEOUT_MS, Math.max(TIMEOUT_STEP_MS, Math.ceil(options.timeoutMs / TIMEOUT_STEP_MS) * TIMEOUT_STEP_MS));
    if (want === this.timeoutMs) return;
    // 0 would stop every scan at once; "no timeout" after one was set is the largest value the binding takes.
    this.rules!.setTimeout(want ?? MAX_TIMEOUT_MS);
    this.timeoutMs = want;
  }

  scan(bytes: Uint8Array, externals?: Record<string, MetaValue>, options?: ScanOptions): YaraMatch[] {
    const rules = this.rules;
    if (!rules) throw new FirebreakError('E_ENGINE', 'scan after dispose');
    const vars = this.varsFor(externals);
    if (vars === 'fallback') return this.wasmFallback().scan(bytes, externals, options);
    this.setTimeoutFor(options);
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let found: BindingMatch[];
    try {
      found = vars ? rules.scan(data, vars) : rules.scan(data);
    } catch (e) {
      if (isTimeout(e)) throw new FirebreakError('E_TIMEOUT', `yara-x scan stopped after ${Math.round((this.timeoutMs ?? 0) / 1000)} s`, { cause: e });
      throw new FirebreakError('E_ENGINE', `yara-x scan failed: ${messageOf(e)}`, { cause: e });
    }
    const out: YaraMatch[] = [];
    for (const m of found) out.push(this.toYaraMatch(m));
    return out;
  }

  private wasmFallback(): RuleSet {
    this.fallback ??= loadWasmEngine().compile([...this.sources], this.options);
    return this.fallback;
  }

  private toYaraMatch(m: BindingMatch): YaraMatch {
    const strings: YaraStringMatch[] = [];
    let current: YaraStringMatch | undefined;
    for (const d of m.matches) {
      if (current?.id !== d.identifier) {
        current = strings.find((s) => s.id === d.identifier);
        if (!current) {
          current = { id: d.identifier, matches: [] };
          strings.push(current);
        }
      }
      current.matches.push({ offset: d.offset, length: d.length });
    }
    const meta: Record<string, MetaValue> = {};
    for (const [k, v] of Object.entries(m.meta)) {
      meta[k] = v === 'unknown' ? (this.sourceMeta(m.namespace, m.ruleIdentifier)?.get(k) ?? v) : (v as MetaValue);
    }
    return { rule: m.ruleIdentifier, namespace: m.namespace, tags: m.tags, meta, strings };
  }

  /** A rule's meta as its source spells it, read once per namespace and only when needed. */
  private sourceMeta(namespace: string, rule: string): Map<string, MetaValue> | undefined {
    let rules = this.metaCache.get(namespace);
    if (!rules) {
      rules = new Map();
      const source = this.byNamespace.get(namespace);
      for (const r of source ? outlineRules(source.text) : []) rules.set(r.name, new Map(r.meta));
      this.metaCache.set(namespace, rules);
    }
    return rules.get(rule);
  }

  serialize(): SerializedRuleSet {
    if (!this.rules) throw new FirebreakError('E_ENGINE', 'serialize after dispose');
    const bytes = this.rules.serialize();
    return {
      engine: this.engine,
      engineVersion: this.engineVersion,
      sources: [...this.sources],
      options: this.options,
      ruleCount: this.ruleCount,
      hash: this.hash,
      compileMs: this.compileMs,
      warnings: this.warnings,
      skipped: this.skipped,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  }

  dispose(): void {
    this.rules = undefined;
    this.fallback?.dispose();
    this.fallback = undefined;
  }
}

class NativeEngine implements YaraEngine {
  readonly name = 'yara-x-native' as const;
  constructor(
    private readonly binding: Binding,
    readonly version: string,
  ) {}

  /** A fresh compiler with the externals defined; a failed addRuleSources leaves its sources behind, so never reused. */
  private fresh(vars: Record<string, BindingValue> | undefined): BindingRules {
    return vars ? this.binding.compile('', { defineVariables: vars }) : this.binding.create();
  }

  compile(sources: RuleSource[], options: CompileOptions = {}): RuleSet {
    const start = performance.now();
    const externals = options.externals ?? {};
    const vars = Object.keys(externals).length > 0 ? bindingVars(externals) : undefined;
    const skipped: RuleDiagnostic[] = [];
    let compiled = sources;
    let rules: BindingRules | undefined;
    // Each failed round drops at least one file, so this ends within sources.length + 1 rounds.
    for (let round = 0; round <= sources.length; round++) {
      const attempt = this.fresh(vars);
      try {
        attempt.addRuleSources(compiled.map((s) => ({ source: s.text, namespace: s.namespace })));
        rules = attempt;
        break;
      } catch (e) {
        const bad = this.failingFiles(compiled, vars, e, options.skipBadRules ?? false);
        if (!options.skipBadRules) throw syntaxError(bad.values().next().value!, e);
        skipped.push(...bad.values());
        compiled = compiled.filter((s) => !bad.has(s));
      }
    }
    if (!rules) throw new FirebreakError('E_INTERNAL', 'rule files kept failing after every bad one was left out');
    const warnings: RuleDiagnostic[] = [];
    attributeWarnings(rules.getWarnings().map((w) => w.message), compiled, warnings);
    const facts = ruleSetFacts(this.name, this.version, compiled, options, start, warnings, skipped, countRules(outlineSources(compiled)));
    return new NativeRuleSet(facts, rules, options, externals);
  }

  /**
   * Which files made a compile fail, each with its first error. The binding's error names a line but not the
   * file, so each file is checked alone (the cost of one more compile, on the failure path only); a failure only
   * the combination causes (the same rule twice in one namespace) goes to the file whose text the error quotes.
   */
  private failingFiles(
    sources: readonly RuleSource[],
    vars: Record<string, BindingValue> | undefined,
    error: unknown,
    all: boolean,
  ): Map<RuleSource, RuleDiagnostic> {
    const bad = new Map<RuleSource, RuleDiagnostic>();
    for (const s of sources) {
      const first = this.binding.validate(s.text, { namespace: s.namespace, ...(vars ? { defineVariables: vars } : {}) }).errors[0];
      if (!first) continue;
      const report = parseReports(first.message)[0];
      bad.set(s, report ? toDiagnostic(report, s.path) : { path: s.path, severity: 'error', message: first.message });
      if (!all) return bad;
    }
    if (bad.size > 0) return bad;
    const report = parseReports(messageOf(error))[0];
    const quoted = report?.line === undefined ? undefined : sources.find((s) => quotesLine(report, s.text, report.line!));
    const blamed = quoted ?? sources[0];
    if (!blamed) throw new FirebreakError('E_ENGINE', `yara-x compile failed: ${messageOf(error)}`, { cause: error });
    bad.set(blamed, report ? toDiagnostic(report, blamed.path) : { path: blamed.path, severity: 'error', message: messageOf(error) });
    return bad;
  }

  deserialize(s: SerializedRuleSet): RuleSet {
    if (s.engine !== this.name || s.engineVersion !== this.version) {
      throw new FirebreakError('E_ENGINE', `a rule set serialized by ${s.engine} ${s.engineVersion} cannot load in ${this.name} ${this.version}`);
    }
    let rules: BindingRules;
    try {
      rules = this.binding.deserialize(Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength));
    } catch (e) {
      throw new FirebreakError('E_ENGINE', `yara-x could not load serialized rules: ${messageOf(e)}`, { cause: e });
    }
    const facts: RuleSetFacts = {
      engineVersion: s.engineVersion,
      sources: s.sources,
      ruleCount: s.ruleCount,
      hash: s.hash,
      compileMs: s.compileMs,
      warnings: s.warnings,
      skipped: s.skipped,
    };
    return new NativeRuleSet(facts, rules, s.options, s.options.externals ?? {});
  }
}

/** Loads the binding, or throws E_ENGINE_UNAVAILABLE saying why (it is built for linux-x64 with glibc only). */
export function loadNativeEngine(): YaraEngine {
  const require = createRequire(import.meta.url);
  let binding: Binding;
  let version: string;
  try {
    binding = require(PACKAGE) as Binding;
    version = (require(`${PACKAGE}/package.json`) as { version: string }).version;
    for (const f of ['compile', 'create', 'deserialize', 'validate'] as const) {
      if (typeof binding[f] !== 'function') throw new Error(`${PACKAGE} ${version} has no ${f}()`);
    }
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new FirebreakError(
      'E_ENGINE_UNAVAILABLE',
      `the native yara-x binding does not load on ${process.platform}-${process.arch} (it is built for linux-x64 with glibc only): ${why}`,
      { cause: e },
    );
  }
  return new NativeEngine(binding, `${PACKAGE} ${version}`);
}
