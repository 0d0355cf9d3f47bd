// The parsed-rule cache: a hit gives exactly the rules a fresh parse gives (bigints, byte strings, regexes and all),
// an edited rule file or a damaged entry is a miss, a known key skips reading the files, and old entries are pruned.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANCHORS_DIR, PROJECT_ROOT } from '../../test/helpers/paths.js';
import { loadRules, type RuleSource } from './load.js';
import { loadRulesCached, MAX_RULE_CACHE_FILES, ruleSourcesKey } from './rule-cache.js';

const BUNDLED: RuleSource = { path: join(PROJECT_ROOT, 'rules', 'capabilities'), ruleSet: 'firebreak' };
const CAPA: RuleSource = { path: join(ANCHORS_DIR, 'capa-rules'), ruleSet: 'capa', nursery: 'dependencies' };

function withDirs(fn: (cache: string, work: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'fb-rule-cache-'));
  try {
    fn(join(root, 'cache'), join(root, 'work'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const entries = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('capability-rules-')).sort();

test("a hit gives the very rules a fresh parse gives, for the bundled rules and capa's whole corpus", () => {
  withDirs((cache) => {
    const fresh = loadRules([BUNDLED, CAPA]);
    const first = loadRulesCached([BUNDLED, CAPA], { dir: cache });
    const second = loadRulesCached([BUNDLED, CAPA], { dir: cache });
    assert.equal(first.fromCache, false);
    assert.equal(second.fromCache, true);
    assert.equal(second.key, first.key);
    assert.ok(fresh.rules.rules.size > 900);
    // deepStrictEqual compares prototypes too: regexes stay RegExp, byte strings Uint8Array, numbers bigint.
    assert.deepStrictEqual(second.rules.rules, fresh.rules.rules);
    assert.deepStrictEqual(second.failures, fresh.failures);
    assert.equal(second.files, fresh.files);
    assert.equal(entries(cache).length, 1);
  });
});

test('an edited rule file is a miss under a new key; a damaged entry is a miss and is rewritten', () => {
  withDirs((cache, work) => {
    cpSync(BUNDLED.path, work, { recursive: true });
    const sources: RuleSource[] = [{ path: work, ruleSet: 'firebreak' }];
    const before = loadRulesCached(sources, { dir: cache });
    const file = join(work, 'collection', 'screen-capture', readdirSync(join(work, 'collection', 'screen-capture'))[0]!);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/name: (.*)/, 'name: $1 (edited)'));
    const after = loadRulesCached(sources, { dir: cache });
    assert.equal(after.fromCache, false);
    assert.notEqual(after.key, before.key);
    assert.ok([...after.rules.rules.values()].some((r) => r.name.endsWith('(edited)')));
    assert.equal(ruleSourcesKey(sources), after.key);

    for (const name of entries(cache)) writeFileSync(join(cache, name), 'not a cache entry');
    const damaged = loadRulesCached(sources, { dir: cache });
    assert.equal(damaged.fromCache, false);
    assert.deepStrictEqual(damaged.rules.rules, after.rules.rules);
    assert.equal(loadRulesCached(sources, { dir: cache }).fromCache, true);
  });
});

test('with a known key the rule files are not even read; at most MAX_RULE_CACHE_FILES entries are kept', () => {
  withDirs((cache, work) => {
    cpSync(BUNDLED.path, work, { recursive: true });
    const sources: RuleSource[] = [{ path: work, ruleSet: 'firebreak' }];
    const { key } = loadRulesCached(sources, { dir: cache });
    rmSync(work, { recursive: true });
    const hit = loadRulesCached(sources, { dir: cache, key });
    assert.equal(hit.fromCache, true);
    assert.ok(hit.rules.rules.size > 0);

    for (let i = 0; i <= MAX_RULE_CACHE_FILES; i++) {
      const dir = join(work, String(i));
      cpSync(BUNDLED.path, dir, { recursive: true });
      loadRulesCached([{ path: dir, ruleSet: 'firebreak' }], { dir: cache });
    }
    assert.equal(entries(cache).length, MAX_RULE_CACHE_FILES);
  });
});
