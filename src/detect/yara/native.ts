// The native yara-x engine over the N-API binding @litko/yara-x (yara-x 1.7.1), this module its only importer.
//
// The binding (0.3.0) compiles one source string into the `default` namespace and has no namespace call. So the
// sources are packed into as few compile units as keep YARA's namespace semantics: within a unit no two files
// declare the same rule name, and a file with a `global` rule (which applies to its whole namespace) sits alone.
// Each rule's namespace is then looked up by name in its unit. Most sets (bench.yar, signature-base but one file)
// need one or two units, and each unit costs one pass over the scanned bytes.

import { createRequire } from 'node:module';
import type { CompilerOptions as BindingCompilerOptions, RuleMatch as BindingMatch, YaraX } from '@litko/yara-x';
import { FirebreakError } from '../../core/errors.js';
import type { MetaValue, YaraMatch, YaraStringMatch } from '../../core/findings.js';
import type { CompileOptions, RuleDiagnostic, RuleSet, RuleSource, YaraEngine } from '../engine.js';
import type { RuleOutline } from '../rules/outline.js';
import { countRules, elapsedMs, outlineSources, ruleSetHash, type OutlinedSource } from './common.js';
import { parseReports, syntaxError, toDiagnostic, type Report } from './diagnostics.js';

interface Binding {
  compile(source: string, options?: BindingCompilerOptions | null): YaraX;
  validate(source: string, options?: BindingCompilerOptions | null): { errors: { message: string }[] };
}

/** One file inside a compile unit, with the number of lines of the unit's text before it. */
interface Part {
  outlined: OutlinedSource;
  lineBase: number;
}

interface RuleInfo {
  namespace: string;
  /** Meta as read from the source: the binding renders booleans and non-UTF-8 strings as "unknown". */
  meta: Map<string, MetaValue>;
}

interface Unit {
  rules: YaraX;
  byName: Map<string, RuleInfo>;
}

/** The binding reads every external as text and re-types it: "true"/"false" become booleans, i64 text an integer. */
function bindingValue(name: string, value: MetaValue): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new FirebreakError('E_ENGINE', `the native engine cannot pass the non-integer external ${name}=${value}; use --engine wasm`);
    }
    return String(value);
  }
  if (/^(true|false)$/i.test(value) || (/^[+-]?[0-9]+$/.test(value) && fitsI64(value))) {
    throw new FirebreakError(
      'E_ENGINE',
      `the native engine would read the text external ${name}="${value}" as a ${/^[tf]/i.test(value) ? 'boolean' : 'number'}; use --engine wasm`,
    );
  }
  return value;
}

function fitsI64(text: string): boolean {
  const v = BigInt(text);
  return v >= -(2n ** 63n) && v < 2n ** 63n;
}

function bindingVars(externals: Record<string, MetaValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(externals)) out[k] = bindingValue(k, v);
  return out;
}

/** Packs sources into units in which every rule name is unique and global rules keep to their own file. */
function planUnits(outlined: readonly OutlinedSource[]): OutlinedSource[][] {
  const units: { members: OutlinedSource[]; names: Set<string>; global: boolean }[] = [];
  for (const o of outlined) {
    const global = o.rules.some((r) => r.isGlobal);
    const fits = (u: (typeof units)[number]): boolean =>
      !global && !u.global && o.rules.every((r) => !u.names.has(r.name));
    let unit = units.find(fits);
    if (!unit) {
      unit = { members: [], names: new Set(), global };
      units.push(unit);
    }
    unit.members.push(o);
    for (const r of o.rules) unit.names.add(r.name);
  }
  return units.map((u) => u.members);
}

function layout(members: readonly OutlinedSource[]): { text: string; parts: Part[] } {
  const parts: Part[] = [];
  const texts: string[] = [];
  let lineBase = 0;
  for (const o of members) {
    parts.push({ outlined: o, lineBase });
    texts.push(o.source.text);
    let lines = 1;
    for (let i = o.source.text.indexOf('\n'); i >= 0; i = o.source.text.indexOf('\n', i + 1)) lines++;
    lineBase += lines;
  }
  return { text: texts.join('\n'), parts };
}

/** The part a unit-level line falls in. */
function partAt(parts: readonly Part[], line: number | undefined): Part | undefined {
  if (line === undefined) return undefined;
  let found: Part | undefined;
  for (const p of parts) {
    if (p.lineBase < line) found = p;
    else break;
  }
  return found;
}

/**
 * A `duplicate_import` warning that only packing files into one unit caused: the file imports the module once,
 * and an earlier file of the unit imported it too.
 */
function importedEarlierInUnit(r: Report, part: Part): boolean {
  if (r.code !== 'duplicate_import' || r.line === undefined) return false;
  const lines = part.outlined.source.text.split('\n');
  const module = /import\s+"([^"]*)"/.exec(lines[r.line - part.lineBase - 1] ?? '')?.[1];
  if (module === undefined) return false;
  let count = 0;
  for (const l of lines) if (new RegExp(`^\\s*import\\s+"${module.replace(/[^\w]/g, '\\$&')}"`).test(l)) count++;
  return count === 1;
}

function reportsOf(e: unknown): Report[] {
  return parseReports(e instanceof Error ? e.message : String(e));
}

function ruleInfo(namespace: string, rule: RuleOutline): RuleInfo {
  return { namespace, meta: new Map(rule.meta) };
}

class NativeRuleSet implements RuleSet {
  readonly engine = 'yara-x-native' as const;

  constructor(
    readonly engineVersion: string,
    private units: Unit[],
    readonly sources: readonly RuleSource[],
    readonly ruleCount: number,
    readonly hash: string,
    readonly compileMs: number,
    readonly warnings: RuleDiagnostic[],
    readonly skipped: RuleDiagnostic[],
  ) {}

  scan(bytes: Uint8Array, externals?: Record<string, MetaValue>): YaraMatch[] {
    const vars = externals && Object.keys(externals).length > 0 ? bindingVars(externals) : undefined;
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: YaraMatch[] = [];
    for (const unit of this.units) {
      let found: BindingMatch[];
      try {
        found = vars ? unit.rules.scan(data, vars) : unit.rules.scan(data);
      } catch (e) {
        throw new FirebreakError('E_ENGINE', `yara-x scan failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      for (const m of found) out.push(toYaraMatch(m, unit.byName.get(m.ruleIdentifier)));
    }
    return out;
  }

  dispose(): void {
    this.units = [];
  }
}

function toYaraMatch(m: BindingMatch, info: RuleInfo | undefined): YaraMatch {
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
  for (const [k, v] of Object.entries(m.meta as Record<string, MetaValue>)) {
    meta[k] = v === 'unknown' && info?.meta.has(k) ? info.meta.get(k)! : v;
  }
  return { rule: m.ruleIdentifier, namespace: info?.namespace ?? m.namespace, tags: m.tags, meta, strings };
}

class NativeEngine implements YaraEngine {
  readonly name = 'yara-x-native' as const;
  constructor(
    private readonly binding: Binding,
    readonly version: string,
  ) {}

  compile(sources: RuleSource[], options: CompileOptions = {}): RuleSet {
    const start = performance.now();
    const opts: BindingCompilerOptions = {};
    if (options.externals && Object.keys(options.externals).length > 0) opts.defineVariables = bindingVars(options.externals);
    const warnings: RuleDiagnostic[] = [];
    const skipped: RuleDiagnostic[] = [];
    const units: Unit[] = [];
    const kept: OutlinedSource[] = [];
    for (const members of planUnits(outlineSources(sources))) {
      const unit = this.compileUnit(members, opts, options, warnings, skipped);
      if (!unit) continue;
      units.push(unit.unit);
      kept.push(...unit.members);
    }
    const keptSources = new Set(kept.map((o) => o.source));
    const compiled = sources.filter((s) => keptSources.has(s));
    return new NativeRuleSet(
      this.version,
      units,
      compiled,
      countRules(kept),
      ruleSetHash(this.name, this.version, compiled, options),
      elapsedMs(start),
      warnings,
      skipped,
    );
  }

  /**
   * Compiles one unit. A failing file is named by mapping the unit-level line back to it; under skipBadRules
   * every failing file is found at once with the binding's validate() and the rest compiled again.
   */
  private compileUnit(
    members: OutlinedSource[],
    opts: BindingCompilerOptions,
    options: CompileOptions,
    warnings: RuleDiagnostic[],
    skipped: RuleDiagnostic[],
  ): { unit: Unit; members: OutlinedSource[] } | undefined {
    let current = members;
    // Each retry drops at least one file, so this ends within members.length + 1 rounds.
    for (let round = 0; round <= members.length && current.length > 0; round++) {
      const { text, parts } = layout(current);
      let rules: YaraX;
      try {
        rules = this.binding.compile(text, opts);
      } catch (e) {
        const first = reportsOf(e)[0];
        const part = partAt(parts, first?.line);
        if (!first || !part) {
          throw new FirebreakError('E_RULE_SYNTAX', e instanceof Error ? e.message : String(e), {
            input: current[0]!.source.path,
            cause: e,
          });
        }
        if (!options.skipBadRules) throw syntaxError(toDiagnostic(first, part.outlined.source.path, part.lineBase), e);
        const bad = new Map<Part, RuleDiagnostic>();
        const all = this.binding.validate(text, opts).errors.flatMap((x) => parseReports(x.message));
        for (const r of [first, ...all]) {
          const p = partAt(parts, r.line);
          if (p && !bad.has(p)) bad.set(p, toDiagnostic(r, p.outlined.source.path, p.lineBase));
        }
        for (const d of bad.values()) skipped.push(d);
        current = parts.filter((p) => !bad.has(p)).map((p) => p.outlined);
        continue;
      }
      if (options.maxMatchesPerPattern !== undefined) rules.setMaxMatchesPerPattern(options.maxMatchesPerPattern);
      for (const w of rules.getWarnings()) {
        for (const r of parseReports(w.message)) {
          const p = partAt(parts, r.line);
          if (p && !importedEarlierInUnit(r, p)) warnings.push(toDiagnostic(r, p.outlined.source.path, p.lineBase));
        }
      }
      const byName = new Map<string, RuleInfo>();
      for (const o of current) for (const r of o.rules) byName.set(r.name, ruleInfo(o.source.namespace, r));
      return { unit: { rules, byName }, members: current };
    }
    return undefined;
  }
}

/** Loads the binding, or throws E_ENGINE_UNAVAILABLE saying why (it ships for linux-x64 glibc and macOS only). */
export function loadNativeEngine(): YaraEngine {
  const require = createRequire(import.meta.url);
  let binding: Binding;
  let version: string;
  try {
    binding = require('@litko/yara-x') as Binding;
    version = (require('@litko/yara-x/package.json') as { version: string }).version;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new FirebreakError(
      'E_ENGINE_UNAVAILABLE',
      `the native yara-x binding does not load on ${process.platform}-${process.arch} (it ships for linux-x64 glibc and macOS only): ${why}`,
      { cause: e },
    );
  }
  return new NativeEngine(binding, `@litko/yara-x ${version}`);
}
