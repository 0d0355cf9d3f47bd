// Differential test against Debian's pefile: every Wine corpus file and the MinGW-built programs, field by field.
// Each difference must be one that test/pe/known-differences.ts recognises (and docs/pefile-differences.md explains).

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, clrFixture, fixtureFiles, loadConfigFixture, mingwRuntimeDlls, richFixture, signedFixture } from '../../../test/pe/build.js';
import { compareWithPefile, FIELDS, type Field } from '../../../test/pe/differential.js';
import { explain, KNOWN_DIFFERENCES } from '../../../test/pe/known-differences.js';
import { pefileViews } from '../../../test/pe/pefile.js';
import { wineCorpusFiles } from '../../../test/helpers/corpus.js';
import { PROJECT_ROOT } from '../../../test/helpers/paths.js';
import { parsePe } from './index.js';

interface Tally {
  files: number;
  agreeing: number;
  known: Map<string, number>;
  unexplained: string[];
  /** Per field, files where it was compared and agreed. */
  fieldAgree: Map<Field, number>;
}

function run(files: readonly string[]): Tally {
  const views = pefileViews(files);
  const t: Tally = { files: 0, agreeing: 0, known: new Map(), unexplained: [], fieldAgree: new Map() };
  for (const f of files) {
    const view = views.get(f);
    assert.ok(view, `pefile view of ${f}`);
    assert.equal(view.error, undefined, `pefile reads ${f}`);
    const pe = parsePe(readFileSync(f));
    assert.ok(pe.isPe, `${f} parses`);
    t.files++;
    const diffs = compareWithPefile(pe, view);
    if (diffs.length === 0) t.agreeing++;
    const failed = new Set(diffs.map((d) => d.field));
    for (const field of FIELDS) if (!failed.has(field)) t.fieldAgree.set(field, (t.fieldAgree.get(field) ?? 0) + 1);
    for (const d of diffs) {
      const k = explain(pe, view, d);
      if (k) t.known.set(k.id, (t.known.get(k.id) ?? 0) + 1);
      else t.unexplained.push(`${f}: ${d.field}: ${d.detail.slice(0, 500)}`);
    }
  }
  return t;
}

function report(t: TestContext, name: string, tally: Tally): void {
  t.diagnostic(`${name}: ${tally.files} files, ${tally.agreeing} agree on every field`);
  t.diagnostic(`${name}: per field ${FIELDS.map((f) => `${f} ${tally.fieldAgree.get(f) ?? 0}/${tally.files}`).join(', ')}`);
  for (const [id, n] of tally.known) t.diagnostic(`${name}: documented difference ${id}: ${n}`);
}

test('agrees with pefile on every file of the Wine corpus', (t) => {
  const files = wineCorpusFiles();
  assert.ok(files.length > 600, 'the corpus is there');
  const tally = run(files);
  report(t, 'wine', tally);
  assert.deepEqual(tally.unexplained, []);
});

test('agrees with pefile on the MinGW-built programs (x86 and x64) and runtime DLLs', (t) => {
  const fx = buildFixtures();
  // Variants pefile reads too: a Rich header as MSVC writes one, a CLR header, a load configuration and bound
  // imports, an Authenticode signature.
  const extra = (['x86', 'x64'] as const).flatMap((arch) => [richFixture(fx[arch].hello), clrFixture(fx[arch].hello), loadConfigFixture(fx[arch].hello), signedFixture(fx[arch].features)]);
  const files = [...fixtureFiles(fx), ...extra, ...mingwRuntimeDlls()];
  const tally = run(files);
  report(t, 'mingw', tally);
  assert.ok(tally.files >= 12);
  assert.deepEqual(tally.unexplained, []);
});

test('every known difference is explained in docs/pefile-differences.md', () => {
  const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'pefile-differences.md'), 'utf8');
  for (const k of KNOWN_DIFFERENCES) assert.ok(doc.includes(k.id), `${k.id} is documented`);
});
