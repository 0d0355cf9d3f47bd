// The incremental re-sweep: a second sweep of an unchanged tree rescans nothing and still reports every finding;
// a changed file, a touched file and changed rules are each handled safely.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildZip } from './zip-builder.js';
import { TEST_RULES, fixtureTree, parseNdjson, sweepCli, tempDir } from './helpers.js';

/** The records without what changes from run to run, for comparing two sweeps. */
function stable(stdout: string): { records: string[]; files: Record<string, unknown> } {
  const { records, summary } = parseNdjson(stdout);
  return { records: records.map((r) => JSON.stringify(r)), files: summary.files };
}

function makeTree(): { dir: string; remove: () => void } {
  const t = fixtureTree();
  writeFileSync(join(t.dir, 'pack.zip'), buildZip([{ name: 'in/alpha.txt', data: Buffer.from('FIREBREAK-TEST-ALPHA') }]));
  return t;
}

test('a second sweep of an unchanged tree takes every analysis from the cache and reports the same findings', async () => {
  const t = makeTree();
  const c = tempDir();
  try {
    const db = join(c.dir, 'cache.sqlite');
    const args = ['--rules', TEST_RULES, '--cache', db, '--format', 'ndjson', '--all', t.dir];
    const first = await sweepCli(args);
    const second = await sweepCli(args);
    assert.equal(first.status, 1, first.stderr);
    assert.equal(second.status, 1, second.stderr);
    const a = stable(first.stdout);
    const b = stable(second.stdout);
    assert.deepEqual(b.records, a.records);
    assert.equal(a.files.fromCache, 0);
    // Every sample (the zip's member too) came from the cache: nothing was rescanned.
    assert.equal(b.files.scanned, 6);
    assert.equal(b.files.fromCache, 6);
    assert.equal(b.files.withFindings, a.files.withFindings);
  } finally {
    t.remove();
    c.remove();
  }
});

test('files older than the racy window are recognised by their stat stamp and not read again', async () => {
  const t = makeTree();
  const c = tempDir();
  try {
    // A stamp is only trusted for a file last changed RACY_WINDOW_NS (3 s) before it was read.
    await new Promise((r) => setTimeout(r, 3200));
    const db = join(c.dir, 'cache.sqlite');
    const args = ['--rules', TEST_RULES, '--cache', db, '--format', 'ndjson', '--all', t.dir];
    const a = stable((await sweepCli(args)).stdout);
    const b = stable((await sweepCli(args)).stdout);
    assert.equal(a.files.unchanged, 0);
    assert.equal(b.files.unchanged, 5);
    assert.deepEqual(b.records, a.records);
    // New rules: every file is scanned again, with the hashes its unchanged stamp already gave.
    const rules2 = join(c.dir, 'more.yar');
    writeFileSync(rules2, 'rule never_here { strings: $a = "no such marker anywhere" condition: $a }\n');
    const third = parseNdjson((await sweepCli(['--rules', TEST_RULES, '--rules', rules2, ...args.slice(2)])).stdout);
    assert.equal(third.summary.files.fromCache, 0);
    const sha = (records: Record<string, unknown>[]): string[] => records.map((r) => JSON.stringify(r.sample ?? r.path));
    assert.deepEqual(sha(third.records), sha(parseNdjson((await sweepCli(['--no-cache', ...args.slice(0, 2), ...args.slice(4)])).stdout).records));
  } finally {
    t.remove();
    c.remove();
  }
});

test('FIREBREAK_CACHE_DB names the cache when --cache does not', async () => {
  const t = makeTree();
  const c = tempDir();
  try {
    const env = { FIREBREAK_CACHE_DB: join(c.dir, 'env.sqlite') };
    const args = ['sweep', '--no-progress', '--rules', TEST_RULES, '--format', 'ndjson', t.dir];
    const { runCli } = await import('../helpers/cli.js');
    await runCli(args, { env });
    const second = stable((await runCli(args, { env })).stdout);
    assert.equal(second.files.fromCache, 6);
  } finally {
    t.remove();
    c.remove();
  }
});

test('a changed file is rescanned; a touched or copied file is re-hashed but found in the cache by content', async () => {
  const t = makeTree();
  const c = tempDir();
  try {
    const db = join(c.dir, 'cache.sqlite');
    const args = ['--rules', TEST_RULES, '--cache', db, '--format', 'ndjson', '--all', t.dir];
    await sweepCli(args);
    appendFileSync(join(t.dir, 'clean.txt'), 'FIREBREAK-TEST-ALPHA\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(t.dir, 'docs', 'note.md'), later, later);
    copyFileSync(join(t.dir, 'alpha.txt'), join(t.dir, 'alpha-copy.txt'));
    const r = await sweepCli(args);
    const { records, summary } = parseNdjson(r.stdout);
    const clean = records.find((x) => (x.sample as { path: string } | undefined)?.path.endsWith('/clean.txt'))!;
    assert.deepEqual((clean.yara as { rule: string }[]).map((m) => m.rule), ['marker_alpha']);
    assert.equal(summary.files.scanned, 7);
    // clean.txt changed: scanned afresh. note.md (touched) and alpha-copy.txt (new path, known content) are
    // read and hashed again but their analyses come from the cache.
    assert.equal(summary.files.fromCache, 6);
  } finally {
    t.remove();
    c.remove();
  }
});

test('changed rules invalidate every cached analysis', async () => {
  const t = makeTree();
  const c = tempDir();
  try {
    const db = join(c.dir, 'cache.sqlite');
    const rules2 = join(c.dir, 'more.yar');
    writeFileSync(rules2, 'rule note_md { strings: $a = "plain note" condition: $a }\n');
    await sweepCli(['--rules', TEST_RULES, '--cache', db, '--format', 'ndjson', t.dir]);
    const r = await sweepCli(['--rules', TEST_RULES, '--rules', rules2, '--cache', db, '--format', 'ndjson', t.dir]);
    const { records, summary } = parseNdjson(r.stdout);
    assert.equal(summary.files.fromCache, 0);
    assert.ok(records.some((x) => (x.yara as { rule: string }[]).some((m) => m.rule === 'note_md')));
  } finally {
    t.remove();
    c.remove();
  }
});

test('--no-cache neither reads nor writes the cache', async () => {
  const t = makeTree();
  const c = tempDir();
  try {
    const db = join(c.dir, 'cache.sqlite');
    const env = { FIREBREAK_CACHE_DB: db };
    const { runCli } = await import('../helpers/cli.js');
    await runCli(['sweep', '--no-progress', '--no-cache', '--rules', TEST_RULES, t.dir], { env });
    const { existsSync } = await import('node:fs');
    assert.equal(existsSync(db), false);
  } finally {
    t.remove();
    c.remove();
  }
});

test('a cache file that cannot be opened is a warning, not a failure', async () => {
  const t = makeTree();
  try {
    const r = await sweepCli(['--rules', TEST_RULES, '--cache', join(t.dir, 'alpha.txt', 'x.sqlite'), t.dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /warning: cache not used: .*E_DB/);
  } finally {
    t.remove();
  }
});
