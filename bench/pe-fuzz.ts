// The long fuzz campaign for the PE parser: N mutated real PE files (default 1,000,000), each parsed with every part
// touched and then rendered as JSON and text. Prints the count, failures, and the slowest parse (wall and CPU time:
// the machine is shared, so wall time includes waiting for a core). Failures and the slowest input are saved.
// Usage: node dist/bench/pe-fuzz.js [iterations] [seed]

import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADVERSARIAL } from '../test/pe/adversarial.js';
import { fuzzInputArb, mutate, parseFully, render, type FuzzInput } from '../test/pe/fuzz.js';
import { fuzzSeeds } from '../test/pe/seeds.js';
import { CACHE_DIR } from '../test/helpers/paths.js';

const iterations = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? Date.now() % 0x7fffffff);
const seeds = fuzzSeeds();
const outDir = join(CACHE_DIR, 'pe-fuzz');
mkdirSync(outDir, { recursive: true });

let count = 0;
let failures = 0;
let parsedAsPe = 0;
const slowest = { wall: 0, cpu: 0, render: 0, input: null as FuzzInput | null };
/** The slowest inputs by wall and by CPU time, replayed at the end: on a shared machine one slow timing may be a lost core. */
const KEEP = 20;
const REPLAYS = 5;
const topWall: { t: number; input: FuzzInput }[] = [];
const topCpu: { t: number; input: FuzzInput }[] = [];
function keep(list: { t: number; input: FuzzInput }[], t: number, input: FuzzInput): void {
  if (list.length >= KEEP && t <= list[list.length - 1]!.t) return;
  list.push({ t, input });
  list.sort((a, b) => b.t - a.t);
  if (list.length > KEEP) list.pop();
}
const overMs = { wall: 0, cpu: 0 };
const BUDGET_MS = 100;
const started = Date.now();

process.stderr.write(`pe-fuzz: ${iterations} inputs from ${seeds.length} seeds, seed ${seed}\n`);
const result = fc.check(
  fc.property(fuzzInputArb, (input) => {
    const bytes = mutate(seeds, input);
    count++;
    try {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const pe = parseFully(bytes);
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1000;
      if (wall > slowest.wall) {
        slowest.wall = wall;
        slowest.input = input;
      }
      keep(topWall, wall, input);
      keep(topCpu, cpu, input);
      if (cpu > slowest.cpu) slowest.cpu = cpu;
      if (wall > BUDGET_MS) overMs.wall++;
      if (cpu > BUDGET_MS) overMs.cpu++;
      if (pe !== null) {
        parsedAsPe++;
        const r0 = performance.now();
        render(pe);
        slowest.render = Math.max(slowest.render, performance.now() - r0);
      }
    } catch (e) {
      failures++;
      writeFileSync(join(outDir, `failure-${seed}-${count}.bin`), bytes);
      throw e;
    }
    if (count % 100000 === 0) {
      process.stderr.write(`pe-fuzz: ${count} inputs, slowest parse ${slowest.wall.toFixed(1)} ms wall / ${slowest.cpu.toFixed(1)} ms cpu, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  }),
  { numRuns: iterations, seed, endOnFailure: true },
);

if (slowest.input) writeFileSync(join(outDir, `slowest-${seed}.bin`), mutate(seeds, slowest.input));
// Replay the slowest inputs; each one's best time is its own cost, free of waiting for a core.
let replayWorst = 0;
const top = [...topWall, ...topCpu];
for (const t of top) {
  const bytes = mutate(seeds, t.input);
  let best = Infinity;
  for (let i = 0; i < REPLAYS; i++) {
    const t0 = performance.now();
    parseFully(bytes);
    best = Math.min(best, performance.now() - t0);
  }
  replayWorst = Math.max(replayWorst, best);
}
console.log(`inputs: ${count} (${parsedAsPe} still PE files), seed ${seed}`);
console.log(`failures: ${failures}${result.failed ? ` (counterexample ${JSON.stringify(result.counterexample)}: ${String(result.errorInstance)})` : ''}`);
console.log(`slowest parse: ${slowest.wall.toFixed(2)} ms wall, ${slowest.cpu.toFixed(2)} ms cpu; over ${BUDGET_MS} ms: ${overMs.wall} by wall, ${overMs.cpu} by cpu`);
console.log(`slowest ${top.length} inputs replayed ${REPLAYS} times each: the worst best time is ${replayWorst.toFixed(2)} ms`);
console.log(`slowest JSON+text rendering: ${slowest.render.toFixed(2)} ms`);
// The hand-built worst cases for each budget, timed the same way (best of REPLAYS, wall and CPU).
for (const [name, make] of ADVERSARIAL) {
  const bytes = make();
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < REPLAYS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    parseFully(bytes);
    wall = Math.min(wall, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  console.log(`worst case "${name}": ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms cpu (best of ${REPLAYS})`);
}
console.log(`wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = result.failed ? 1 : 0;
