// Benchmark: `firebreak hive --recursive` against reglookup and hivexml (libhivex) printing every key and value of
// the same large hive, whole processes, interleaved runs, medians and ratios. Run: node dist/bench/hive.js [runs]
// Each process runs under /usr/bin/time, so CPU seconds (user + sys) are reported beside wall seconds: on a shared,
// loaded machine wall time mostly measures the neighbours.

import { spawnSync } from 'node:child_process';
import { openSync, closeSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../test/helpers/paths.js';
import { largeHivePath } from '../test/regf/large.js';
import { parseRegf } from '../src/formats/regf/index.js';

const runs = Number(process.argv[2] ?? 5);
const hive = largeHivePath();
const firebreak = join(PROJECT_ROOT, 'bin', 'firebreak.js');

interface Tool {
  name: string;
  cmd: string;
  args: string[];
  times: number[];
  cpu: number[];
}

const tools: Tool[] = [
  { name: 'firebreak hive --recursive', cmd: process.execPath, args: [firebreak, 'hive', hive, '--recursive'], times: [], cpu: [] },
  { name: 'firebreak hive --recursive --format json', cmd: process.execPath, args: [firebreak, 'hive', hive, '--recursive', '--format', 'json'], times: [], cpu: [] },
  { name: 'reglookup', cmd: 'reglookup', args: [hive], times: [], cpu: [] },
  { name: 'hivexml', cmd: 'hivexml', args: [hive], times: [], cpu: [] },
];

function timeOnce(t: Tool): { wall: number; cpu: number } {
  const out = openSync('/dev/null', 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', t.cmd, ...t.args], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${t.name} exited ${r.status}: ${r.stderr.slice(-300)}`);
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    if (m === null) throw new Error(`no CPU figures from /usr/bin/time for ${t.name}`);
    return { wall, cpu: (Number(m[1]) + Number(m[2])) * 1000 };
  } finally {
    closeSync(out);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// In-process figure: parse and walk every key and value, no output (CPU time of this process).
function inProcess(): number {
  const bytes = new Uint8Array(readFileSync(hive));
  const c0 = process.cpuUsage();
  const h = parseRegf(bytes);
  if (!h.isRegf) throw new Error('not a hive');
  let values = 0;
  for (const { key } of h.keys()) for (const v of h.values(key)) (h.text(v), values++);
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  if (h.anomalies.length !== 0) throw new Error(`unexpected anomalies: ${h.anomalies[0]!.code}`);
  return ms + 0 * values;
}

const size = statSync(hive).size;
const probe = parseRegf(new Uint8Array(readFileSync(hive)));
let keys = 0;
let values = 0;
if (probe.isRegf) for (const { key } of probe.keys()) (keys++, (values += key.valueCount));
console.log(`hive: ${hive} (${(size / 2 ** 20).toFixed(1)} MiB, ${keys} keys, ${values} values); ${runs} runs each, interleaved, after a warm-up`);

for (const t of tools) timeOnce(t);
for (let i = 0; i < runs; i++) {
  for (const t of tools) {
    const r = timeOnce(t);
    t.times.push(r.wall);
    t.cpu.push(r.cpu);
  }
}
const walks: number[] = [];
for (let i = 0; i < runs; i++) walks.push(inProcess());

const base = tools[0]!;
for (const t of tools) {
  const cpu = median(t.cpu);
  const wall = median(t.times);
  console.log(
    `${t.name.padEnd(42)} cpu ${(cpu / 1000).toFixed(3)} s (${(size / 2 ** 20 / (cpu / 1000)).toFixed(1)} MiB/s)  wall ${(wall / 1000).toFixed(3)} s`,
  );
}
console.log(`${'parse + walk + render, in-process'.padEnd(42)} cpu ${(median(walks) / 1000).toFixed(3)} s`);
for (const t of tools.slice(2)) {
  const cpuRatio = median(t.cpu) / median(base.cpu);
  const wallRatio = median(t.times) / median(base.times);
  console.log(`ratio ${t.name} / ${base.name}: cpu ${cpuRatio.toFixed(2)}x, wall ${wallRatio.toFixed(2)}x`);
}
