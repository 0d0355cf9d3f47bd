// sweep() and its parts without the CLI: files that vanish between walk and read, streams that never end, the
// shared archive budget.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { sweep } from '../../src/sweep/index.js';
import type { SweepRecord } from '../../src/report/schema.js';
import type { RootSource, WalkEvent } from '../../src/sweep/sources/types.js';
import { ZipSource } from '../../src/sweep/sources/zip.js';
import { readSpecial } from '../../src/sweep/special.js';
import { buildZip } from './zip-builder.js';
import { TEST_RULES, tempDir } from './helpers.js';

const ALPHA = Buffer.from('xx FIREBREAK-TEST-ALPHA xx');

test('a file that vanishes between the walk and its read is counted as vanished, and the sweep goes on', async () => {
  const t = tempDir();
  try {
    const kept = join(t.dir, 'kept.txt');
    writeFileSync(kept, ALPHA);
    const stamp = { dev: 1n, ino: 1n, size: 10n, mtimeNs: 0n, ctimeNs: 0n };
    const events: WalkEvent[] = [
      { kind: 'file', path: join(t.dir, 'gone.txt'), display: 'gone.txt', size: 10, stamp },
      { kind: 'file', path: kept, display: 'kept.txt', size: ALPHA.length, stamp },
    ];
    const rootSource: RootSource = {
      async *walk() {
        yield* events;
      },
    };
    const records: SweepRecord[] = [];
    const summary = await sweep({ paths: [t.dir], rules: [TEST_RULES], rootSource, jobs: 1, onRecord: (r) => void records.push(r) });
    assert.deepEqual(records[0], { type: 'skip', schemaVersion: 1, path: 'gone.txt', source: { kind: 'file' }, skipped: { reason: 'vanished', detail: 'ENOENT' }, errors: [] });
    assert.equal(records[1]!.type, 'sample');
    assert.deepEqual(summary.files.skipped, { vanished: 1 });
    assert.equal(summary.files.withFindings, 1);
  } finally {
    t.remove();
  }
});

test('a device named on the command line that never ends is cut at --max-size, unhashed', async () => {
  const r = await readSpecial('/dev/zero', 'char-device', 4 * 1024 * 1024);
  assert.equal(r.kind, 'unread');
  assert.equal(r.kind === 'unread' && r.skipped?.reason, 'too-large');
});

test('a FIFO nobody writes to is given up after its time budget', async () => {
  const t = tempDir();
  try {
    const { execFileSync, spawn } = await import('node:child_process');
    const fifo = join(t.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // A writer that opens the FIFO and then never writes nor closes it.
    const writer = spawn('sh', ['-c', `exec 3>'${fifo}'; sleep 30`]);
    try {
      const r = await readSpecial(fifo, 'fifo', 1024 * 1024, 300);
      assert.equal(r.kind === 'unread' && r.skipped?.reason, 'timeout');
    } finally {
      writer.kill();
    }
  } finally {
    t.remove();
  }
});

test('one extraction budget is shared by every archive of a file: the total-size cap holds across members', async () => {
  const zip = new ZipSource({ maxMemberSize: 1 << 30 });
  const bytes = buildZip([
    { name: 'a.bin', data: Buffer.alloc(600, 1) },
    { name: 'b.bin', data: Buffer.alloc(600, 2) },
    { name: 'c.bin', data: Buffer.alloc(100, 3) },
  ]);
  const budget = { bytesLeft: 1000, entriesLeft: 2 };
  const got = [];
  for await (const e of zip.open({ display: 'x.zip', bytes, depth: 1 }, budget)) got.push(e);
  assert.deepEqual(
    got.map((e) => (e.kind === 'member' ? `member ${e.suffix}` : e.kind === 'skip' ? `skip ${e.suffix} ${e.reason}` : e.kind === 'failure' ? `failure ${e.reason}` : e.kind)),
    ['member !a.bin', 'skip !b.bin archive-bomb', 'failure archive-bomb'],
  );
});
