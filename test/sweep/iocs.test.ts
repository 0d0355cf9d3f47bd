// IOC lists in a sweep: hash, file-name and content hits on the right files, and path hits recomputed (not
// replayed) when a cached sample turns up under another name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_IOCS, TEST_RULES, fixtureTree, parseNdjson, sweepCli, tempDir } from './helpers.js';

type Hit = { type: string; indicator: string; line: number; why: string };
const hitsOf = (records: Record<string, unknown>[], suffix: string): string[] => {
  const r = records.find((x) => (x.sample as { path: string }).path.endsWith(suffix));
  return r ? (r.iocs as Hit[]).map((h) => `${h.type}:${h.line}`) : [];
};

test('hash, file-name and content indicators hit the planted files, ASCII and UTF-16LE', async () => {
  const t = fixtureTree();
  try {
    writeFileSync(join(t.dir, 'beacon.cfg'), 'beacon to c2.firebreak-test.example now\n');
    writeFileSync(join(t.dir, 'beacon16.bin'), Buffer.from('x c2.firebreak-test.example y', 'utf16le'));
    const r = await sweepCli(['--rules', TEST_RULES, '--iocs', TEST_IOCS, '--format', 'ndjson', t.dir]);
    assert.equal(r.status, 1, r.stderr);
    const { records, summary } = parseNdjson(r.stdout);
    assert.deepEqual(hitsOf(records, '/docs/note.md'), ['sha256:3', 'string:5']);
    assert.deepEqual(hitsOf(records, '/clean.txt'), ['filename:4']);
    assert.deepEqual(hitsOf(records, '/beacon.cfg'), ['domain:6']);
    assert.deepEqual(hitsOf(records, '/beacon16.bin'), ['domain:6']);
    assert.deepEqual(summary.iocs, { count: 4, lists: [TEST_IOCS] });
  } finally {
    t.remove();
  }
});

test('a cached sample under a new name keeps its content hits and gets its own name hits', async () => {
  const t = fixtureTree();
  const c = tempDir();
  try {
    const args = ['--rules', TEST_RULES, '--iocs', TEST_IOCS, '--cache', join(c.dir, 'db.sqlite'), '--format', 'ndjson', t.dir];
    await sweepCli(args);
    copyFileSync(join(t.dir, 'clean.txt'), join(t.dir, 'renamed.txt'));
    copyFileSync(join(t.dir, 'docs', 'note.md'), join(t.dir, 'note-copy.md'));
    const { records, summary } = parseNdjson((await sweepCli(args)).stdout);
    assert.deepEqual(hitsOf(records, '/renamed.txt'), []);
    assert.deepEqual(hitsOf(records, '/clean.txt'), ['filename:4']);
    assert.deepEqual(hitsOf(records, '/note-copy.md'), ['sha256:3', 'string:5']);
    assert.equal(summary.files.fromCache, 6);
  } finally {
    t.remove();
    c.remove();
  }
});

test('an IOC list that does not exist stops the sweep with exit 2, naming it', async () => {
  const r = await sweepCli(['--rules', TEST_RULES, '--iocs', '/nonexistent/iocs.txt', '.']);
  assert.equal(r.status, 2);
  assert.match(r.stderr.trim(), /^firebreak sweep: \/nonexistent\/iocs\.txt: .*\[E_INPUT_NOT_FOUND\]$/);
});
