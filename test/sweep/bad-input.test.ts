// The bad inputs of issue 2: none may crash or hang the sweep; each is counted under its reason and the sweep goes on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildZip } from './zip-builder.js';
import { TEST_RULES, fixtureTree, parseNdjson, sweepCli, tempDir } from './helpers.js';
import { PROJECT_ROOT } from '../helpers/paths.js';

const ALPHA = Buffer.from('xx FIREBREAK-TEST-ALPHA xx');

type Rec = Record<string, unknown> & { type: string; path?: string; sample?: { path: string; size: number; sha256: string }; skipped?: { reason: string; detail?: string } | null; yara?: { rule: string }[]; errors?: { code: string }[] };

async function sweepAll(args: string[]): Promise<{ status: number; records: Rec[]; summary: ReturnType<typeof parseNdjson>['summary']; stderr: string }> {
  const r = await sweepCli(['--rules', TEST_RULES, '--format', 'ndjson', '--all', ...args]);
  assert.notEqual(r.status, 2, r.stderr);
  const { records, summary } = parseNdjson(r.stdout);
  return { status: r.status, records: records as Rec[], summary, stderr: r.stderr };
}

const pathOf = (r: Rec): string => (r.type === 'sample' ? r.sample!.path : r.path!);
const find = (records: Rec[], suffix: string): Rec => {
  const r = records.find((x) => pathOf(x).endsWith(suffix));
  assert.ok(r, `no record for ${suffix} in ${records.map(pathOf).join(', ')}`);
  return r;
};

test('0-byte files are scanned and hashed', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.dir, 'empty'), '');
    const { records, summary } = await sweepAll([t.dir]);
    const r = find(records, '/empty');
    assert.equal(r.sample!.size, 0);
    assert.equal(r.sample!.sha256, createHash('sha256').digest('hex'));
    assert.deepEqual(r.yara!.map((m) => m.rule), ['empty_file']);
    assert.equal(summary.files.scanned, 1);
  } finally {
    t.remove();
  }
});

test('files over --max-size are hashed, reported as skipped for size, and not scanned', async () => {
  const t = tempDir();
  try {
    const big = Buffer.concat([Buffer.alloc(3000, 0x41), ALPHA]);
    writeFileSync(join(t.dir, 'big.bin'), big);
    writeFileSync(join(t.dir, 'small.bin'), ALPHA);
    const { records, summary } = await sweepAll(['--max-size', '2K', t.dir]);
    const r = find(records, '/big.bin');
    assert.equal(r.skipped!.reason, 'too-large');
    assert.equal(r.sample!.sha256, createHash('sha256').update(big).digest('hex'));
    assert.equal(r.sample!.size, big.length);
    assert.deepEqual(r.yara, []);
    assert.deepEqual(find(records, '/small.bin').yara!.map((m) => m.rule), ['marker_alpha']);
    assert.deepEqual(summary.files.skipped, { 'too-large': 1 });
    assert.equal(summary.files.scanned, 1);
  } finally {
    t.remove();
  }
});

test('FIFOs and devices met in a folder are reported, never opened', async () => {
  const t = fixtureTree();
  try {
    execFileSync('mkfifo', [join(t.dir, 'pipe')]);
    symlinkSync('/dev/zero', join(t.dir, 'zero-link'));
    const { records, summary } = await sweepAll(['--follow-symlinks', t.dir]);
    assert.deepEqual(find(records, '/pipe').skipped, { reason: 'not-regular', detail: 'fifo' });
    assert.deepEqual(find(records, '/zero-link').skipped, { reason: 'not-regular', detail: 'char-device' });
    assert.equal(summary.files.skipped['not-regular'], 2);
    assert.equal(summary.files.scanned, 4);
  } finally {
    t.remove();
  }
});

test('a FIFO named on the command line is read as a stream', async () => {
  const t = tempDir();
  try {
    const fifo = join(t.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // The writer blocks until the sweep opens the FIFO, then writes and closes it.
    const writer = spawn('sh', ['-c', `sleep 0.2; printf 'FIREBREAK-TEST-ALPHA' > '${fifo}'`]);
    const exited = new Promise((r) => writer.on('exit', r));
    const { records } = await sweepAll([fifo]);
    await exited;
    const r = find(records, '/pipe');
    assert.equal(r.type, 'sample');
    assert.deepEqual(r.yara!.map((m) => m.rule), ['marker_alpha']);
  } finally {
    t.remove();
  }
});

test('symlinks are not followed by default, and a symlink loop ends when they are', async () => {
  const t = fixtureTree();
  try {
    mkdirSync(join(t.dir, 'a'));
    symlinkSync('..', join(t.dir, 'a', 'up'));
    symlinkSync('loop2', join(t.dir, 'loop1'));
    symlinkSync('loop1', join(t.dir, 'loop2'));
    const plain = await sweepAll([t.dir]);
    assert.equal(find(plain.records, '/a/up').skipped!.reason, 'symlink');
    assert.equal(plain.summary.files.skipped.symlink, 3);
    const followed = await sweepAll(['--follow-symlinks', t.dir]);
    assert.equal(find(followed.records, '/a/up').skipped!.reason, 'symlink-loop');
    assert.equal(find(followed.records, '/loop1').skipped!.reason, 'symlink-loop');
    // Every real file still swept exactly once.
    assert.equal(followed.summary.files.scanned, 4);
  } finally {
    t.remove();
  }
});

test('names that are not UTF-8 are read by their bytes and shown escaped', async () => {
  const t = tempDir();
  try {
    const raw = Buffer.concat([Buffer.from(t.dir + '/bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('\\name.bin')]);
    writeFileSync(raw, ALPHA);
    const { records, summary } = await sweepAll([t.dir]);
    const r = find(records, '/bad-\\xff\\xfe\\\\name.bin');
    assert.deepEqual(r.yara!.map((m) => m.rule), ['marker_alpha']);
    assert.equal(summary.files.scanned, 1);
  } finally {
    t.remove();
  }
});

test('unreadable files and folders are counted as unreadable (run as an unprivileged user when root)', async (ctx) => {
  const t = fixtureTree();
  try {
    writeFileSync(join(t.dir, 'secret.bin'), ALPHA);
    chmodSync(join(t.dir, 'secret.bin'), 0o000);
    mkdirSync(join(t.dir, 'locked'));
    writeFileSync(join(t.dir, 'locked', 'inside.txt'), ALPHA);
    chmodSync(join(t.dir, 'locked'), 0o000);
    chmodSync(t.dir, 0o755);
    const root = process.getuid?.() === 0;
    if (root) {
      // Root reads anything, so the sweep runs as `nobody`, in its own process, if nobody can read the project.
      const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js'))})`], { uid: 65534, gid: 65534 });
      if (probe.status !== 0) return ctx.skip('the user nobody cannot read this checkout, so it cannot stand in for an unprivileged user');
      const args = [join(PROJECT_ROOT, 'bin', 'firebreak.js'), 'sweep', '--no-progress', '--no-cache', '--rules', TEST_RULES, '--format', 'ndjson', '--all', t.dir];
      const r = spawnSync(process.execPath, args, { uid: 65534, gid: 65534, encoding: 'utf8', env: { ...process.env, HOME: t.dir } });
      if (r.error) return ctx.skip(`cannot run as nobody: ${r.error.message}`);
      assert.equal(r.status, 1, r.stderr);
      const { records, summary } = parseNdjson(r.stdout);
      assert.deepEqual(find(records as Rec[], '/secret.bin').skipped, { reason: 'unreadable', detail: 'EACCES' });
      assert.deepEqual(find(records as Rec[], '/locked').skipped, { reason: 'unreadable', detail: 'EACCES' });
      assert.equal(summary.files.skipped.unreadable, 2);
      assert.equal(summary.files.scanned, 4);
    } else {
      const { records, summary } = await sweepAll([t.dir]);
      assert.equal(find(records, '/secret.bin').skipped!.reason, 'unreadable');
      assert.equal(summary.files.skipped.unreadable, 2);
    }
  } finally {
    chmodSync(join(t.dir, 'locked'), 0o755);
    t.remove();
  }
});

test('corrupt, encrypted, bomb and too-deep archives are counted under their reasons; good members are scanned', async () => {
  const t = tempDir();
  try {
    const inner = (depth: number): Buffer => (depth === 0 ? ALPHA : buildZip([{ name: `level${depth}.zip`, data: inner(depth - 1) }]));
    writeFileSync(
      join(t.dir, 'mixed.zip'),
      buildZip([
        { name: 'ok/alpha.txt', data: ALPHA },
        { name: 'secret.txt', data: ALPHA, encrypted: true, method: 0 },
        { name: 'bomb.bin', data: Buffer.alloc(20 * 1024 * 1024) },
        { name: 'odd.bin', data: ALPHA, method: 14 },
        { name: 'badcrc.txt', data: ALPHA, crc: 0x1234 },
        { name: '../../escape.txt', data: ALPHA },
      ]),
    );
    writeFileSync(join(t.dir, 'corrupt.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 0x5a)]));
    writeFileSync(join(t.dir, 'deep.zip'), inner(6));
    const { records, summary, status } = await sweepAll([t.dir]);
    assert.equal(status, 1);
    const mixed = join(t.dir, 'mixed.zip');
    assert.deepEqual(find(records, `${mixed}!ok/alpha.txt`).yara!.map((m) => m.rule), ['marker_alpha']);
    const alphaMember = find(records, `${mixed}!ok/alpha.txt`);
    assert.deepEqual(alphaMember.source, { kind: 'archive-member', container: mixed, member: 'ok/alpha.txt', depth: 1 });
    assert.equal(find(records, `${mixed}!secret.txt`).skipped!.reason, 'archive-encrypted');
    assert.equal(find(records, `${mixed}!bomb.bin`).skipped!.reason, 'archive-bomb');
    assert.equal(find(records, `${mixed}!odd.bin`).skipped!.reason, 'archive-corrupt');
    const bad = find(records, `${mixed}!badcrc.txt`);
    assert.deepEqual(bad.yara!.map((m) => m.rule), ['marker_alpha']);
    assert.equal(bad.errors![0]!.code, 'E_INPUT_MALFORMED');
    assert.deepEqual(find(records, `${mixed}!../../escape.txt`).yara!.map((m) => m.rule), ['marker_alpha']);
    assert.equal(find(records, '/corrupt.zip').skipped!.reason, 'archive-corrupt');
    // Members nest to MAX_ARCHIVE_DEPTH (4); the zip at depth 4 is scanned as bytes but not opened.
    const deepest = records.filter((r) => pathOf(r).startsWith(join(t.dir, 'deep.zip')));
    assert.equal(deepest.length, 5);
    assert.equal(deepest[4]!.skipped!.reason, 'archive-depth');
    assert.equal(pathOf(deepest[4]!).split('!').length, 5);
    assert.deepEqual(summary.files.skipped, { 'archive-bomb': 1, 'archive-corrupt': 2, 'archive-depth': 1, 'archive-encrypted': 1 });
    assert.equal(summary.files.errors, 1);
  } finally {
    t.remove();
  }
});
