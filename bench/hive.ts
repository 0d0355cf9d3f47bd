// Benchmark: `firebreak hive --recursive` against reglookup and hivexml (libhivex) printing every key and value of
// the same large hive, whole processes, interleaved runs, medians and ratios. Run: node dist/bench/hive.js [runs]

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
}

const tools: Tool[] = [
  { name: 'firebreak hive --recursive', cmd: process.execPath, args: [firebreak, 'hive', hive, '--recursive'], times: [] },
  { name: 'firebreak hive --recursive --format json', cmd: process.execPath, args: [firebreak, 'hive', hive, '--recursive', '--format', 'json'], times: [] },
  { name: 'reglookup', cmd: 'reglookup', args: [hive], times: [] },
  { name: 'hivexml', cmd: 'hivexml', args: [hive], times: [] },
];

function timeOnce(t: Tool): number {
  const out = openSync('/dev/null', 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(t.cmd, t.args, { stdio: ['ignore', out, 'ignore'], maxBuffer: 0 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${t.name} exited ${r.status}`);
    return ms;
  } finally {
    closeSync(out);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// In-process figure: parse and walk every key and value, no output.
function inProcess(): number {
  const bytes = new Uint8Array(readFileSync(hive));
  const t0 = process.hrtime.bigint();
  const h = parseRegf(bytes);
  if (!h.isRegf) throw new Error('not a hive');
  let values = 0;
  for (const { key } of h.keys()) for (const v of h.values(key)) (h.text(v), values++);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
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
for (let i = 0; i < runs; i++) for (const t of tools) t.times.push(timeOnce(t));
const walks: number[] = [];
for (let i = 0; i < runs; i++) walks.push(inProcess());

const base = median(tools[0]!.times);
for (const t of tools) {
  const m = median(t.times);
  console.log(`${t.name.padEnd(42)} median ${(m / 1000).toFixed(3)} s  (${(size / 2 ** 20 / (m / 1000)).toFixed(1)} MiB/s)`);
}
console.log(`${'parse + walk + render in-process'.padEnd(42)} median ${(median(walks) / 1000).toFixed(3)} s`);
for (const t of tools.slice(2)) {
  console.log(`ratio ${t.name} / firebreak hive --recursive: ${(median(t.times) / base).toFixed(2)}x`);
}
