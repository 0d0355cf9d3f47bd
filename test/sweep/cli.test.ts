// `firebreak sweep` exit statuses and the one-line errors for bad rules, paths and flags.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { BROKEN_RULES, FIXTURES, TEST_RULES, fixtureTree, parseNdjson, sweepCli } from './helpers.js';

const tree = join(FIXTURES, 'tree');

function oneLine(stderr: string, ...patterns: RegExp[]): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  for (const p of patterns) assert.match(lines[0]!, p);
}

test('exit 1 when a rule matches, and the text report names file and rule', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, tree]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /FOUND .*alpha\.txt/);
  assert.match(r.stdout, /yara +test:marker_alpha \[test,planted\] +\$a@0x7,0x2d/);
  assert.match(r.stdout, /FOUND .*docs\/wide\.bin/);
  assert.doesNotMatch(r.stdout, /clean\.txt/);
  assert.match(r.stdout, /Summary: 4 found, 4 scanned \(0 from cache, 0 unchanged\), 2 with findings/);
});

test('exit 0 when nothing matches', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, join(tree, 'clean.txt'), join(tree, 'docs', 'note.md')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /0 with findings/);
});

test('exit 2 for a path that does not exist, naming it', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, tree, join(tree, 'no-such-thing')]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  oneLine(r.stderr, /no-such-thing/, /E_INPUT_NOT_FOUND/);
});

test('exit 2 for a rule file that does not compile, naming file and line, before any output', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, '--rules', BROKEN_RULES, '--format', 'ndjson', tree]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  oneLine(r.stderr, /broken\.yar:4/, /E_RULE_SYNTAX/);
});

test('--skip-bad-rules leaves the broken file out, warns, and sweeps with the rest', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, '--rules', BROKEN_RULES, '--skip-bad-rules', '--format', 'ndjson', tree]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /warning: rule file skipped: .*broken\.yar/);
  const { summary } = parseNdjson(r.stdout);
  assert.deepEqual((summary.rules as { skippedFiles: string[] }).skippedFiles, [BROKEN_RULES]);
  assert.equal((summary.rules as { count: number }).count, 3);
});

test('exit 2 for a rules path that does not exist', async () => {
  const r = await sweepCli(['--rules', join(FIXTURES, 'nope.yar'), tree]);
  assert.equal(r.status, 2);
  oneLine(r.stderr, /nope\.yar/, /E_RULE_IO/);
});

test('exit 2 with one line for each bad flag', async () => {
  const cases: [string[], RegExp][] = [
    [['--max-size', 'lots'], /--max-size 'lots' is not a size.*E_USAGE/],
    [['--jobs', '0'], /--jobs '0'.*E_USAGE/],
    [['--jobs', 'two'], /--jobs 'two'.*E_USAGE/],
    [['--format', 'xml'], /xml.*E_USAGE/],
    [['--engine', 'fast'], /fast.*E_USAGE/],
    [['--frobnicate'], /unknown option '--frobnicate'.*E_USAGE/],
  ];
  for (const [flags, pattern] of cases) {
    const r = await sweepCli(['--rules', TEST_RULES, ...flags, tree]);
    assert.equal(r.status, 2, `${flags.join(' ')}: ${r.stderr}`);
    oneLine(r.stderr, pattern);
  }
});

test('no path at all is a usage error', async () => {
  const r = await sweepCli(['--rules', TEST_RULES]);
  assert.equal(r.status, 2);
  oneLine(r.stderr, /E_USAGE/);
});

test('--output writes the report to a file and nothing to stdout', async () => {
  const t = fixtureTree();
  try {
    const out = join(t.dir, 'report.ndjson');
    const r = await sweepCli(['--rules', TEST_RULES, '--format', 'ndjson', '--output', out, tree]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const { records, summary } = parseNdjson(readFileSync(out, 'utf8'));
    assert.equal(records.length, 2);
    assert.equal(summary.type, 'summary');
  } finally {
    t.remove();
  }
});

test('on a terminal, the progress line is cleared before each finding, never left in front of it', async () => {
  // --capabilities makes each PE slow enough for the progress line to be drawn between findings.
  const r = await runCli(['sweep', '--no-cache', '--jobs', '1', '--capabilities', join(PROJECT_ROOT, 'examples')], { terminal: true, env: { NO_COLOR: '', CI: '' } });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /\r\x1b\[K\d+\/\d+\+? files, \d+ with findings/, 'the progress line was drawn');
  assert.doesNotMatch(r.terminal, /ETA [^\n\r]*FOUND/);
  for (const m of r.terminal.matchAll(/FOUND /g)) {
    const before = r.terminal.slice(Math.max(0, m.index - 4), m.index);
    assert.ok(before.endsWith('\n') || before.endsWith('\x1b[K') || m.index === 0, `FOUND after ${JSON.stringify(before)}`);
  }
});

test('exit 2, not "clean", when files were found and not one could be read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-unreadable-'));
  try {
    chmodSync(dir, 0o755);
    const file = join(dir, 'locked.txt');
    writeFileSync(file, 'x');
    chmodSync(file, 0);
    // Root reads any file, so as root the sweep runs as nobody (setpriv, util-linux).
    const argv = [process.execPath, join(PROJECT_ROOT, 'bin', 'firebreak.js'), 'sweep', '--no-cache', '--no-progress', '--rules', TEST_RULES, file];
    const asRoot = process.getuid?.() === 0;
    const cmd = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
    const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout, /SKIP {2}.*locked\.txt {2}unreadable \(EACCES\)/);
    oneLine(r.stderr, /locked\.txt: nothing could be read \(1 of 1 unreadable or failed\)/, /E_INPUT_UNREADABLE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a name that is not UTF-8, typed on the command line, is opened by its bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-bytes-'));
  try {
    // Node cannot pass such bytes to a child itself: the shell's printf makes the argument.
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/bad`), Buffer.from([0xff, 0xfe]), Buffer.from('name.txt')]), 'FIREBREAK-TEST-ALPHA');
    const script = `exec "$0" "$1" sweep --no-cache --no-progress --rules "$2" "$3/bad$(printf '\\377\\376')name.txt"`;
    const r = spawnSync('bash', ['-c', script, process.execPath, join(PROJECT_ROOT, 'bin', 'firebreak.js'), TEST_RULES, dir], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^FOUND .*\/bad\\xff\\xfename\.txt$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--output: a run that fails (exit 2) leaves the previous report as it was, and no partial file', async () => {
  const t = fixtureTree();
  try {
    const out = join(t.dir, 'report.json');
    writeFileSync(out, 'the previous report\n');
    const bad = await sweepCli(['--rules', BROKEN_RULES, '--format', 'json', '--output', out, tree]);
    assert.equal(bad.status, 2);
    const missing = await sweepCli(['--rules', TEST_RULES, '--format', 'json', '--output', out, join(t.dir, 'no-such-path')]);
    assert.equal(missing.status, 2);
    assert.equal(readFileSync(out, 'utf8'), 'the previous report\n');
    const good = await sweepCli(['--rules', TEST_RULES, '--format', 'json', '--output', out, tree]);
    assert.equal(good.status, 1);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { summary: { type: string } }).summary.type, 'summary');
    assert.deepEqual(readdirSync(t.dir).filter((n) => n.endsWith('.partial')), []);
  } finally {
    t.remove();
  }
});

test('--output to a folder that does not exist is exit 2 naming it', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, '--output', join(FIXTURES, 'no-dir', 'r.json'), tree]);
  assert.equal(r.status, 2);
  oneLine(r.stderr, /no-dir/, /E_OUTPUT/);
});

test('--exclude leaves out base names and paths, and counts them', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, '--format', 'ndjson', '--exclude', '*.txt', '--exclude', '**/docs/**', tree]);
  assert.equal(r.status, 0, r.stderr);
  const { summary } = parseNdjson(r.stdout);
  assert.deepEqual(summary.files.skipped, { excluded: 3 });
});

test('--engine wasm and --engine native report the same hits', async () => {
  const hits = async (engine: string): Promise<string[]> => {
    const r = await sweepCli(['--rules', TEST_RULES, '--engine', engine, '--format', 'ndjson', '--all', tree]);
    assert.ok(r.status === 1, r.stderr);
    return parseNdjson(r.stdout)
      .records.flatMap((x) => ((x.yara as { rule: string; strings: unknown }[] | undefined) ?? []).map((m) => `${(x.sample as { path: string }).path} ${m.rule} ${JSON.stringify(m.strings)}`))
      .sort();
  };
  const native = await hits('native');
  assert.ok(native.length >= 2);
  assert.deepEqual(await hits('wasm'), native);
});

test('--quiet keeps stderr empty even when rule files are skipped', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, '--rules', BROKEN_RULES, '--skip-bad-rules', '--quiet', tree]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, '');
});

test('--help lists every option of the issue by its exact name', async () => {
  const r = await runCli(['sweep', '--help']);
  assert.equal(r.status, 0);
  for (const o of ['--rules', '--iocs', '--exclude', '--max-size', '--jobs', '--format', '--output', '--all', '--no-progress', '--quiet', '--follow-symlinks', '--skip-bad-rules', '--no-cache', '--cache', '--engine']) {
    assert.match(r.stdout, new RegExp(`\\s${o}\\b`), o);
  }
});
