// What both yara-x engines share: the rule-set hash, external values, and the outline of what was compiled.

import { createHash } from 'node:crypto';
import type { CompileOptions, EngineName, RuleSource } from '../engine.js';
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
