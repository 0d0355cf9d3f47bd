// The PE summary step: samples with findings get formats/pe's summary; with --all every PE file does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPeFile, parsePe, peSummary } from '../../src/formats/pe/index.js';
import { wineCorpusDir } from '../helpers/corpus.js';
import { parseNdjson, sweepCli, tempDir } from './helpers.js';

test('a PE file with a finding carries its PE summary; a clean one only with --all', async () => {
  const t = tempDir();
  try {
    const corpus = wineCorpusDir();
    copyFileSync(join(corpus, 'notepad.exe'), join(t.dir, 'notepad.exe'));
    copyFileSync(join(corpus, 'write.exe'), join(t.dir, 'write.exe'));
    const rules = join(t.dir, 'r.yar');
    writeFileSync(rules, 'rule notepad_name { strings: $a = "notepad" nocase wide condition: $a and filesize > 100KB }\n');
    const pathOf = (x: Record<string, unknown>): string => (x.sample as { path: string }).path;
    const plain = parseNdjson((await sweepCli(['--rules', rules, '--format', 'ndjson', '--all', '--max-size', '64M', join(t.dir, 'notepad.exe'), join(t.dir, 'write.exe')])).stdout);
    const expected = (name: string): unknown => {
      const pe = parsePe(readFileSync(join(t.dir, name)));
      assert.ok(isPeFile(pe));
      return peSummary(pe);
    };
    const notepad = plain.records.find((x) => pathOf(x).endsWith('notepad.exe'))!;
    assert.ok((notepad.yara as unknown[]).length > 0);
    assert.deepEqual(notepad.pe, expected('notepad.exe'));
    assert.deepEqual(plain.records.find((x) => pathOf(x).endsWith('write.exe'))!.pe, expected('write.exe'));

    const quiet = parseNdjson((await sweepCli(['--rules', rules, '--format', 'ndjson', join(t.dir, 'write.exe')])).stdout);
    assert.equal(quiet.records.length, 0);
    const { sweep } = await import('../../src/sweep/index.js');
    const seen: { pe: unknown }[] = [];
    await sweep({ paths: [join(t.dir, 'write.exe')], rules: [rules], jobs: 1, onRecord: (r) => void seen.push(r as { pe: unknown }) });
    assert.equal(seen[0]!.pe, null);
  } finally {
    t.remove();
  }
});
