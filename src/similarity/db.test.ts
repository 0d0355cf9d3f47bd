// The family database: features stored and read back, never the sample; duplicates, rarity, and bad files.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimilarityDb } from './db.js';
import { FirebreakError } from '../core/errors.js';
import { prepare } from './score.js';
import { FEATURES_VERSION } from './features.js';
import { fixturesWithFeatures } from '../../test/similarity/fixtures.js';
import { parsePe, isPeFile } from '../formats/pe/index.js';

const work = mkdtempSync(join(tmpdir(), 'fb-db-test-'));
after(() => rmSync(work, { recursive: true, force: true }));
const fx = fixturesWithFeatures();
const fam = fx.filter((f) => f.role === 'family');

test('features round-trip through the file, and the sample bytes are not in it', () => {
  const path = join(work, 'roundtrip.db');
  const db = SimilarityDb.open(path, { create: true });
  const first = db.add(fam[0]!.features, { family: fam[0]!.family, variant: fam[0]!.variant });
  assert.equal(first.added, true);
  const [stored] = db.load([first.id]);
  assert.deepEqual(stored!.features, fam[0]!.features);
  assert.equal(stored!.family, fam[0]!.family);
  db.close();
  // 64 bytes of the code section would be in the file if the sample were stored.
  const pe = parsePe(readFileSync(fam[0]!.path));
  assert.ok(isPeFile(pe));
  const text = pe.sections.find((s) => s.name === '.text')!;
  const chunk = Buffer.from(pe.bytes.subarray(text.dataStart + 256, text.dataStart + 320));
  assert.equal(readFileSync(path).includes(chunk), false);
});

test('adding a sample twice keeps one record and updates its family', () => {
  const db = SimilarityDb.open(':memory:', { create: true });
  const a = db.add(fam[1]!.features);
  const b = db.add(fam[1]!.features, { family: 'renamed', variant: 'v9' });
  assert.equal(b.added, false);
  assert.equal(b.id, a.id);
  assert.equal(db.sampleCount(), 1);
  assert.deepEqual(db.families(), [{ name: 'renamed', samples: 1, variants: ['v9'] }]);
  db.close();
});

test('common samples form the baseline; features in most families become common too', () => {
  const db = SimilarityDb.open(':memory:', { create: true });
  const base = fx.filter((f) => f.role === 'common');
  db.addMany(base.map((f) => ({ features: f.features, options: { role: 'common' as const } })));
  const baseFn = base.flatMap((f) => f.features.functions)[0]!;
  assert.equal(prepare({ ...fam[0]!.features, functions: [baseFn] }, db.baseline()).fnKeys.length, 0);
  db.addMany(fam.map((f) => ({ features: f.features, options: { family: f.family, variant: f.variant } })));
  assert.equal(db.groupCount(), 4);
  // "--version" is in every family's help text: common by rarity, while a family's own strings are not.
  const common = db.commonness();
  const p = prepare({ ...fam[0]!.features, functions: [] }, common);
  const kept = new Set(Array.from(p.strIndex, (i) => fam[0]!.features.strings[i]));
  assert.equal(kept.has('--version'), false);
  assert.ok([...kept].some((s) => s.startsWith('wordfreq')), [...kept].join(' | '));
  db.close();
});

test('a file that is not a similarity database is refused with E_DB; a missing one with E_INPUT_NOT_FOUND', () => {
  const bogus = join(work, 'bogus.db');
  writeFileSync(bogus, 'this is not sqlite at all, just text that is long enough to look like a header'.repeat(20));
  assert.throws(() => SimilarityDb.open(bogus), (e: unknown) => e instanceof FirebreakError && e.code === 'E_DB' && e.input === bogus);
  assert.throws(() => SimilarityDb.open(join(work, 'missing.db')), (e: unknown) => e instanceof FirebreakError && e.code === 'E_INPUT_NOT_FOUND');
});

test('a database of another features version is refused with E_DB naming the file and both versions', () => {
  const path = join(work, 'old-features.db');
  const db = SimilarityDb.open(path, { create: true });
  db.add(fam[0]!.features, { family: fam[0]!.family });
  db.setMeta('features_version', String(FEATURES_VERSION + 1));
  db.close();
  for (const readonly of [true, false]) {
    assert.throws(
      () => SimilarityDb.open(path, { readonly }),
      (e: unknown) =>
        e instanceof FirebreakError && e.code === 'E_DB' && e.input === path &&
        e.message.includes(`features version ${FEATURES_VERSION + 1}`) && e.message.includes(`reads version ${FEATURES_VERSION}`),
    );
  }
});

test('candidates come from LSH buckets and exact hashes, not from every sample', () => {
  const db = SimilarityDb.open(':memory:', { create: true });
  db.addMany(fx.filter((f) => f.role === 'common').map((f) => ({ features: f.features, options: { role: 'common' as const } })));
  db.addMany(fam.map((f) => ({ features: f.features, options: { family: f.family } })));
  const q = fam.find((f) => f.id === 'iniconf-v1-x64-O2')!;
  const ids = db.candidates(prepare(q.features, db.commonness()));
  const names = db.load(ids).map((s) => s.features.name);
  assert.ok(names.includes('iniconf-v3-x64-O2'), names.join(' '));
  assert.ok(ids.length < fam.length, `${ids.length} candidates of ${fam.length}`);
  db.close();
});
