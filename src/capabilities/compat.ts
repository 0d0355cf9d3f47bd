// How much of capa's rule corpus this engine loads and can match, and the list of what it cannot, with reasons.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { readRules } from './load.js';
import type { Node, Rule } from './rule.js';
import { RuleSet, type RuleFailure } from './ruleset.js';

/** A rule that loads but cannot match any native (x86/x64) PE, because every way to match needs such features. */
export interface NeverMatches {
  name: string;
  path: string;
  reason: string;
}

export interface CompatReport {
  /** Non-nursery rule files. */
  files: number;
  /** Non-nursery rules whose static scope is not `unsupported`: the denominator. */
  staticRules: number;
  /** Of those, how many loaded. */
  loaded: number;
  /** loaded / staticRules, in percent. */
  percent: number;
  /** Non-nursery rules that did not load, with the reason. */
  failures: RuleFailure[];
  /** Nursery rules that did not load (not counted in the figure). */
  nurseryFailures: RuleFailure[];
  /** Non-nursery rules that load but can never match a native PE (.NET-only, FLIRT function names, other OSes). */
  neverMatch: NeverMatches[];
}

type Tri = 'yes' | 'no' | 'maybe';

/** Why a leaf can never be present in a native PE, or null when it can. */
function unavailable(n: Extract<Node, { kind: 'feature' }>): string | null {
  const f = n.feature;
  switch (f.type) {
    case 'class':
    case 'namespace':
    case 'property':
      return '.NET metadata features';
    case 'function-name':
      return 'library function names (FLIRT signatures)';
    case 'format':
      return f.value === 'pe' ? null : `format ${f.value}`;
    case 'os':
      return f.value === 'windows' || f.value === 'any' ? null : `os ${f.value}`;
    case 'arch':
      return f.value === 'i386' || f.value === 'amd64' || f.value === 'any' ? null : `arch ${f.value}`;
    case 'characteristic':
      return f.value === 'mixed mode' || f.value === 'unmanaged call' ? '.NET characteristics' : null;
    case 'api':
      return f.value.includes('::') ? '.NET API names' : null;
    default:
      return null;
  }
}

/**
 * Three-valued evaluation with every unavailable feature false and every other feature unknown: `no` means the rule
 * cannot match whatever the code holds. `match` of a rule that cannot match is itself `no`.
 */
function canMatch(n: Node, never: Map<string, string>, reasons: Set<string>, depth = 0): Tri {
  if (depth > 64) return 'maybe';
  switch (n.kind) {
    case 'feature': {
      const why = unavailable(n);
      if (why) {
        reasons.add(why);
        return 'no';
      }
      if (n.feature.type === 'match' && never.has(n.feature.value)) {
        for (const why of never.get(n.feature.value)!.split(', ')) reasons.add(why);
        return 'no';
      }
      return 'maybe';
    }
    case 'range': {
      const why = unavailable(n.child);
      if (why) {
        reasons.add(why);
        return n.min === 0 ? 'yes' : 'no';
      }
      return 'maybe';
    }
    case 'and': {
      const r = n.children.map((c) => canMatch(c, never, reasons, depth + 1));
      return r.includes('no') ? 'no' : r.every((x) => x === 'yes') ? 'yes' : 'maybe';
    }
    case 'or': {
      const r = n.children.map((c) => canMatch(c, never, reasons, depth + 1));
      return r.includes('yes') ? 'yes' : r.every((x) => x === 'no') ? 'no' : 'maybe';
    }
    case 'not': {
      const r = canMatch(n.child, never, new Set(), depth + 1);
      return r === 'no' ? 'yes' : r === 'yes' ? 'no' : 'maybe';
    }
    case 'some': {
      const r = n.children.map((c) => canMatch(c, never, reasons, depth + 1));
      const possible = r.filter((x) => x !== 'no').length;
      if (possible < n.count) return 'no';
      return r.filter((x) => x === 'yes').length >= n.count ? 'yes' : 'maybe';
    }
    case 'subscope':
      return 'maybe';
  }
}

function neverMatching(rules: RuleSet): NeverMatches[] {
  // Derived subscope rules first (dependencies before dependents, the set's order), then the rules that use them.
  const never = new Map<string, string>();
  const out: NeverMatches[] = [];
  for (const r of rules.rules.values()) {
    const reasons = new Set<string>();
    if (!r.scopes.static) {
      never.set(r.name, 'dynamic-analysis scopes only');
      continue;
    }
    if (canMatch(r.node, never, reasons) === 'no') {
      const reason = [...reasons].join(', ') || 'no way to match';
      never.set(r.name, reason);
      if (!r.parent && !r.nursery) out.push({ name: r.name, path: r.path, reason });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Loads the capa corpus at `dir` the way triage does and measures compatibility. */
export function capaCompatibility(dir: string): CompatReport {
  const read = readRules([{ path: dir, ruleSet: 'capa' }]);
  const set = new RuleSet(read.rules);
  const failures = [...read.failures, ...set.failures];
  const nonNursery = read.rules.filter((r: Rule) => !r.nursery);
  const failedNonNursery = failures.filter((f) => !f.nursery);
  const staticUnsupported = (path: string) => /^\s*static:\s*unsupported\b/m.test(readFileSync(path, 'utf8'));
  const loadedStatic = nonNursery.filter((r) => r.scopes.static !== null && !set.failures.some((f) => f.path === r.path)).length;
  const failedStatic = failedNonNursery.filter((f) => !staticUnsupported(f.path)).length;
  const staticRules = loadedStatic + failedStatic;
  return {
    files: nonNursery.length + read.failures.filter((f) => !f.nursery).length,
    staticRules,
    loaded: loadedStatic,
    percent: staticRules === 0 ? 100 : (100 * loadedStatic) / staticRules,
    failures: failedNonNursery.sort((a, b) => a.path.localeCompare(b.path)),
    nurseryFailures: failures.filter((f) => f.nursery).sort((a, b) => a.path.localeCompare(b.path)),
    neverMatch: neverMatching(set),
  };
}

/** docs/capa-compat.md: the figure, then every rule that does not load and every rule that cannot match, with why. */
export function renderCompatMarkdown(r: CompatReport, root: string): string {
  const rel = (p: string) => relative(root, p).split('\\').join('/');
  const lines = [
    '# capa rule compatibility',
    '',
    'Generated from the capa-rules corpus (../shared/anchors/capa-rules) by src/capabilities/compat.test.ts, which fails',
    'when this file and the corpus disagree; `UPDATE_GOLDEN=1 node scripts/run-tests.mjs capabilities/compat` rewrites it.',
    '',
    `- Non-nursery rules with a static scope: **${r.staticRules}**`,
    `- Loaded: **${r.loaded}** (**${r.percent.toFixed(1)} %**)`,
    `- Not loaded: ${r.failures.length} (nursery rules not loaded, not counted: ${r.nurseryFailures.length})`,
    `- Loaded but unable to match a native PE: ${r.neverMatch.length}`,
    '',
    '## Rules that do not load',
    '',
  ];
  const table = (rows: { name?: string; path: string; reason: string }[], last: string) => {
    if (rows.length === 0) return lines.push('None.', '');
    lines.push(`| rule | file | ${last} |`, '| --- | --- | --- |');
    for (const f of rows) lines.push(`| ${f.name ?? ''} | ${rel(f.path)} | ${f.reason.replace(/\|/g, '\\|')} |`);
    return lines.push('');
  };
  table(r.failures, 'reason');
  lines.push('## Nursery rules that do not load', '');
  table(r.nurseryFailures, 'reason');
  lines.push(
    '## Rules that load but cannot match a native PE',
    '',
    'Every way these rules can match needs a feature that x86/x64 code recovery never yields: .NET metadata, library',
    'function names from FLIRT signatures, or another OS, format or architecture. They load (and would match if a',
    'future backend yields those features); on native Windows PE files they stay silent.',
    '',
  );
  table(r.neverMatch, 'needs');
  return lines.join('\n');
}
