// A per-user cache of parsed capability rules: capa's corpus is about a thousand YAML files, and parsing them is most
// of a triage's start-up. The parsed rules are stored with V8's serializer (it keeps the bigints, byte arrays and
// regexes of features as they are) under a key that hashes every rule file's path and text and the parser's own
// code, so an edited rule, a moved folder or a new parser never reads a stale entry.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { VERSION } from '../core/version.js';
import { loadRules, parseRuleFiles, readableSources, readRuleFiles, type LoadedRules, type ParsedRules, type RuleFileText, type RuleSource } from './load.js';

/** Bumped when the stored shape changes in a way the code fingerprint would not show. */
const CACHE_FORMAT = 1;
/** Cache files kept (one per distinct rule set: bundled rules alone, with capa's corpus...); older ones are removed. */
export const MAX_RULE_CACHE_FILES = 4;
const PREFIX = 'capability-rules-';
const SUFFIX = '.v8';

/** The modules whose code decides what a rule file parses to; their text is part of every key. */
const PARSER_MODULES = ['./parse.js', './rule.js', './com.js', './load.js', '../features/feature.js', '../core/pyregex.js'];

let parserFingerprint: string | undefined;

function fingerprint(): string {
  if (parserFingerprint !== undefined) return parserFingerprint;
  const h = createHash('sha256');
  for (const m of PARSER_MODULES) {
    try {
      h.update(readFileSync(new URL(m, import.meta.url)));
    } catch {
      h.update(`missing ${m}`); // a bundled build without separate modules: the tool version still keys it
    }
  }
  return (parserFingerprint = h.digest('hex'));
}

/** The key of a set of rule files: the parser's code, the tool version, and every file's source label, path and text. */
export function ruleFilesKey(files: readonly RuleFileText[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ format: CACHE_FORMAT, tool: VERSION, parser: fingerprint() }));
  for (const f of files) h.update(JSON.stringify([f.ruleSet, f.nursery, f.path, f.text.length])).update(f.text);
  return h.digest('hex');
}

function cacheFile(dir: string, key: string): string {
  return join(dir, `${PREFIX}${key.slice(0, 32)}${SUFFIX}`);
}

function readEntry(dir: string, key: string): ParsedRules | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile(dir, key));
  } catch {
    return undefined;
  }
  try {
    const v = deserialize(bytes) as { key?: unknown; parsed?: ParsedRules };
    if (v.key !== key || !v.parsed || !Array.isArray(v.parsed.rules) || !Array.isArray(v.parsed.failures)) return undefined;
    return v.parsed;
  } catch {
    return undefined; // a damaged entry is a miss; it is rewritten
  }
}

/** Writes an entry atomically and keeps the newest MAX_RULE_CACHE_FILES. A cache that cannot be written is no cache. */
function writeEntry(dir: string, key: string, parsed: ParsedRules): void {
  const file = cacheFile(dir, key);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, serialize({ key, parsed }));
    renameSync(tmp, file);
    // The entry just written stays; of the others, the newest MAX_RULE_CACHE_FILES - 1.
    const others = readdirSync(dir)
      .filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX) && join(dir, n) !== file)
      .map((n) => ({ path: join(dir, n), mtime: statSync(join(dir, n)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of others.slice(MAX_RULE_CACHE_FILES - 1)) rmSync(old.path, { force: true });
  } catch {
    rmSync(tmp, { force: true });
  }
}

export interface RuleCacheOptions {
  /** The folder of cache files (the per-user cache folder the sweep's cache lives in). */
  dir: string;
  /** The key when the caller knows it already (a sweep worker, from the main thread): the files are not read to hash them. */
  key?: string;
}

export interface CachedRules extends LoadedRules {
  /** The key of these rule files (ruleFilesKey). */
  key: string;
  /** The parse came from the cache. */
  fromCache: boolean;
}

/**
 * loadRules through the cache: rule files are read and hashed (or, with `key`, looked up directly), and only parsed
 * when no entry holds them; a fresh parse is stored.
 */
export function loadRulesCached(sources: RuleSource[], cache: RuleCacheOptions): CachedRules {
  if (cache.key) {
    const hit = readEntry(cache.dir, cache.key);
    if (hit) return { ...loadRules(sources, hit), key: cache.key, fromCache: true };
  }
  const files = readRuleFiles(readableSources(sources));
  const key = ruleFilesKey(files);
  const hit = key === cache.key ? undefined : readEntry(cache.dir, key);
  if (hit) return { ...loadRules(sources, hit), key, fromCache: true };
  const parsed = parseRuleFiles(files);
  writeEntry(cache.dir, key, parsed);
  return { ...loadRules(sources, parsed), key, fromCache: false };
}

/** The key of the sources' rule files as they are now (read and hashed, not parsed): a sweep's configuration names it. */
export function ruleSourcesKey(sources: RuleSource[]): string {
  return ruleFilesKey(readRuleFiles(readableSources(sources)));
}
