// `sweep --db`: each PE's nearest family in a similarity database, combined with the pack's signature verdict (the
// signature wins, similarity evidence is added to its `why`, agreeing or not; alone, the similarity verdict is the
// family); non-PE files are skipped; a missing or broken database stops the run; the database's identity keys the cache.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FamilyVerdict } from '../../src/core/findings.js';
import { combineVerdicts, similarityVerdict } from '../../src/sweep/family.js';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { buildFixtures, fixtureSpecs, unseenBuildSpecs } from '../similarity/families.js';
import { parseNdjson, sweepCli, tempDir } from './helpers.js';

const BUNDLED_DB = join(PROJECT_ROOT, 'rules', 'similarity.db');
const FLAME_EXE = join(PROJECT_ROOT, 'examples', 'flame', 'Flame_Mutex_Format_Strings', 'flame-mutexes.exe');

type Record = { type: string; sample: { path: string }; family: FamilyVerdict | null };

function families(stdout: string): Map<string, FamilyVerdict | null> {
  const out = new Map<string, FamilyVerdict | null>();
  for (const r of parseNdjson(stdout).records as unknown as Record[]) if (r.type === 'sample') out.set(r.sample.path.split('/').pop()!, r.family);
  return out;
}

test('combineVerdicts: the signature verdict wins and gains the similarity evidence; alone, similarity is the family', () => {
  const signature: FamilyVerdict = { name: 'Flame', score: 90, summary: 'Flame, host of the miniFlame plugin', why: ['YARA x'] };
  const similar = similarityVerdict({ name: 'flame', score: 0.8125, summary: 'flame (nearest sample a.exe, score 0.8125)', why: ['3 rare function(s) in common'] })!;
  assert.equal(similar.score, 81);
  assert.deepEqual(similar.why, ['similarity: 3 rare function(s) in common']);
  assert.equal(combineVerdicts(null, null), null);
  assert.equal(combineVerdicts(signature, null), signature);
  assert.equal(combineVerdicts(null, similar), similar);
  assert.deepEqual(combineVerdicts(signature, similar)!.why, ['YARA x', 'similarity database agrees: flame (nearest sample a.exe, score 0.8125)']);
  const other = { ...similar, name: 'Gauss', summary: 'Gauss (nearest sample g.exe, score 0.9)' };
  const disagree = combineVerdicts(signature, other)!;
  assert.equal(disagree.name, 'Flame');
  assert.equal(disagree.score, 90);
  assert.deepEqual(disagree.why, ['YARA x', 'similarity database disagrees, its nearest family is Gauss (nearest sample g.exe, score 0.9)']);
});

test('with the bundled database, builds it never held get their family, unrelated programs and text files none', async () => {
  const t = tempDir('fb-sim-');
  try {
    const unseen = buildFixtures(unseenBuildSpecs());
    for (const u of unseen) copyFileSync(u.path, join(t.dir, `${u.id}.exe`));
    const [negative] = buildFixtures(fixtureSpecs().filter((s) => s.role === 'negative'));
    copyFileSync(negative!.path, join(t.dir, `${negative!.id}.exe`));
    writeFileSync(join(t.dir, 'notes.txt'), 'csvstat wordfreq iniconf sumtool\n');
    const r = await sweepCli(['--db', BUNDLED_DB, '--all', '--format', 'ndjson', t.dir]);
    assert.equal(r.status, 1, r.stderr);
    const got = families(r.stdout);
    for (const u of unseen) {
      const f = got.get(`${u.id}.exe`);
      assert.equal(f?.name, u.family, `${u.id}: ${f?.summary ?? 'no family'}`);
      assert.ok(Number.isInteger(f.score) && f.score >= 45 && f.score <= 100, `score ${f.score}`);
      assert.ok(f.why.length > 0 && f.why.every((w) => w.startsWith('similarity: ')), f.why.join(' | '));
    }
    assert.equal(got.get(`${negative!.id}.exe`), null);
    assert.equal(got.get('notes.txt'), null);
  } finally {
    t.remove();
  }
});

test('a signature verdict keeps its family and says whether the database agrees; the database keys the cache', async () => {
  const t = tempDir('fb-sim-');
  try {
    const tree = join(t.dir, 'tree');
    mkdirSync(tree);
    copyFileSync(FLAME_EXE, join(tree, 'flame-mutexes.exe'));
    const agree = join(t.dir, 'agree.db');
    const disagree = join(t.dir, 'disagree.db');
    for (const [path, family] of [[agree, 'Flame'], [disagree, 'Gauss']] as const) {
      const add = await runCli(['db', 'add', FLAME_EXE, '--family', family, '--db', path]);
      assert.equal(add.status, 0, add.stderr);
    }
    const cache = join(t.dir, 'cache.sqlite');
    const sweep = async (path: string) => {
      const r = await sweepCli(['--db', path, '--cache', cache, '--format', 'ndjson', tree]);
      assert.equal(r.status, 1, r.stderr);
      return { family: families(r.stdout).get('flame-mutexes.exe')!, fromCache: Number(parseNdjson(r.stdout).summary.files.fromCache) };
    };
    const a = await sweep(agree);
    assert.equal(a.family.name, 'Flame');
    assert.equal(a.family.score, 90);
    assert.match(a.family.why.at(-1)!, /^similarity database agrees: Flame \(nearest sample flame-mutexes\.exe, score 0\.\d+\)$/);
    assert.equal(a.fromCache, 0);
    const d = await sweep(disagree);
    assert.equal(d.family.name, 'Flame');
    assert.match(d.family.why.at(-1)!, /^similarity database disagrees, its nearest family is Gauss /);
    assert.equal(d.fromCache, 0, 'another database is another configuration');
    assert.deepEqual(await sweep(agree), { ...a, fromCache: 1 });
    // Adding to the database changes its identity: the cached analysis is not reused.
    const add = await runCli(['db', 'add', buildFixtures(unseenBuildSpecs().slice(0, 1))[0]!.path, '--family', 'wordfreq', '--db', agree]);
    assert.equal(add.status, 0, add.stderr);
    assert.equal((await sweep(agree)).fromCache, 0);
  } finally {
    t.remove();
  }
});

test('a missing or broken database is exit 2 with one line naming it, before any output', async () => {
  const t = tempDir('fb-sim-');
  try {
    const missing = await sweepCli(['--db', join(t.dir, 'none.db'), t.dir]);
    assert.equal(missing.status, 2);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /none\.db: no such similarity database \[E_INPUT_NOT_FOUND\]/);
    const broken = await sweepCli(['--db', FLAME_EXE, t.dir]);
    assert.equal(broken.status, 2);
    assert.equal(broken.stdout, '');
    assert.match(broken.stderr, /flame-mutexes\.exe: not a similarity database.*\[E_DB\]/);
  } finally {
    t.remove();
  }
});
