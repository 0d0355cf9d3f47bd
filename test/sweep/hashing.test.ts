// Hashes on demand: every sample a report shows carries all three correct hashes, whatever computed them (the
// worker, the IOC lists, the cache); a sample nothing shows is hashed only as far as the IOC lists and cache need.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hashes } from '../../src/core/findings.js';
import { type Analysis, emptyAnalysis } from '../../src/sweep/analysis.js';
import { HASH_NAMES, type HashName } from '../../src/sweep/hashes.js';
import { Pipeline } from '../../src/sweep/pipeline.js';
import { createIocSet } from '../../src/detect/ioc/set.js';
import { containerSources } from '../../src/sweep/sources/index.js';
import { IocContentStep } from '../../src/sweep/steps/iocs.js';
import type { ContentStep, SampleView } from '../../src/sweep/steps/types.js';
import { TEST_RULES, fixtureTree, parseNdjson, sweepCli, tempDir } from './helpers.js';
import { buildZip } from './zip-builder.js';

const ALPHA = 'FIREBREAK-TEST-ALPHA';

function hashesOf(bytes: Uint8Array): Hashes {
  const h = (a: string): string => createHash(a).update(bytes).digest('hex');
  return { md5: h('md5'), sha1: h('sha1'), sha256: h('sha256') };
}

type SampleRec = { type: string; sample: { path: string; md5?: string; sha1?: string; sha256?: string }; iocs: { type: string }[] };

function samples(stdout: string): SampleRec[] {
  return (parseNdjson(stdout).records as unknown as SampleRec[]).filter((r) => r.type === 'sample');
}

/** Asserts the record's three hashes are those of `bytes`. */
function assertHashes(r: SampleRec | undefined, bytes: Uint8Array, what: string): void {
  assert.ok(r, `${what} is reported`);
  const { md5, sha1, sha256 } = r.sample;
  assert.deepEqual({ md5, sha1, sha256 }, hashesOf(bytes), what);
}

const bySuffix = (recs: SampleRec[], suffix: string): SampleRec | undefined => recs.find((r) => r.sample.path.endsWith(suffix));

test('with --no-cache and no hash IOCs every reported file has its three correct hashes, in every format', async () => {
  const t = fixtureTree();
  try {
    const found = Buffer.from(`some bytes ${ALPHA} and more\n`);
    writeFileSync(join(t.dir, 'found.bin'), found);
    const r = await sweepCli(['--rules', TEST_RULES, '--format', 'ndjson', t.dir]);
    assert.equal(r.status, 1, r.stderr);
    const recs = samples(r.stdout);
    // alpha.txt, found.bin and wide.bin match a rule; clean.txt and note.md do not, and are not reported.
    assert.deepEqual(recs.map((x) => x.sample.path.slice(t.dir.length)).sort(), ['/alpha.txt', '/docs/wide.bin', '/found.bin']);
    for (const x of recs) assertHashes(x, readFileSync(x.sample.path), x.sample.path);

    const sarif = JSON.parse((await sweepCli(['--rules', TEST_RULES, '--format', 'sarif', t.dir])).stdout) as {
      runs: { artifacts: { location: { uri: string }; hashes: Record<string, string> }[] }[];
    };
    const artifacts = sarif.runs[0]!.artifacts;
    assert.equal(artifacts.length, 3);
    const want = hashesOf(found);
    const a = artifacts.find((x) => x.location.uri.endsWith('found.bin'))!;
    assert.deepEqual(a.hashes, { md5: want.md5, 'sha-1': want.sha1, 'sha-256': want.sha256 });

    const stix = JSON.parse((await sweepCli(['--rules', TEST_RULES, '--format', 'stix', t.dir])).stdout) as { objects: { type: string; name?: string; hashes?: Record<string, string> }[] };
    const file = stix.objects.find((o) => o.type === 'file' && o.name === 'found.bin')!;
    assert.deepEqual(file.hashes, { MD5: want.md5, 'SHA-1': want.sha1, 'SHA-256': want.sha256 });

    const text = (await sweepCli(['--rules', TEST_RULES, t.dir])).stdout;
    assert.match(text, new RegExp(`FOUND \\S+/found\\.bin\\n {4}size ${found.length} {2}sha256 ${want.sha256}\\n`));
  } finally {
    t.remove();
  }
});

test('--all reports every file with its three correct hashes', async () => {
  const t = fixtureTree();
  try {
    const r = await sweepCli(['--rules', TEST_RULES, '--format', 'ndjson', '--all', t.dir]);
    const recs = samples(r.stdout);
    assert.equal(recs.length, 4);
    for (const x of recs) assertHashes(x, readFileSync(x.sample.path), x.sample.path);
  } finally {
    t.remove();
  }
});

for (const type of HASH_NAMES) {
  test(`an IOC list of ${type} indicators alone still finds a file by its ${type}`, async () => {
    const t = fixtureTree();
    try {
      const clean = readFileSync(join(t.dir, 'clean.txt'));
      const iocs = join(t.dir, `${type}.txt`);
      writeFileSync(iocs, `${type}:${hashesOf(clean)[type]};80;planted ${type}\n${type}:${'0'.repeat(hashesOf(clean)[type].length)};80;matches nothing\n`);
      const r = await sweepCli(['--rules', TEST_RULES, '--iocs', iocs, '--format', 'ndjson', t.dir]);
      assert.equal(r.status, 1, r.stderr);
      const recs = samples(r.stdout);
      const hit = bySuffix(recs, '/clean.txt');
      assert.deepEqual(hit?.iocs.map((h) => h.type), [type]);
      assertHashes(hit, clean, 'the file its hash found');
      // The list itself is swept too (it matches nothing), and note.md is still not reported.
      assert.equal(bySuffix(recs, '/note.md'), undefined);
    } finally {
      t.remove();
    }
  });
}

/** The stamp table's rows: path and the hashes it keeps (null where the sweep did not compute one). */
async function stampRows(db: string): Promise<Map<string, { md5: string | null; sha1: string | null; sha256: string }>> {
  const { default: Sqlite } = await import('better-sqlite3');
  const conn = new Sqlite(db, { readonly: true });
  const rows = conn.prepare('SELECT path, md5, sha1, sha256 FROM stamps').all() as { path: Buffer; md5: string | null; sha1: string | null; sha256: string }[];
  conn.close();
  return new Map(rows.map((r) => [r.path.toString(), { md5: r.md5, sha1: r.sha1, sha256: r.sha256 }]));
}

test('with the cache a clean file keeps only its sha256; reported files keep all three; re-sweeps and --all report them right', async () => {
  const t = fixtureTree();
  const c = tempDir();
  try {
    // A stamp is only trusted for a file last changed RACY_WINDOW_NS (3 s) before it was read.
    await new Promise((r) => setTimeout(r, 3200));
    const db = join(c.dir, 'cache.sqlite');
    const args = ['--rules', TEST_RULES, '--cache', db, '--format', 'ndjson', t.dir];
    const first = await sweepCli(args);
    const shown = new Set(samples(first.stdout).map((x) => x.sample.path));
    const rows = await stampRows(db);
    assert.equal(rows.size, 4);
    for (const [path, row] of rows) {
      const want = hashesOf(readFileSync(path));
      assert.equal(row.sha256, want.sha256, path);
      // What a report shows keeps all three; a clean file only the key of its analyses (no hash IOCs here).
      assert.deepEqual([row.md5, row.sha1], shown.has(path) ? [want.md5, want.sha1] : [null, null], path);
    }
    assert.ok(shown.size > 0 && shown.size < 4);
    const second = await sweepCli(args);
    assert.equal(parseNdjson(second.stdout).summary.files.unchanged, 4);
    assert.deepEqual(samples(second.stdout), samples(first.stdout));
    for (const x of samples(second.stdout)) assertHashes(x, readFileSync(x.sample.path), x.sample.path);
    // --all shows the clean files too: their stamps lack md5 and sha1, so they are read again, not shown without.
    const all = await sweepCli([...args.slice(0, -1), '--all', t.dir]);
    assert.equal(samples(all.stdout).length, 4, all.stderr);
    for (const x of samples(all.stdout)) assertHashes(x, readFileSync(x.sample.path), x.sample.path);
    assert.doesNotMatch(all.stderr, /not reported/);
  } finally {
    t.remove();
    c.remove();
  }
});

test('a stamp left by a sweep without md5 IOCs does not stand in for one with them: the md5 IOC still hits', async () => {
  const t = fixtureTree();
  const c = tempDir();
  try {
    const clean = join(t.dir, 'clean.txt');
    const md5List = join(c.dir, 'md5.txt');
    writeFileSync(md5List, `md5:${hashesOf(readFileSync(clean)).md5};80;the clean file by md5\n`);
    await new Promise((r) => setTimeout(r, 3200));
    const db = join(c.dir, 'cache.sqlite');
    const withMd5 = ['--rules', TEST_RULES, '--iocs', md5List, '--cache', db, '--format', 'ndjson', t.dir];
    const first = await sweepCli(withMd5);
    assert.ok(bySuffix(samples(first.stdout), '/clean.txt')?.iocs.some((h) => h.type === 'md5'), 'the md5 IOC hits');
    // Change the stamp, not the bytes, and let a sweep without the list store a stamp holding sha256 alone.
    utimesSync(clean, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await new Promise((r) => setTimeout(r, 3200));
    await sweepCli(['--rules', TEST_RULES, '--cache', db, '--format', 'ndjson', t.dir]);
    const row = (await stampRows(db)).get(clean)!;
    assert.equal(row.md5, null, 'the second sweep stored sha256 alone');
    // The list's analysis is cached under its configuration, but the stamp cannot match its md5 IOC: read again.
    const third = await sweepCli(withMd5);
    const rec = bySuffix(samples(third.stdout), '/clean.txt');
    assert.ok(rec?.iocs.some((h) => h.type === 'md5'), 'the md5 IOC still hits');
    assertHashes(rec, readFileSync(clean), clean);
  } finally {
    t.remove();
    c.remove();
  }
});

test('a replayed finding whose stamp lost md5 and sha1 (another sweep stored it) is read again, not shown without them', async () => {
  const t = fixtureTree();
  const c = tempDir();
  try {
    const alpha = join(t.dir, 'alpha.txt');
    const nothing = join(c.dir, 'nothing.yar');
    writeFileSync(nothing, 'rule nothing { strings: $a = "no such text anywhere 8f3a" condition: $a }\n');
    await new Promise((r) => setTimeout(r, 3200));
    const db = join(c.dir, 'cache.sqlite');
    const args = ['--rules', TEST_RULES, '--cache', db, '--format', 'ndjson', t.dir];
    assertHashes(bySuffix(samples((await sweepCli(args)).stdout), '/alpha.txt'), readFileSync(alpha), 'first sweep');
    utimesSync(alpha, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await new Promise((r) => setTimeout(r, 3200));
    await sweepCli(['--rules', nothing, '--cache', db, '--format', 'ndjson', t.dir]);
    assert.equal((await stampRows(db)).get(alpha)!.md5, null, 'the other sweep stored sha256 alone');
    const again = await sweepCli(args);
    assertHashes(bySuffix(samples(again.stdout), '/alpha.txt'), readFileSync(alpha), 'the replayed finding');
    assert.doesNotMatch(again.stderr, /not reported/);
  } finally {
    t.remove();
    c.remove();
  }
});

test('archive members with findings carry their three correct hashes; clean members only with --all', async () => {
  const t = tempDir();
  try {
    const bad = Buffer.from(`member ${ALPHA}\n`);
    const clean = Buffer.from('a clean member\n');
    const inner = buildZip([{ name: 'deep.txt', data: bad }]);
    writeFileSync(join(t.dir, 'a.zip'), buildZip([{ name: 'bad.txt', data: bad }, { name: 'clean.txt', data: clean }, { name: 'inner.zip', data: inner }]));
    const recs = samples((await sweepCli(['--rules', TEST_RULES, '--format', 'ndjson', t.dir])).stdout);
    assert.deepEqual(recs.map((r) => r.sample.path.slice(t.dir.length)), ['/a.zip!bad.txt', '/a.zip!inner.zip!deep.txt']);
    assertHashes(recs[0], bad, 'a member with a finding');
    assertHashes(recs[1], bad, 'a nested member with a finding');
    const all = samples((await sweepCli(['--rules', TEST_RULES, '--format', 'ndjson', '--all', t.dir])).stdout);
    assertHashes(bySuffix(all, '!clean.txt'), clean, 'a clean member with --all');
    assertHashes(bySuffix(all, '/a.zip'), readFileSync(join(t.dir, 'a.zip')), 'the archive with --all');
  } finally {
    t.remove();
  }
});

/** A content step that finds something in samples whose bytes contain `marker`. */
function markerStep(marker: string): ContentStep {
  return {
    name: 'marker',
    run(sample: SampleView, into: Analysis) {
      if (Buffer.from(sample.bytes).includes(marker)) into.yara.push({ rule: 'marker', namespace: 'test', tags: [], meta: {}, strings: [] });
    },
  };
}

test('the pipeline hashes a sample without findings only as its policy says, and one with findings fully', async () => {
  const calls: HashName[] = [];
  const hasher = (name: HashName, bytes: Uint8Array): string => {
    calls.push(name);
    return createHash(name).update(bytes).digest('hex');
  };
  const budget = { bytesLeft: 1 << 20, entriesLeft: 100 };
  const run = async (every: HashName[], bytes: Buffer): Promise<{ hashes: Partial<Hashes>; analysis: Analysis }> => {
    const p = new Pipeline([markerStep(ALPHA)], containerSources({ maxSize: 1 << 20 }), undefined, { every, hasher });
    const lazy = p.lazyHashes(bytes);
    const view: SampleView = { display: 'x', bytes, hashes: lazy, depth: 0, otherHits: [] };
    const analysis = await p.analyse(view, budget);
    return { hashes: p.settleHashes(lazy, analysis, view.otherHits), analysis };
  };
  const clean = Buffer.from('nothing to see');
  const found = Buffer.from(`see ${ALPHA}`);

  assert.deepEqual((await run([], clean)).hashes, {});
  assert.deepEqual(calls, []);
  assert.deepEqual((await run(['md5'], clean)).hashes, { md5: hashesOf(clean).md5 });
  assert.deepEqual(calls, ['md5']);
  calls.length = 0;
  assert.deepEqual((await run([], found)).hashes, hashesOf(found));
  assert.deepEqual([...calls].sort(), ['md5', 'sha1', 'sha256']);

  // Members: the one with a finding gets all three, the clean one none.
  calls.length = 0;
  const zip = buildZip([{ name: 'bad.txt', data: found }, { name: 'clean.txt', data: clean }]);
  const { hashes, analysis } = await run([], zip);
  assert.deepEqual(hashes, {});
  const members = (analysis.members ?? []).map((m) => ('hashes' in m ? m.hashes : undefined));
  assert.deepEqual(members, [hashesOf(found), {}]);
  assert.equal(calls.length, 3);
});

test('a sample is hashed fully when it was skipped in part, had an error, or has path or hash IOC hits', async () => {
  const p = new Pipeline([], [], undefined, { every: [] });
  const bytes = Buffer.from('plain');
  const settle = (a: Analysis, otherHits: SampleView['otherHits'] = []): Partial<Hashes> => p.settleHashes(p.lazyHashes(bytes), a, otherHits);
  assert.deepEqual(settle(emptyAnalysis()), {});
  const errored = emptyAnalysis();
  errored.errors.push({ code: 'E_INTERNAL', message: 'x' });
  assert.deepEqual(settle(errored), hashesOf(bytes));
  const skipped = emptyAnalysis();
  skipped.skipped = { reason: 'archive-corrupt' };
  assert.deepEqual(settle(skipped), hashesOf(bytes));
  const pathHit = { type: 'filename' as const, indicator: 'x', list: 'l', score: 50, why: 'name' };
  assert.deepEqual(settle(emptyAnalysis(), [pathHit]), hashesOf(bytes));
});

test('the IOC step computes only the hash types its lists hold', async () => {
  const calls: HashName[] = [];
  const hasher = (name: HashName, bytes: Uint8Array): string => {
    calls.push(name);
    return createHash(name).update(bytes).digest('hex');
  };
  const bytes = Buffer.from('a sample');
  const sha1 = hashesOf(bytes).sha1;
  const iocs = createIocSet([{ name: 'l', format: 'firebreak', warnings: [], indicators: [{ type: 'sha1', value: sha1, score: 80, list: 'l', line: 1 }] }]);
  const p = new Pipeline([new IocContentStep(iocs)], [], undefined, { every: [...iocs.hashTypes], hasher });
  const view: SampleView = { display: 'x', bytes, hashes: p.lazyHashes(bytes), depth: 0, otherHits: [] };
  await p.analyse(view, { bytesLeft: 1 << 20, entriesLeft: 100 });
  assert.deepEqual(calls, ['sha1']);
  assert.deepEqual(view.otherHits.map((h) => h.indicator), [sha1]);
});
