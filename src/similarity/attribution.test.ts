// Attribution against ground truth: synthetic families (feature variants, -O0/-O2, x86/x64), two sharing a platform
// library, and unrelated programs, all built with MinGW from test/similarity/c and never run.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterSamples, findSimilar, nearestFamily, SimilarityDb } from './index.js';
import { fixturesWithFeatures, type FixtureWithFeatures } from '../../test/similarity/fixtures.js';
import { buildFixtures, PLATFORM_FAMILIES, unseenBuildSpecs } from '../../test/similarity/families.js';
import { readFileSync } from 'node:fs';
import { extractFeatures } from './features.js';
import { adjustedRandIndex } from '../../test/similarity/metrics.js';
import { familySchema } from '../report/schema.js';

const all = fixturesWithFeatures();
const baseline = all.filter((f) => f.role === 'common');
const familySamples = all.filter((f) => f.role === 'family');
const negatives = all.filter((f) => f.role === 'negative');

function withDb<T>(members: FixtureWithFeatures[], fn: (db: SimilarityDb) => T): T {
  const db = SimilarityDb.open(':memory:', { create: true });
  try {
    db.addMany(baseline.map((b) => ({ features: b.features, options: { role: 'common' as const } })));
    db.addMany(members.map((m) => ({ features: m.features, options: { family: m.family, variant: m.variant } })));
    return fn(db);
  } finally {
    db.close();
  }
}

/** The runtime baseline as a database computes it (kept after the database is closed: it is in memory). */
function baselineOf(): ReturnType<SimilarityDb['baseline']> {
  return withDb([], (db) => db.baseline());
}

test('the ground truth has at least 4 families of at least 3 variants, x86 and x64, -O0 and -O2, and negatives', () => {
  const families = new Set(familySamples.map((f) => f.family));
  assert.ok(families.size >= 4);
  for (const fam of families) {
    const members = familySamples.filter((f) => f.family === fam);
    assert.ok(new Set(members.map((m) => m.variant)).size >= 3, fam);
    assert.deepEqual(new Set(members.map((m) => m.arch)), new Set(['x86', 'x64']), fam);
    assert.deepEqual(new Set(members.map((m) => m.opt)), new Set(['O0', 'O2']), fam);
  }
  assert.equal(PLATFORM_FAMILIES.length, 2);
  assert.ok(negatives.length >= 3);
});

test('clustering agrees with the ground truth (adjusted Rand index >= 0.9), negatives alone', () => {
  const inputs = [...familySamples, ...negatives];
  const r = clusterSamples(inputs.map((f) => ({ name: f.id, features: f.features })), { baseline: baselineOf() });
  const truth = inputs.map((f) => f.family);
  const predicted = r.samples.map((s) => s.family);
  const ari = adjustedRandIndex(truth, predicted);
  assert.ok(ari >= 0.9, `ARI ${ari.toFixed(3)}: ${JSON.stringify(r.families.map((f) => f.members.map((m) => inputs[m]!.id)))}`);
  for (const [i, f] of inputs.entries()) {
    if (f.role !== 'negative') continue;
    const fam = r.families.find((x) => x.id === r.samples[i]!.family)!;
    assert.equal(fam.members.length, 1, `${f.id} joined ${fam.members.map((m) => inputs[m]!.id).join(', ')}`);
  }
  // Fewer candidate pairs than all pairs: LSH, not an all-pairs comparison.
  assert.ok(r.stats.candidatePairs < (inputs.length * (inputs.length - 1)) / 2);
});

test('variants group by feature level, whatever the build: each family\'s v3 for x64 -O2 and for x86 -O0 is one variant', () => {
  const unseen = buildFixtures(unseenBuildSpecs()).map((u) => ({ ...u, features: extractFeatures(readFileSync(u.path), { name: u.id }) }));
  const inputs = [...familySamples, ...unseen, ...negatives];
  const r = clusterSamples(inputs.map((f) => ({ name: f.id, features: f.features })), { baseline: baselineOf() });
  const truth = inputs.map((f) => (f.role === 'negative' ? f.id : `${f.family}/${f.variant}`));
  const predicted = r.samples.map((s) => `${s.family}/${s.variant}`);
  const groups = (labels: string[]): string[] => [...new Set(labels)].map((l) => inputs.filter((_, i) => labels[i] === l).map((f) => f.id).join(' ')).sort();
  assert.deepEqual(groups(predicted), groups(truth));
  assert.equal(adjustedRandIndex(truth, predicted), 1);
});

test('the two families sharing the platform library are linked clusters, not merged, with shared code as evidence', () => {
  const inputs = [...familySamples, ...negatives];
  const r = clusterSamples(inputs.map((f) => ({ name: f.id, features: f.features })), { baseline: baselineOf() });
  const familyOfName = (name: string): string => r.samples[inputs.findIndex((f) => f.family === name)]!.family;
  const [pa, pb] = PLATFORM_FAMILIES.map(familyOfName) as [string, string];
  assert.notEqual(pa, pb);
  const link = r.links.find((l) => (l.a === pa && l.b === pb) || (l.a === pb && l.b === pa));
  assert.ok(link, `no link between ${pa} and ${pb}: ${JSON.stringify(r.links)}`);
  assert.ok(link.sharedFunctions >= 5, `only ${link.sharedFunctions} shared functions`);
  assert.equal(link.basis, 'code');
  // The examples come from the named pair, one sample of each family, and their addresses are those samples' RVAs.
  const [sa, sb] = [link.pair.a, link.pair.b].map((p) => inputs[p.index]!);
  assert.deepEqual([r.samples[link.pair.a.index]!.family, r.samples[link.pair.b.index]!.family], [link.a, link.b]);
  assert.equal(link.pair.a.name, sa!.id);
  const rvas = (f: typeof sa, hash: string): string[] => f!.features.functions.filter((x) => x.hash === hash).map((x) => `0x${x.rva.toString(16)}`);
  assert.ok(link.examples.length > 0);
  for (const e of link.examples) {
    assert.deepEqual(e.rvaA, rvas(sa, e.hash));
    assert.deepEqual(e.rvaB, rvas(sb, e.hash));
  }
  // No other pair of families is linked, and no negative takes part in a link.
  assert.equal(r.links.length, 1, JSON.stringify(r.links.map((l) => [l.a, l.b])));
  assert.ok(r.edges.some((e) => e.kind === 'link' && e.sharedFunctions > 0 && e.basis === 'code'));
  // Every edge says what it stands for, and says it truly: code edges share rare code, string edges rare strings.
  for (const e of r.edges) {
    if (e.basis === 'code') assert.ok(e.sharedFunctions > 0, JSON.stringify(e));
    else if (e.basis === 'strings') assert.ok(e.sharedStrings > 0, JSON.stringify(e));
    else assert.equal(e.basis, 'combined');
  }
  // Across architectures and optimisation levels function hashes differ: family edges without shared code exist,
  // and say they stand for strings (or several kinds together), never for code.
  const family = r.edges.filter((e) => e.kind === 'family');
  assert.ok(family.some((e) => e.sharedFunctions === 0 && e.basis === 'strings'));
  assert.ok(family.every((e) => e.sharedFunctions > 0 || e.basis !== 'code'));
});

test("every variant's nearest family is right (leave-one-out), with the platform relation named", () => {
  for (const q of familySamples) {
    const verdict = withDb(familySamples.filter((f) => f !== q), (db) => nearestFamily(db, q.features));
    assert.ok(verdict, `${q.id}: no family`);
    assert.equal(verdict.name, q.family, `${q.id}: ${verdict.summary}`);
    // What sweep and triage put in a report's `family` must pass the report schema.
    familySchema.parse(verdict);
    assert.ok(verdict.why.length > 0);
    if (PLATFORM_FAMILIES.includes(q.family) && q.opt === 'O2' && q.arch === 'x64') {
      const other = PLATFORM_FAMILIES.find((f) => f !== q.family)!;
      assert.ok(verdict.relations?.some((r) => r.family === other), `${q.id}: relations ${JSON.stringify(verdict.relations)}`);
    }
  }
});

test('a build no database holds (v3 for x86 at -O0) is attributed to its family', () => {
  withDb(familySamples, (db) => {
    for (const u of buildFixtures(unseenBuildSpecs())) {
      const verdict = nearestFamily(db, extractFeatures(readFileSync(u.path), { name: u.id }));
      assert.equal(verdict?.name, u.family, `${u.id}: ${verdict?.summary ?? 'no family'}`);
    }
  });
});

test('unrelated programs attach to no family', () => {
  withDb(familySamples, (db) => {
    for (const n of negatives) {
      const r = findSimilar(db, n.features);
      assert.equal(nearestFamily(db, n.features), null, `${n.id}: ${JSON.stringify(r.families[0])}`);
    }
  });
});
