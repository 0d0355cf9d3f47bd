// `firebreak db add|info` in-process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/cli.js';
import { cliEnv } from '../../test/similarity/cli-env.js';

test('db add stores each file once, with its family and variant; db info lists families', async () => {
  const env = cliEnv();
  const db = join(env.dir, 'added.db');
  const files = [env.byId('sumtool-v1-x86-O0').path, env.byId('sumtool-v2-x86-O2').path];
  const r = await runCli(['db', 'add', ...files, '--family', 'sumtool', '--variant', 'v1', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l.startsWith('added\t')));
  const again = await runCli(['db', 'add', files[0]!, '--db', db]);
  assert.ok(again.stdout.startsWith('exists\t'));
  const info = await runCli(['db', 'info', '--db', db]);
  assert.equal(info.status, 0);
  assert.match(info.stdout, /^samples: 2 /);
  assert.match(info.stdout, /sumtool\t2 samples\tvariants v1/);
});

test('db add on a missing file fails with one line naming it and exit 2', async () => {
  const env = cliEnv();
  const missing = join(env.dir, 'no-such-file.exe');
  const dbFile = join(env.dir, 'x.db');
  const r = await runCli(['db', 'add', missing, '--db', dbFile]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /no-such-file\.exe.*\[E_INPUT_NOT_FOUND\]/);
  assert.equal(existsSync(dbFile), false, 'a failed add leaves no database behind');
});

test('db add refuses an empty --family, --variant without --family and an empty folder (E_USAGE, no database created)', async () => {
  const env = cliEnv();
  const file = env.byId('sumtool-v1-x86-O0').path;
  const dbFile = join(env.dir, 'refused.db');
  const empty = mkdtempSync(join(env.dir, 'empty-'));
  for (const argv of [
    [file, '--family', ''],
    [file, '--variant', 'v1'],
    [empty, '--family', 'sumtool'],
  ]) {
    const r = await runCli(['db', 'add', ...argv, '--db', dbFile]);
    assert.equal(r.status, 2, argv.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /\[E_USAGE\]$/m);
    assert.equal(existsSync(dbFile), false);
  }
});

test('similar says a folder is a folder, given as the sample or as --db', async () => {
  const env = cliEnv();
  const folder = mkdtempSync(join(env.dir, 'folder-'));
  const asDb = await runCli(['similar', env.byId('sumtool-v1-x86-O0').path, '--db', folder]);
  assert.equal(asDb.status, 2);
  assert.match(asDb.stderr, /folder-\w+: is a folder, not a similarity database file \[E_DB\]/);
  const asFile = await runCli(['similar', folder, '--db', env.db]);
  assert.equal(asFile.status, 2);
  assert.match(asFile.stderr, /folder-\w+: is a folder, not a file \[E_INPUT_UNREADABLE\]/);
});

test('a database built without --common borrows the bundled baseline: negatives stay below the family threshold, cluster links no unrelated pair', async () => {
  const env = cliEnv();
  const db = join(env.dir, 'no-baseline.db');
  // As the usage reads: only `--family F --variant V`, never `--common`; one family, so rarity alone cannot help.
  for (const variant of ['v1', 'v2', 'v3']) {
    const files = env.fixtures.filter((f) => f.family === 'csvstat' && f.variant === variant).map((f) => f.path);
    const r = await runCli(['db', 'add', ...files, '--family', 'csvstat', '--variant', variant, '--db', db]);
    assert.equal(r.status, 0, r.stderr);
  }
  const info = await runCli(['db', 'info', '--db', db]);
  assert.match(info.stdout, /common \(baseline\): 0 /);
  for (const neg of env.fixtures.filter((f) => f.role === 'negative')) {
    const r = await runCli(['similar', neg.path, '--db', db, '--format', 'json']);
    assert.equal(r.status, 0, `${neg.id}: ${r.stdout.slice(0, 400)}`);
    assert.match(r.stderr, /^firebreak similar: .*no-baseline\.db has no runtime baseline .*bundled/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    const doc = JSON.parse(r.stdout) as { families: { family: string; score: number }[] };
    for (const f of doc.families) assert.ok(f.score < 0.45, `${neg.id} scores ${f.score} against ${f.family}`);
  }
  // sweep --db and triage --db borrow it too, and say so once.
  const neg = env.fixtures.find((f) => f.role === 'negative')!;
  const sweep = await runCli(['sweep', '--no-cache', '--no-progress', '--db', db, '--format', 'ndjson', '--all', neg.path]);
  assert.equal(sweep.status, 0, sweep.stderr);
  assert.match(sweep.stderr, /^firebreak sweep: warning: .*no-baseline\.db has no runtime baseline .*similarity\.db's$/m);
  assert.equal((JSON.parse(sweep.stdout.split('\n')[0]!) as { family: unknown }).family, null);
  const triage = await runCli(['triage', '--no-yara', '--no-cache', '--db', db, '--format', 'json', neg.path]);
  assert.equal(triage.status, 0, triage.stderr);
  assert.match(triage.stderr, /^firebreak triage: warning: .*no-baseline\.db has no runtime baseline/m);
  assert.equal((JSON.parse(triage.stdout) as { family: unknown }).family, null);
  const inputs = env.fixtures.filter((f) => f.role !== 'common');
  const truth = new Map(inputs.map((f) => [f.path, f.family]));
  const r = await runCli(['cluster', ...inputs.map((f) => f.path), '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { samples: { name: string }[]; edges: { a: number; b: number; kind: string; score: number }[] };
  const fam = (i: number): string => truth.get(doc.samples[i]!.name)!;
  for (const e of doc.edges) {
    const pair = [fam(e.a), fam(e.b)].sort().join('<->');
    if (e.kind === 'family') assert.equal(fam(e.a), fam(e.b), `family edge ${pair} at ${e.score}`);
    else assert.equal(pair, 'csvstat<->iniconf', `link ${pair} at ${e.score}`);
  }
});
