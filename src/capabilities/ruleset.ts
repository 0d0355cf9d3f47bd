// A checked, ordered set of rules: subscope blocks split into derived rules, dependencies resolved, topological order per scope.

import { namespacePrefixes } from '../features/featureset.js';
import { matchKey } from '../features/feature.js';
import type { Node, Rule, StaticScope } from './rule.js';
import { walk } from './rule.js';

export interface RuleFailure {
  /** Rule file path. */
  path: string;
  /** The rule's name when the file got far enough to declare one. */
  name?: string;
  reason: string;
  category: string;
  nursery: boolean;
  ruleSet: string;
}

/** Upper bound on rules in one set (capa has about 1,100): protects the dependency walk from a hostile folder. */
export const MAX_RULES = 20_000;

export class RuleSet {
  /** Every usable rule by name, derived subscope rules included. */
  readonly rules = new Map<string, Rule>();
  /** Rules that were dropped while building the set (missing dependencies, cycles, duplicates). */
  readonly failures: RuleFailure[] = [];
  /** Rules per static scope, dependencies before dependents. */
  readonly byScope: Record<StaticScope, Rule[]>;
  /** Topological position of every rule, for ordering candidates. */
  readonly order = new Map<string, number>();
  /** Number of rules given (before subscope extraction), as capa counts them. */
  readonly sourceRuleCount: number;

  constructor(input: Rule[]) {
    const seen = new Set<string>();
    const rules: Rule[] = [];
    for (const r of input.slice(0, MAX_RULES)) {
      if (seen.has(r.name)) {
        this.failures.push(fail(r, `duplicate rule name: ${r.name}`, 'duplicate'));
        continue;
      }
      seen.add(r.name);
      rules.push(r);
    }
    this.sourceRuleCount = rules.length;
    const all: Rule[] = [];
    for (const r of rules) all.push(...extractSubscopes(r));
    const live = new Map(all.map((r) => [r.name, r]));

    // Drop rules whose `match:` names neither a rule nor a namespace, until nothing changes (drops cascade).
    // A derived rule never stands alone: when one falls, its whole family (root rule and every derived rule) falls.
    const byName = new Map(all.map((r) => [r.name, r]));
    const rootOf = (r: Rule): Rule => {
      let cur = r;
      for (let i = 0; i < 64 && cur.parent; i++) cur = byName.get(cur.parent) ?? cur;
      return cur;
    };
    for (let round = 0; round < MAX_RULES; round++) {
      const namespaces = indexNamespaces(live.values());
      const roots = new Map<string, string>();
      for (const r of live.values()) {
        const missing = [...dependencyNames(r, namespaces)].find((d) => !live.has(d));
        if (missing !== undefined) roots.set(rootOf(r).name, missing);
      }
      if (roots.size === 0) break;
      for (const [root, missing] of roots) this.failures.push(fail(byName.get(root)!, `depends on missing rule "${missing}"`, 'dependency'));
      for (const r of [...live.values()]) if (roots.has(rootOf(r).name)) live.delete(r.name);
    }

    const ordered = this.topological(live);
    for (const r of ordered) this.rules.set(r.name, r);
    ordered.forEach((r, i) => this.order.set(r.name, i));
    this.byScope = { file: [], function: [], 'basic block': [], instruction: [] };
    for (const r of ordered) if (r.scopes.static) this.byScope[r.scopes.static].push(r);
  }

  get size(): number {
    return this.rules.size;
  }

  get(name: string): Rule | undefined {
    return this.rules.get(name);
  }

  /** Rules as given (not derived), in load order. */
  sourceRules(): Rule[] {
    return [...this.rules.values()].filter((r) => !r.parent);
  }

  private topological(live: Map<string, Rule>): Rule[] {
    const namespaces = indexNamespaces(live.values());
    const out: Rule[] = [];
    const state = new Map<string, 1 | 2>();
    const cyclic = new Set<string>();
    // Iterative DFS with an explicit stack: rule chains are short, but a hostile set must not overflow the JS stack.
    for (const start of live.values()) {
      if (state.has(start.name)) continue;
      const stack: { rule: Rule; deps: string[]; i: number }[] = [{ rule: start, deps: [...dependencyNames(start, namespaces)], i: 0 }];
      state.set(start.name, 1);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.i < top.deps.length) {
          const dep = top.deps[top.i++]!;
          const st = state.get(dep);
          if (st === 1) {
            cyclic.add(top.rule.name);
            continue;
          }
          if (st === 2) continue;
          const r = live.get(dep);
          if (!r) continue;
          state.set(dep, 1);
          stack.push({ rule: r, deps: [...dependencyNames(r, namespaces)], i: 0 });
          continue;
        }
        state.set(top.rule.name, 2);
        out.push(top.rule);
        stack.pop();
      }
    }
    if (cyclic.size === 0) return out;
    for (const name of cyclic) {
      const r = live.get(name)!;
      this.failures.push(fail(r, 'rule has a circular dependency', 'dependency'));
    }
    return out.filter((r) => !cyclic.has(r.name) && !(r.parent && cyclic.has(r.parent)));
  }
}

function fail(r: Rule, reason: string, category: string): RuleFailure {
  return { path: r.path, name: r.parent ?? r.name, reason, category, nursery: r.nursery, ruleSet: r.ruleSet };
}

/** Rules per namespace and every enclosing namespace (capa's index_rules_by_namespace). */
export function indexNamespaces(rules: Iterable<Rule>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rules) {
    for (const ns of namespacePrefixes(r.namespace)) {
      let l = out.get(ns);
      if (!l) out.set(ns, (l = []));
      l.push(r.name);
    }
  }
  return out;
}

/** Names of the rules a rule's `match:` features depend on; a namespace wins over a rule of the same name, as in capa. */
export function dependencyNames(rule: Rule, namespaces: Map<string, string[]>): Set<string> {
  const deps = new Set<string>();
  walk(rule.node, (n) => {
    if (n.kind === 'feature' && n.feature.type === 'match') {
      const ns = namespaces.get(n.feature.value);
      if (ns) for (const d of ns) deps.add(d);
      else deps.add(n.feature.value);
    }
  });
  return deps;
}

/** Splits a rule's subscope blocks into derived rules that the parent `match`es (capa's extract_subscope_rules). */
function extractSubscopes(rule: Rule): Rule[] {
  const derived: Rule[] = [];
  let counter = 0;
  const rewrite = (node: Node, owner: Rule, depth: number): Node => {
    if (depth > 64) return node;
    switch (node.kind) {
      case 'subscope': {
        const name = `${rule.name}/${node.scope}#${counter++}`;
        const child: Rule = {
          name,
          scopes: node.scope === 'function' || node.scope === 'basic block' || node.scope === 'instruction'
            ? { static: node.scope, dynamic: null }
            : { static: null, dynamic: node.scope },
          node: node.child,
          lib: true,
          attack: [],
          mbc: [],
          authors: [],
          references: [],
          path: rule.path,
          nursery: rule.nursery,
          parent: owner.name,
          ruleSet: rule.ruleSet,
        };
        child.node = rewrite(node.child, child, depth + 1);
        derived.push(child);
        const key = matchKey(name);
        return node.description === undefined
          ? { kind: 'feature', feature: { type: 'match', value: name }, key }
          : { kind: 'feature', feature: { type: 'match', value: name }, key, description: node.description };
      }
      case 'and':
      case 'or':
      case 'some':
        return { ...node, children: node.children.map((c) => rewrite(c, owner, depth + 1)) };
      case 'not':
        return { ...node, child: rewrite(node.child, owner, depth + 1) };
      default:
        return node;
    }
  };
  const top: Rule = { ...rule };
  top.node = rewrite(rule.node, top, 0);
  return [top, ...derived];
}
