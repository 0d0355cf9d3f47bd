import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/cli.js';
import { writeTree } from '../../test/pack/tree.js';
import { ANCHORS_DIR } from '../../test/helpers/paths.js';

const META = `
    family = "Test"
    aliases = ""
    description = "d"
    reference = "r"
    confidence = "high"
    attack = "T1105"
    date = "2026-11-25"
    author = "Firebreak"`;


test('rules list shows the bundled families, rules with confidence, and IOC lists', async () => {
  const r = await runCli(['rules', 'list']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Families \(5\)/);
  assert.match(r.stdout, /miniFlame\s+SPE, John\s+-\s+4\.x; 5\.x\s+plugin-of Flame, plugin-of Gauss/);
  assert.match(r.stdout, /Rules \(28\)/);
  assert.match(r.stdout, /low\s+miniFlame\s+4\.x\s+MiniFlame_4x_Nla_ServiceDll_Trigger\s+rules\/yara\/miniflame\.yar:\d+/);
  assert.match(r.stdout, /IOC lists \(5\)/);
  const j = await runCli(['rules', 'list', '--format', 'json']);
  const listing = JSON.parse(j.stdout) as { families: unknown[]; rules: { family?: string; confidence?: string }[]; iocs: { indicators: number }[] };
  assert.equal(listing.families.length, 5);
  assert.equal(listing.rules.length, 28);
  for (const family of ['miniFlame', 'Flame', 'Gauss', 'Duqu', 'Stuxnet']) {
    const strong = listing.rules.filter((x) => x.family === family && (x.confidence === 'high' || x.confidence === 'medium'));
    assert.ok(strong.length >= 1, `${family} has a high- or medium-confidence rule`);
  }
  assert.ok(listing.iocs.every((l) => l.indicators > 0));
});

test('rules check passes the bundled pack with no warning, even under --strict', async () => {
  const r = await runCli(['rules', 'check', '--strict']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /5 rule files, 28 rules, 5 family files, 5 IOC lists: 0 errors, 0 warnings/);
});

test('rules check names file and line for syntax errors, meta, duplicates, slow patterns and bad IOC lines', async () => {
  const dir = writeTree({
    'yara/broken.yar': 'rule Broken {\n  condition:\n    $missing\n}\n',
    'yara/meta.yar': `rule NoMeta {\n  strings:\n    $a = "ab"\n  condition:\n    $a\n}\nrule Dup {\n  meta:${META}\n  condition: true\n}\n`,
    'yara/dup.yar': `rule Dup {\n  meta:${META}\n  condition: true\n}\n`,
    'iocs/list.txt': '# a list\nmd5:1234;50;too short\n',
  });
  try {
    const r = await runCli(['rules', 'check', dir], { cwd: dir });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^yara\/broken\.yar:3:\d+: error\[compile\]: E\d+: unknown pattern `\$missing`/m);
    assert.match(r.stdout, /^3 rule files, 4 rules, 0 family files, 1 IOC lists: \d+ errors, \d+ warnings?$/m);
    assert.match(r.stdout, /^yara\/meta\.yar:1: error\[meta-missing\]: rule NoMeta: missing meta 'family'/m);
    assert.match(r.stdout, /^yara\/meta\.yar:3: warning\[short-atom\]: rule NoMeta: \$a is 2 bytes long/m);
    assert.match(r.stdout, /^yara\/meta\.yar:7: error\[duplicate-rule\]: rule Dup is also declared at .*dup\.yar:1/m);
    assert.match(r.stdout, /^iocs\/list\.txt:2: error\[ioc-syntax\]: .*not a md5/m);
    const relaxed = await runCli(['rules', 'check', join(dir, 'yara', 'meta.yar'), '--require-meta', ''], { cwd: dir });
    assert.equal(relaxed.status, 0, relaxed.stdout);
    assert.match(relaxed.stdout, /^yara\/meta\.yar:\d+:\d+: warning\[invariant_expr\]: invariant boolean expression/m);
    assert.match(relaxed.stdout, /0 errors, 2 warnings/);
    const strict = await runCli(['rules', 'check', join(dir, 'yara', 'meta.yar'), '--require-meta', '', '--strict'], { cwd: dir });
    assert.equal(strict.status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules check on a missing path and a bad format exit 2 with one line naming the code', async () => {
  const r = await runCli(['rules', 'check', '/nonexistent/firebreak-rules']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /\/nonexistent\/firebreak-rules: no such rule file or folder \[E_RULE_IO\]/);
  const f = await runCli(['rules', 'list', '--format', 'xml']);
  assert.equal(f.status, 2);
  assert.match(f.stderr, /unknown format 'xml'.*\[E_USAGE\]/);
});

test('rules test on a user pack: positives from folders named after rules, clean corpora, PASS and FAIL', async () => {
  const rule = `rule Marker {\n  meta:${META}\n  strings:\n    $m = "FIREBREAK-TEST-MARKER" ascii\n  condition:\n    $m\n}\n`;
  const dir = writeTree({
    'pack/yara/test.yar': rule,
    'pack/fixtures/group/Marker/one.bin': 'xx FIREBREAK-TEST-MARKER xx',
    'pack/fixtures/group/Marker/nested/two.bin': 'FIREBREAK-TEST-MARKER',
    'clean/a.txt': 'nothing here',
  });
  try {
    const pass = await runCli(['rules', 'test', 'pack', '--clean', 'clean', '--format', 'json'], { cwd: dir });
    assert.equal(pass.status, 0, pass.stdout + pass.stderr);
    const result = JSON.parse(pass.stdout) as { ok: boolean; rules: { rule: string; positives: number; positiveHits: number; cleanHits: number }[]; clean: { files: number } };
    assert.deepEqual(result.rules.map((x) => [x.rule, x.positives, x.positiveHits, x.cleanHits]), [['Marker', 2, 2, 0]]);
    assert.equal(result.clean.files, 1);
    writeFileSync(join(dir, 'clean', 'b.txt'), 'FIREBREAK-TEST-MARKER');
    writeFileSync(join(dir, 'pack', 'fixtures', 'group', 'Marker', 'miss.bin'), 'nothing');
    const fail = await runCli(['rules', 'test', 'pack', '--clean', 'clean'], { cwd: dir });
    assert.equal(fail.status, 1);
    assert.match(fail.stdout, /^Marker\s+high\s+2\/3\s+1\s+[\d.]+ ms$/m);
    assert.match(fail.stdout, /Marker: missed positive pack\/fixtures\/group\/Marker\/miss\.bin/);
    assert.match(fail.stdout, /Marker: hit clean file .*clean\/b\.txt/);
    assert.match(fail.stdout, /FAIL\n$/);
    const excluded = await runCli(['rules', 'test', 'pack', '--clean', 'clean', '--exclude', '**/b.txt', '--fixtures', 'pack/fixtures/group/Marker/nested/..'], { cwd: dir });
    assert.match(excluded.stdout, /0 clean hits over 1 files/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules test fails a rule with no positive fixtures and says where they belong', async () => {
  const dir = writeTree({ 'r.yar': `rule Lonely {\n  meta:${META}\n  strings:\n    $m = "LONELY-MARKER"\n  condition:\n    $m\n}\n` });
  try {
    const r = await runCli(['rules', 'test', join(dir, 'r.yar')]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /Lonely: no positive fixtures \(a folder named Lonely under the fixtures folder\)/);
    assert.match(r.stderr, /no clean corpus/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules profile needs --corpus, and lists rules slowest first with their hits', async () => {
  const usage = await runCli(['rules', 'profile', 'rules']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--corpus/);
  const dir = writeTree({
    'p/a.yar': 'rule Fast { strings: $a = "FASTMARKER" condition: $a }\nrule Slow { strings: $r = /[a-z]{2,}[0-9]{2,}x/ condition: $r }\n',
    'c/1.txt': 'FASTMARKER and some text ab12x',
    'c/2.txt': 'nothing',
  });
  try {
    const r = await runCli(['rules', 'profile', 'p', '--corpus', 'c', '--format', 'json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const p = JSON.parse(r.stdout) as { rows: { rule: string; ms: number; hits: number }[]; files: number };
    assert.equal(p.files, 2);
    assert.deepEqual(p.rows.map((x) => [x.rule, x.hits]).sort(), [['Fast', 1], ['Slow', 1]]);
    for (let i = 1; i < p.rows.length; i++) assert.ok(p.rows[i - 1]!.ms >= p.rows[i]!.ms);
    const text = await runCli(['rules', 'profile', 'p', '--corpus', 'c', '--top', '1'], { cwd: dir });
    assert.equal(text.stdout.split('\n').filter((l) => /^(Fast|Slow)\s/.test(l)).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules check and list work on a pack of another convention: signature-base compiles, every rule is listed', async () => {
  const sigbase = join(ANCHORS_DIR, 'signature-base');
  const r = await runCli(['rules', 'check', sigbase, '--require-meta', '']);
  assert.doesNotMatch(r.stdout, /error\[compile\]/);
  assert.doesNotMatch(r.stdout, /error\[meta-/);
  assert.match(r.stdout, /^741 rule files, 5883 rules, 0 family files, 5 IOC lists: \d+ errors?, \d+ warnings$/m);
  assert.match(r.stdout, /warning\[short-atom\]/);
  const l = await runCli(['rules', 'list', join(sigbase, 'yara'), '--format', 'json']);
  assert.equal(l.status, 0, l.stderr);
  assert.equal((JSON.parse(l.stdout) as { rules: unknown[] }).rules.length, 5883);
});
