// Reads capa-format rule folders from disk into a RuleSet, collecting every rule that does not load with its reason.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FirebreakError } from '../core/errors.js';
import { failedRuleName, parseRule, RuleLoadError } from './parse.js';
import type { Rule } from './rule.js';
import { MAX_RULES, RuleSet, dependencyNames, indexNamespaces, type RuleFailure } from './ruleset.js';

/** Deepest folder nesting searched for rules (capa's is 5). */
export const MAX_RULE_DIR_DEPTH = 16;

export interface RuleSource {
  /** A folder (searched recursively for .yml/.yaml) or a single rule file. */
  path: string;
  /** Label carried by each rule and shown in results: `firebreak` or `capa`. */
  ruleSet: string;
  /**
   * Rules under a `nursery` folder: loaded (`true`, the default, as capa does), left out (`false`), or loaded only
   * when a non-nursery rule depends on them (`'dependencies'`).
   */
  nursery?: boolean | 'dependencies';
}

export interface LoadedRules {
  rules: RuleSet;
  /** Rules that did not load: parse errors and dropped dependencies. */
  failures: RuleFailure[];
  /** Rule files read (nursery included when asked). */
  files: number;
}

function listRuleFiles(root: string): string[] {
  const st = statSync(root, { throwIfNoEntry: false });
  if (!st) throw new FirebreakError('E_INPUT_NOT_FOUND', 'rule path does not exist', { input: root });
  if (st.isFile()) return [root];
  const out: string[] = [];
  const walkDir = (dir: string, depth: number) => {
    if (depth > MAX_RULE_DIR_DEPTH || out.length >= MAX_RULES) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw new FirebreakError('E_RULE_IO', 'cannot read rule folder', { input: dir, cause: e });
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const s = statSync(p, { throwIfNoEntry: false });
      if (!s) continue;
      if (s.isDirectory()) walkDir(p, depth + 1);
      else if (s.isFile() && (name.endsWith('.yml') || name.endsWith('.yaml'))) out.push(p);
    }
  };
  walkDir(root, 0);
  return out;
}

function isNurseryPath(root: string, path: string): boolean {
  return relative(root, path).split(sep).includes('nursery');
}

/** One rule file's text and where it came from. */
export interface RuleFileText {
  path: string;
  text: string;
  nursery: boolean;
  ruleSet: string;
}

/** Rules as parsed from their files, before they are checked and ordered into a RuleSet (what the rule cache keeps). */
export interface ParsedRules {
  rules: Rule[];
  failures: RuleFailure[];
  /** Rule files read. */
  files: number;
}

/** Lists and reads every rule file of the sources, in a stable order (nursery files left out when a source says so). */
export function readRuleFiles(sources: RuleSource[]): RuleFileText[] {
  const out: RuleFileText[] = [];
  for (const src of sources) {
    for (const path of listRuleFiles(src.path)) {
      const nursery = isNurseryPath(src.path, path);
      if (nursery && src.nursery === false) continue;
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        throw new FirebreakError('E_RULE_IO', 'cannot read rule file', { input: path, cause: e });
      }
      out.push({ path, text, nursery, ruleSet: src.ruleSet });
    }
  }
  return out;
}

/** Parses rule files; a file that does not parse is a failure record, never an exception. */
export function parseRuleFiles(files: RuleFileText[]): ParsedRules {
  const rules: Rule[] = [];
  const failures: RuleFailure[] = [];
  for (const f of files) {
    try {
      rules.push(parseRule(f.text, f.path, { nursery: f.nursery, ruleSet: f.ruleSet }));
    } catch (e) {
      if (!(e instanceof RuleLoadError)) throw e;
      const name = failedRuleName(e);
      failures.push({ path: f.path, ...(name ? { name } : {}), reason: e.message, category: e.category, nursery: f.nursery, ruleSet: f.ruleSet });
    }
  }
  return { rules, failures, files: files.length };
}

/** Parses every rule file of the sources; a file that does not parse is a failure record, never an exception. */
export function readRules(sources: RuleSource[]): ParsedRules {
  return parseRuleFiles(readRuleFiles(sources));
}

/**
 * The sources as they are read: a source that loads nursery rules only as dependencies reads them all, and
 * loadRules drops the ones nothing needs.
 */
export function readableSources(sources: RuleSource[]): RuleSource[] {
  return sources.map((s) => (s.nursery === 'dependencies' ? { ...s, nursery: true } : s));
}

/** Nursery rules that non-nursery rules need (directly or through other rules), by name. */
function neededNursery(rules: Rule[]): Set<string> {
  const byName = new Map(rules.map((r) => [r.name, r]));
  const namespaces = indexNamespaces(rules);
  const needed = new Set<string>();
  const stack = rules.filter((r) => !r.nursery);
  for (let guard = 0; stack.length > 0 && guard < MAX_RULES * 4; guard++) {
    const r = stack.pop()!;
    for (const d of dependencyNames(r, namespaces)) {
      const dep = byName.get(d);
      if (!dep || !dep.nursery || needed.has(d)) continue;
      needed.add(d);
      stack.push(dep);
    }
  }
  return needed;
}

/**
 * Reads, checks and orders the rules of every source into one RuleSet. `parsed` is what readRules would return for
 * readableSources(sources), when the caller has it already (from the rule cache).
 */
export function loadRules(sources: RuleSource[], parsed?: ParsedRules): LoadedRules {
  const read = parsed ?? readRules(readableSources(sources));
  let rules = read.rules;
  let failures = read.failures;
  const depsOnly = new Set(sources.filter((s) => s.nursery === 'dependencies').map((s) => s.ruleSet));
  if (depsOnly.size > 0) {
    const needed = neededNursery(rules);
    rules = rules.filter((r) => !r.nursery || !depsOnly.has(r.ruleSet) || needed.has(r.name));
    failures = failures.filter((f) => !f.nursery || !depsOnly.has(f.ruleSet));
  }
  const set = new RuleSet(rules);
  return { rules: set, failures: [...failures, ...set.failures], files: read.files };
}
