// The bundled family database (rules/similarity.db, committed, rebuilt by `npm run build:similarity-db`): it holds
// exactly what test/similarity/build-db.ts puts in it, answers for every test family with builds compiled now
// (which it has never seen), attaches no unrelated program, and is what `firebreak similar` uses without --db.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FamilyMatcher, SimilarityDb } from '../../src/similarity/index.js';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { buildFixtures, fixtureSpecs, unseenBuildSpecs } from './families.js';

const BUNDLED = join(PROJECT_ROOT, 'rules', 'similarity.db');

test('the committed database holds the synthetic families and the runtime baseline the build script names', () => {
  const db = SimilarityDb.open(BUNDLED, { readonly: true });
  try {
    const specs = fixtureSpecs();
    const families = specs.filter((s) => s.role === 'family');
    assert.deepEqual([...db.samples()].map((s) => [s.features.name, s.family, s.variant]).sort(), families.map((s) => [s.id, s.family, s.variant]).sort());
    assert.equal(db.sampleCount('common'), specs.filter((s) => s.role === 'common').length);
    assert.equal(db.meta('built_by'), 'test/similarity/build-db.ts from test/similarity/c');
  } finally {
    db.close();
  }
});

test("a freshly compiled build of each family that the database never held gets that family's name", () => {
  const matcher = new FamilyMatcher(BUNDLED);
  try {
    const unseen = buildFixtures(unseenBuildSpecs());
    assert.equal(new Set(unseen.map((u) => u.family)).size, 4);
    for (const u of unseen) {
      const v = matcher.match(readFileSync(u.path), u.id);
      assert.equal(v?.name, u.family, `${u.id}: ${v?.summary ?? 'no family'}`);
    }
    for (const n of buildFixtures(fixtureSpecs().filter((s) => s.role === 'negative'))) {
      assert.equal(matcher.match(readFileSync(n.path), n.id), null, n.id);
    }
  } finally {
    matcher.close();
  }
});

test('firebreak similar uses the bundled database when no --db is given', async () => {
  const [u] = buildFixtures(unseenBuildSpecs().filter((s) => s.family === 'wordfreq'));
  const r = await runCli(['similar', u!.path]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^family: wordfreq v\d /m);
});
