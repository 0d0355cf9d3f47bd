// `firebreak similar` in-process: a family variant is found with evidence; an unrelated program is not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/cli.js';
import { refTlsh } from '../../test/similarity/reference.js';
import { SimilarityDb } from '../similarity/db.js';
import { FEATURES_VERSION } from '../similarity/features.js';
import { cliEnv } from '../../test/similarity/cli-env.js';

test('similar names the family with its score and evidence, exit 1 (found)', async () => {
  const env = cliEnv();
  const r = await runCli(['similar', env.byId('csvstat-v3-x64-O2').path, '--db', env.db, '--top', '3']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^family: csvstat v3 /m);
  assert.match(r.stdout, /rare function\(s\) in common/);
  assert.match(r.stdout, /fn [0-9a-f]{16} +\d+ insns {2}here 0x[0-9a-f]+ {2}there 0x[0-9a-f]+/);
  assert.match(r.stdout, /shares code with \(not its family\):\n {2}iniconf:/);
  assert.match(r.stdout, /^score = 1 - \(1 - max\(0\.95 code, 0\.85 strings\)\)/m);
});

test('similar --format json carries the verdict; an unrelated program gets none, exit 0', async () => {
  const env = cliEnv();
  const r = await runCli(['similar', env.byId('rpncalc-x64-O2').path, '--db', env.db, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { verdict: unknown; matches: { evidence: { score: number } }[] };
  assert.equal(doc.verdict, null);
  assert.ok(doc.matches.every((m) => m.evidence.score < 0.45));
});

test('similar rejects a bad --top with E_USAGE', async () => {
  const env = cliEnv();
  const r = await runCli(['similar', env.byId('rpncalc-x64-O2').path, '--db', env.db, '--top', 'many']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\[E_USAGE\]/);
});

test('similar refuses a database of another features version in one line naming it and both versions', async () => {
  const env = cliEnv();
  const path = join(env.dir, 'other-features.db');
  copyFileSync(env.db, path);
  const db = SimilarityDb.open(path);
  db.setMeta('features_version', String(FEATURES_VERSION + 1));
  db.close();
  const r = await runCli(['similar', env.byId('csvstat-v3-x64-O2').path, '--db', path]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, new RegExp(`other-features\\.db: features version ${FEATURES_VERSION + 1}, this build reads version ${FEATURES_VERSION} .*\\[E_DB\\]`));
});

test('similar prints TLSH in the T1 form; JSON carries both forms, tlsh equal to Debian tlsh -f', async () => {
  const env = cliEnv();
  const file = env.byId('csvstat-v3-x64-O2').path;
  const ref = refTlsh(file);
  assert.ok(ref);
  const text = await runCli(['similar', file, '--db', env.db, '--top', '1']);
  assert.match(text.stdout, new RegExp(`^  TLSH T1${ref} `, 'm'));
  const json = await runCli(['similar', file, '--db', env.db, '--top', '1', '--format', 'json']);
  const q = (JSON.parse(json.stdout) as { query: { tlsh: string; tlshT1: string } }).query;
  assert.equal(q.tlsh, ref);
  assert.equal(q.tlshT1, `T1${ref}`);
});

test('similar shows each section of the sample (name, size, MD5, entropy) in text and JSON, as pefile reads them', async () => {
  const env = cliEnv();
  const file = env.byId('csvstat-v3-x64-O2').path;
  // pefile, the reference: name, SizeOfRawData and MD5 of each section's raw data.
  const script = 'import pefile,sys\nfor s in pefile.PE(sys.argv[1]).sections: print(s.Name.rstrip(b"\\0").decode(), s.SizeOfRawData, s.get_hash_md5())';
  const ref = execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' '));
  const text = await runCli(['similar', file, '--db', env.db, '--top', '1']);
  const json = await runCli(['similar', file, '--db', env.db, '--top', '1', '--format', 'json']);
  const sections = (JSON.parse(json.stdout) as { query: { sections: { name: string; size: number; md5: string; entropy: number }[] } }).query.sections;
  assert.deepEqual(sections.map((x) => [x.name, String(x.size), x.md5]), ref);
  for (const [name, size, md5] of ref) {
    assert.match(text.stdout, new RegExp(`^  section ${name!.replace('.', '\\.')} +${size}  md5 ${md5}  entropy \\d\\.\\d\\d$`, 'm'));
  }
});

test('similar lists the nearest samples of an unrelated program anyway, marked below the listing threshold', async () => {
  const env = cliEnv();
  const file = env.byId('rpncalc-x64-O2').path;
  const json = await runCli(['similar', file, '--db', env.db, '--format', 'json']);
  const doc = JSON.parse(json.stdout) as { candidatesScored: number; listingThreshold: number; matches: { sample: { name: string }; evidence: { score: number }; belowListingThreshold: boolean }[] };
  assert.ok(doc.candidatesScored > 0);
  assert.equal(doc.matches.length, Math.min(10, doc.candidatesScored));
  for (const m of doc.matches) assert.equal(m.belowListingThreshold, m.evidence.score < doc.listingThreshold);
  const weak = doc.matches.find((m) => m.belowListingThreshold);
  assert.ok(weak, 'an unrelated program has a weak nearest sample');
  const text = await runCli(['similar', file, '--db', env.db]);
  assert.match(text.stdout, new RegExp(`^  1\\. \\d\\.\\d{3}  ${doc.matches[0]!.sample.name} .*\\(below ${doc.listingThreshold}: nearest, not evidence\\)$`, 'm'));
});
