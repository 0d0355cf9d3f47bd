// The portable yara-x engine over the official WASM build @virustotal/yara-x, this module its only importer.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Compiler, initSync, type Rules, type Scanner } from '@virustotal/yara-x';
import { FirebreakError } from '../../core/errors.js';
import type { MetaValue, YaraMatch, YaraStringMatch } from '../../core/findings.js';
import type { CompileOptions, RuleDiagnostic, RuleSet, RuleSource, ScanOptions, YaraEngine } from '../engine.js';
import { metaText } from '../rules/outline.js';
import { FactsRuleSet, ruleSetFacts, type RuleSetFacts } from './common.js';
import { attributeWarnings, parseReports, syntaxError, toDiagnostic } from './diagnostics.js';

/** The scan result as the WASM build returns it (serde-wasm-bindgen output, untyped in its .d.ts). */
interface WasmResult {
  valid: boolean;
  errors?: string[];
  matches: WasmRule[];
}

interface WasmRule {
  identifier: string;
  namespace: string;
  isPrivate: boolean;
  tags: string[];
  metadata: { identifier: string; value: string | number | boolean | number[] }[];
  patterns: { identifier: string; isPrivate: boolean; matches: { offset: number; length: number }[] }[];
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function metaValue(v: WasmRule['metadata'][number]['value']): MetaValue {
  return Array.isArray(v) ? metaText(Uint8Array.from(v)) : v;
}

function toYaraMatch(r: WasmRule): YaraMatch {
  const meta: Record<string, MetaValue> = {};
  // A repeated key keeps its first place and its last value, as the native binding builds its meta object.
  for (const m of r.metadata) meta[m.identifier] = metaValue(m.value);
  const strings: YaraStringMatch[] = [];
  for (const p of r.patterns) {
    if (p.isPrivate || p.matches.length === 0) continue;
    strings.push({ id: p.identifier, matches: p.matches.map((x) => ({ offset: x.offset, length: x.length })) });
  }
  return { rule: r.identifier, namespace: r.namespace, tags: r.tags, meta, strings };
}

class WasmRuleSet extends FactsRuleSet {
  readonly engine = 'yara-x-wasm' as const;
  private rules: Rules | undefined;
  private scanner: Scanner | undefined;
  /** Externals overridden by the last scan, reset to their compile-time values before the next one. */
  private overridden = new Set<string>();

  constructor(
    facts: RuleSetFacts,
    rules: Rules,
    private readonly defaults: Record<string, MetaValue>,
    options: CompileOptions,
  ) {
    super(facts);
    this.rules = rules;
    this.scanner = rules.scanner();
    if (options.maxMatchesPerPattern !== undefined) this.scanner.setMaxMatchesPerPattern(options.maxMatchesPerPattern);
  }

  // options.timeoutMs is not passed on: the WASM build's setTimeoutMs does not stop a scan (measured: a scan set
  // to stop after 1 s ran past 300 s), so the sweep's watchdog stays the only bound here.
  scan(bytes: Uint8Array, externals?: Record<string, MetaValue>, _options?: ScanOptions): YaraMatch[] {
    const scanner = this.scanner;
    if (!scanner) throw new FirebreakError('E_ENGINE', 'scan after dispose');
    let result: WasmResult;
    try {
      for (const k of this.overridden) if (!externals || !(k in externals)) scanner.setGlobal(k, this.defaults[k]);
      this.overridden.clear();
      if (externals) {
        for (const [k, v] of Object.entries(externals)) {
          if (!(k in this.defaults)) continue; // not declared at compile time, so no rule can read it
          scanner.setGlobal(k, v);
          this.overridden.add(k);
        }
      }
      result = scanner.scan(bytes) as WasmResult;
    } catch (e) {
      throw new FirebreakError('E_ENGINE', `yara-x scan failed: ${messageOf(e)}`, { cause: e });
    }
    if (!result.valid) {
      const why = (result.errors ?? []).join('; ') || 'unknown error';
      throw new FirebreakError(/timeout/i.test(why) ? 'E_TIMEOUT' : 'E_ENGINE', `yara-x scan failed: ${why}`);
    }
    const out: YaraMatch[] = [];
    for (const r of result.matches) if (!r.isPrivate) out.push(toYaraMatch(r));
    return out;
  }

  serialize(): undefined {
    return undefined;
  }

  dispose(): void {
    this.scanner?.free();
    this.rules?.free();
    this.scanner = undefined;
    this.rules = undefined;
  }
}

interface Attempt {
  rules?: Rules;
  warnings: RuleDiagnostic[];
  /** Files that failed, with their first error. */
  bad: Map<RuleSource, RuleDiagnostic>;
}

class WasmEngine implements YaraEngine {
  readonly name = 'yara-x-wasm' as const;
  constructor(readonly version: string) {}

  /** One pass over the sources; builds only when every file compiled. */
  private attempt(sources: readonly RuleSource[], externals: Record<string, MetaValue>, stopAtFirst: boolean): Attempt {
    const compiler = new Compiler();
    const warnings: RuleDiagnostic[] = [];
    const bad = new Map<RuleSource, RuleDiagnostic>();
    try {
      for (const [k, v] of Object.entries(externals)) compiler.defineGlobal(k, v);
      for (const s of sources) {
        compiler.newNamespace(s.namespace);
        try {
          compiler.addSource(s.text);
        } catch (e) {
          const first = parseReports(messageOf(e))[0];
          bad.set(s, first ? toDiagnostic(first, s.path) : { path: s.path, severity: 'error', message: messageOf(e) });
          if (stopAtFirst) return { warnings, bad };
        }
      }
      attributeWarnings(compiler.warnings, sources, warnings);
      if (bad.size > 0) return { warnings, bad };
      return { rules: compiler.build(), warnings, bad };
    } catch (e) {
      if (e instanceof FirebreakError) throw e;
      throw new FirebreakError('E_ENGINE', `yara-x compile failed: ${messageOf(e)}`, { cause: e });
    } finally {
      compiler.free();
    }
  }

  compile(sources: RuleSource[], options: CompileOptions = {}): RuleSet {
    const start = performance.now();
    const externals = options.externals ?? {};
    let a = this.attempt(sources, externals, !options.skipBadRules);
    const skipped: RuleDiagnostic[] = [];
    let compiled: RuleSource[] = sources;
    if (a.bad.size > 0) {
      if (!options.skipBadRules) {
        const [d] = a.bad.values();
        throw syntaxError(d!);
      }
      skipped.push(...a.bad.values());
      compiled = sources.filter((s) => !a.bad.has(s));
      // A failed addSource leaves its error in the compiler, so the good files are compiled again without it.
      a = this.attempt(compiled, externals, true);
      if (a.bad.size > 0) {
        const [d] = a.bad.values();
        throw syntaxError(d!);
      }
    }
    const facts = ruleSetFacts(this.name, this.version, compiled, options, start, a.warnings, skipped);
    return new WasmRuleSet(facts, a.rules!, externals, options);
  }
}

let initialised: string | undefined;

/** Instantiates the WASM module once per thread (about 30 ms) and returns the engine. */
export function loadWasmEngine(): YaraEngine {
  if (!initialised) {
    try {
      const require = createRequire(import.meta.url);
      const pkgJson = require.resolve('@virustotal/yara-x/package.json');
      const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
      initSync({ module: readFileSync(join(dirname(pkgJson), 'pkg', 'yara_x_js_bg.wasm')) });
      initialised = `@virustotal/yara-x ${version}`;
    } catch (e) {
      throw new FirebreakError('E_ENGINE_UNAVAILABLE', `the yara-x WASM module does not load: ${messageOf(e)}`, { cause: e });
    }
  }
  return new WasmEngine(initialised);
}
