// The false-positive test CI runs: the whole pack (YARA rules and IOC lists) gives no hit at all on the Wine PE
// corpus, the system's own /usr, and the project's other fixtures; and the pack's own files do not trip its rules.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { loadEngine } from '../../src/detect/load-engine.js';
import { loadPackIocs } from '../../src/detect/ruletest/iocs.js';
import { resolvePack } from '../../src/detect/ruletest/pack.js';
import { createPackScanner } from '../../src/detect/ruletest/scanner.js';
import { packSources } from '../../src/detect/ruletest/pack.js';
import { testPack } from '../../src/detect/ruletest/test.js';
import { walkFiles } from '../../src/detect/ruletest/files.js';
import { wineCorpusDir } from '../helpers/corpus.js';
import { CACHE_DIR, PROJECT_ROOT } from '../helpers/paths.js';

/**
 * Clean files larger than this are counted, not scanned: on Debian that leaves out about 80 of /usr's 125,000
 * files (compiler and browser libraries) and 2 of the Wine corpus's 693, and keeps the scan near 4 GB.
 */
const CLEAN_MAX_FILE = Number(process.env.FIREBREAK_CLEAN_MAX_SIZE ?? 16 * 1024 * 1024);
const PACK_DIR = join(PROJECT_ROOT, 'rules');
const OWN_FIXTURES = [join(PROJECT_ROOT, 'test', 'pack'), join(PROJECT_ROOT, 'examples')];

/** The pack's own fixtures are positives, not clean: their sources, the examples and their MinGW builds. */
function ownFixture(path: string): boolean {
  if (OWN_FIXTURES.some((d) => path === d || path.startsWith(d + sep))) return true;
  return path.startsWith(join(CACHE_DIR, 'mingw') + sep) && basename(path).startsWith('pack_');
}

test('no rule and no indicator of the pack hits the Wine corpus, /usr or the project\'s other fixtures', async (t) => {
  const clean = [wineCorpusDir(), '/usr', join(PROJECT_ROOT, 'test')];
  if (existsSync(join(CACHE_DIR, 'mingw'))) clean.push(join(CACHE_DIR, 'mingw'));
  const layout = await resolvePack(PACK_DIR);
  const result = await testPack(layout, {
    engine: await loadEngine(),
    clean,
    cleanMaxSize: CLEAN_MAX_FILE,
    timeSampleBytes: 0,
    exclude: ownFixture,
    iocs: await loadPackIocs(join(PACK_DIR, 'iocs')),
  });
  t.diagnostic(
    `clean: ${result.clean.files} files, ${(result.clean.bytes / 2 ** 20).toFixed(0)} MiB, ` +
      `${result.clean.tooLarge} over ${CLEAN_MAX_FILE} bytes skipped, ${result.clean.skipped} links and specials skipped`,
  );
  assert.ok(result.clean.files > 10_000, `only ${result.clean.files} clean files were scanned`);
  const ruleHits = result.rules.filter((r) => r.cleanHits > 0).map((r) => `${r.rule}: ${r.cleanExamples.join(', ')}`);
  const iocHits = result.iocs.filter((r) => r.cleanHits > 0).map((r) => `${r.list}:${r.line}: ${r.cleanExamples.join(', ')}`);
  assert.deepEqual(ruleHits, []);
  assert.deepEqual(iocHits, []);
  assert.deepEqual(result.rules.filter((r) => r.positives === 0 || r.positiveHits !== r.positives).map((r) => r.rule), []);
  const uncovered = result.iocs.filter((r) => r.testable && r.fixtureHits === 0).map((r) => `${r.list}:${r.line}`);
  assert.deepEqual(uncovered, []);
  assert.ok(result.ok);
});

test("the pack's own rules, IOC lists, docs and fixture sources trip none of its YARA rules", async () => {
  const engine = await loadEngine();
  const scanner = createPackScanner(engine, await packSources(await resolvePack(PACK_DIR)));
  try {
    const hits: string[] = [];
    const roots = [PACK_DIR, join(PROJECT_ROOT, 'docs'), join(PROJECT_ROOT, 'test', 'pack'), join(PROJECT_ROOT, 'src')];
    let files = 0;
    for await (const f of walkFiles(roots)) {
      files++;
      for (const rule of scanner.matches(readFileSync(f.path), f.path)) hits.push(`${rule}: ${f.path}`);
    }
    assert.ok(files > 50);
    assert.deepEqual(hits, []);
  } finally {
    scanner.dispose();
  }
});
