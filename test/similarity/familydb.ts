// Writes a family database from the synthetic families: the bundled one (build-db.ts) and the tests' own.

import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { extractFeatures, SimilarityDb } from '../../src/similarity/index.js';
import { buildFixtures, type Fixture } from './families.js';

/** Stores the runtime baseline (role common) first, so family samples' LSH keys already leave it out. */
export function buildFamilyDb(out: string, fixtures: Fixture[] = buildFixtures()): { samples: number; common: number } {
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp${process.pid}`;
  rmSync(tmp, { force: true });
  const db = SimilarityDb.open(tmp, { create: true });
  let samples: number;
  let common: number;
  try {
    const features = (f: Fixture) => extractFeatures(readFileSync(f.path), { name: f.id });
    const base = fixtures.filter((f) => f.role === 'common');
    const fams = fixtures.filter((f) => f.role === 'family');
    db.addMany(base.map((f) => ({ features: features(f), options: { role: 'common' as const } })));
    db.addMany(fams.map((f) => ({ features: features(f), options: { family: f.family, variant: f.variant } })));
    common = base.length;
    samples = fams.length;
    db.setMeta('built_by', 'test/similarity/build-db.ts from test/similarity/c');
  } finally {
    db.close();
  }
  renameSync(tmp, out);
  return { samples, common };
}

