// Benchmark: a family database of 100,000 feature records synthesised by perturbing real Wine records, and the
// time of a `similar` query on it (target <= 100 ms), against a linear scan of every record as the reference.
// Usage: node dist/bench/similarity-index.js [--records N] [--queries Q] [--scans S] [--db PATH]
// With --db naming a database that already holds N records, only the queries (and scans) run.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimilarityDb } from '../src/similarity/db.js';
import { findSimilar } from '../src/similarity/query.js';
import { compare, prepare } from '../src/similarity/score.js';
import { synthesize, wineRecords } from './similarity-records.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const count = flag('--records', 100_000);
const queries = flag('--queries', 200);
const scans = flag('--scans', 3);
const dbArg = process.argv.indexOf('--db');
const dir = mkdtempSync(join(tmpdir(), 'fb-sim-index-'));
const dbPath = dbArg >= 0 ? process.argv[dbArg + 1]! : join(dir, 'index.db');

const { records: real } = wineRecords();
const familyOf = (origin: number): string => `wine-${real[origin]!.name}`;

const db = SimilarityDb.open(dbPath, { create: true });
let t0 = performance.now();
let batch: { features: (typeof real)[number]; options: { family: string } }[] = [];
let done = 0;
if (db.sampleCount() < count) {
  for (const { record, origin } of synthesize(real, count, 1)) {
    batch.push({ features: record, options: { family: familyOf(origin) } });
    if (batch.length === 1000) {
      db.addMany(batch);
      done += batch.length;
      batch = [];
      process.stderr.write(`\rinserted ${done}`);
    }
  }
  if (batch.length) db.addMany(batch);
  done += batch.length;
  process.stderr.write('\n');
}
const insertSeconds = done > 0 ? (performance.now() - t0) / 1000 : NaN;
const size = statSync(dbPath).size;

// Queries: fresh perturbations (another seed), never in the database.
const times: number[] = [];
let right = 0;
let scored = 0;
const qs = [...synthesize(real, queries, 99)];
// Opening cost (the rarity tables) is paid once per database, not per query.
t0 = performance.now();
db.commonness();
const openSeconds = (performance.now() - t0) / 1000;
for (const { record, origin } of qs) {
  const t = performance.now();
  const r = findSimilar(db, record, { top: 10 });
  times.push(performance.now() - t);
  scored += r.candidatesScored;
  if (r.families[0]?.family === familyOf(origin)) right++;
}
times.sort((a, b) => a - b);
const pct = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;

// Reference: the same question answered by comparing the query with every stored record.
const common = db.commonness();
const scanTimes: number[] = [];
for (const { record } of qs.slice(0, scans)) {
  const t = performance.now();
  const q = prepare(record, common);
  let best = 0;
  for (const s of db.samples()) best = Math.max(best, compare(q, prepare(s.features, common)).score);
  scanTimes.push(performance.now() - t);
}
const scanMedian = scanTimes.length ? scanTimes.sort((a, b) => a - b)[Math.floor(scanTimes.length / 2)]! : NaN;
db.close();
if (dbArg < 0) rmSync(dir, { recursive: true, force: true });

console.log(`records: ${count} synthesised from ${real.length} Wine records; inserted in ${insertSeconds.toFixed(1)} s (${(count / insertSeconds).toFixed(0)} records/s); database ${(size / 1048576).toFixed(1)} MiB`);
console.log(`rarity tables loaded once in ${(openSeconds * 1000).toFixed(0)} ms`);
console.log(`similar query (${queries} queries, LSH candidates, ${(scored / queries).toFixed(0)} scored on average): median ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`);
console.log(`nearest family right for ${right} of ${queries} queries (${((100 * right) / queries).toFixed(1)} %)`);
if (scans > 0) console.log(`reference, linear scan of all ${count} records: median ${scanMedian.toFixed(0)} ms per query; ratio scan / LSH median ${(scanMedian / pct(0.5)).toFixed(0)}x`);
