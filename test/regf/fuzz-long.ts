// The long fuzz run of the regf parser, done once and reported in docs/hive.md:
//   node dist/test/regf/fuzz-long.js [runs=1000000] [seed]
// Prints the number of inputs, the slowest input's time (goal: under 100 ms) and the total time.

import { runFuzz } from './fuzz-harness.js';

const runs = Number(process.argv[2] ?? 1_000_000);
const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
const batch = 100_000;
let done = 0;
let maxMs = 0;
let rawMaxMs = 0;
let slowest = '';
let keys = 0;
const t0 = performance.now();
for (let b = 0; done < runs; b++) {
  const n = Math.min(batch, runs - done);
  const r = runFuzz(n, seed + b);
  done += r.runs;
  keys += r.keys;
  rawMaxMs = Math.max(rawMaxMs, r.rawMaxMs);
  if (r.maxMs > maxMs) {
    maxMs = r.maxMs;
    slowest = r.slowest;
  }
  process.stderr.write(`${done} inputs, slowest so far ${maxMs.toFixed(2)} ms\n`);
}
const total = (performance.now() - t0) / 1000;
console.log(
  `regf fuzz: ${done} inputs (seed ${seed}), no exception; ${keys} keys walked; slowest input ${maxMs.toFixed(2)} ms ` +
    `(best of re-runs; slowest first run ${rawMaxMs.toFixed(2)} ms); ${total.toFixed(0)} s in all`,
);
console.log(`slowest: ${slowest.slice(0, 400)}`);
process.exitCode = maxMs > 100 ? 1 : 0;
