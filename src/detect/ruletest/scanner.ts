// Compiles a pack as one rule set and each rule alone, and scans bytes with them, timing each rule.

import type { MetaValue } from '../../core/findings.js';
import type { RuleSet, RuleSource, YaraEngine } from '../engine.js';
import { fileExternals } from './files.js';
import { packRules, type PackRule } from './pack.js';
import { standaloneRuleText } from './source.js';

/** The external variables signature-base-style rules use; declared only when a rule names one. */
const KNOWN_EXTERNALS = ['filename', 'filepath', 'extension', 'filetype', 'owner'] as const;

export interface RuleUnit {
  rule: PackRule;
  /** `namespace.rule`, the key rows and hits use. */
  key: string;
  set: RuleSet;
}

export interface PackScanner {
  rules: PackRule[];
  /** Every reportable (non-private) rule compiled alone, with what it depends on. */
  units: RuleUnit[];
  /** The whole pack as one set. */
  all: RuleSet;
  /** Keys (`namespace.rule`) of the rules that match `bytes`, from the whole set. */
  matches(bytes: Uint8Array, path: string): Set<string>;
  /**
   * Scans with one rule alone; returns whether it matched and the CPU milliseconds it took. CPU time, not wall
   * time: on a shared machine other processes' load would otherwise swamp the differences between rules.
   */
  timeUnit(unit: RuleUnit, bytes: Uint8Array, path: string): { matched: boolean; ms: number };
  dispose(): void;
}

/** CPU milliseconds (user and system) this process spent since `start`. */
export function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** Compile options declaring, as empty text, the signature-base externals the rules name (none when unused). */
export function externalsOptions(rules: readonly PackRule[]): { externals?: Record<string, MetaValue> } {
  const externals: Record<string, MetaValue> = {};
  for (const r of rules) {
    for (const id of r.block.identifiers) if ((KNOWN_EXTERNALS as readonly string[]).includes(id)) externals[id] = '';
  }
  return Object.keys(externals).length > 0 ? { externals } : {};
}

export function ruleKey(namespace: string, rule: string): string {
  return `${namespace}.${rule}`;
}

/** Compiles the pack (throws E_RULE_SYNTAX if a file does not compile) and every rule alone. */
export function createPackScanner(engine: YaraEngine, sources: RuleSource[]): PackScanner {
  const rules = packRules(sources);
  const compileOptions = externalsOptions(rules);
  const used = new Set(Object.keys(compileOptions.externals ?? {}));
  const all = engine.compile(sources, compileOptions);
  const units: RuleUnit[] = [];
  for (const r of rules) {
    if (r.block.isPrivate) continue;
    const text = standaloneRuleText(r.source.text, r.outline, r.block);
    const set = engine.compile([{ path: r.source.path, namespace: r.source.namespace, text }], compileOptions);
    units.push({ rule: r, key: ruleKey(r.source.namespace, r.block.name), set });
  }
  const scanExternals = (path: string): Record<string, MetaValue> | undefined => {
    if (used.size === 0) return undefined;
    const f = fileExternals(path);
    const out: Record<string, MetaValue> = {};
    for (const name of used) out[name] = name in f ? f[name as keyof typeof f] : '';
    return out;
  };
  return {
    rules,
    units,
    all,
    matches(bytes, path) {
      return new Set(all.scan(bytes, scanExternals(path)).map((m) => ruleKey(m.namespace, m.rule)));
    },
    timeUnit(unit, bytes, path) {
      const start = process.cpuUsage();
      const found = unit.set.scan(bytes, scanExternals(path));
      return { matched: found.some((m) => m.rule === unit.rule.block.name), ms: cpuMs(start) };
    },
    dispose() {
      all.dispose();
      for (const u of units) u.set.dispose();
    },
  };
}
