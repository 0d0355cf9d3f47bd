// Differential test against Debian's yara 4.2.3: on the Wine corpus with bench.yar, `firebreak sweep` and
// `yara -r` must report the same set of (file, rule) hits.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { wineCorpusDir } from '../helpers/corpus.js';
import { SHARED_DIR } from '../helpers/paths.js';
import { parseNdjson, sweepCli } from './helpers.js';

const BENCH_RULES = join(SHARED_DIR, 'corpus', 'bench.yar');

test('firebreak sweep and yara -r give identical (file, rule) hits on the Wine corpus', async () => {
  const corpus = wineCorpusDir();
  const out = execFileSync('yara', ['-r', '-p', '2', BENCH_RULES, corpus], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const expected = new Set(
    out
      .trim()
      .split('\n')
      .map((line) => {
        const space = line.indexOf(' ');
        return `${line.slice(space + 1)}\t${line.slice(0, space)}`;
      }),
  );
  const r = await sweepCli(['--rules', BENCH_RULES, '--format', 'ndjson', '--jobs', '2', corpus]);
  assert.equal(r.status, 1, r.stderr);
  const { records, summary } = parseNdjson(r.stdout);
  const actual = new Set<string>();
  for (const rec of records) {
    const path = (rec.sample as { path: string }).path;
    for (const m of rec.yara as { rule: string }[]) actual.add(`${path}\t${m.rule}`);
  }
  const missing = [...expected].filter((h) => !actual.has(h));
  const extra = [...actual].filter((h) => !expected.has(h));
  assert.deepEqual({ missing: missing.slice(0, 20), extra: extra.slice(0, 20) }, { missing: [], extra: [] });
  assert.equal(actual.size, expected.size);
  assert.ok(expected.size > 7000, `only ${expected.size} hits: is the corpus complete?`);
  assert.equal(summary.files.errors, 0);
});
