// Benchmark: `firebreak sweep --jobs 2` (native and WASM engines) against `yara -r -p 2` on the Wine corpus with
// bench.yar, then a cached re-sweep against the first sweep. Runs them in turn, several times, and prints the
// medians and ratios. Every file of the corpus matches some bench.yar rule, so every file also gets a PE summary;
// the native sweep is also timed without that step (dist/bench/sweep-run.js).
// Usage: node dist/bench/sweep.js [runs]   (default 3)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wineCorpusDir } from '../test/helpers/corpus.js';
import { PROJECT_ROOT, SHARED_DIR } from '../test/helpers/paths.js';

const runs = Number(process.argv[2] ?? 3);
const corpus = wineCorpusDir();
const rules = join(SHARED_DIR, 'corpus', 'bench.yar');
const bin = join(PROJECT_ROOT, 'bin', 'firebreak.js');
const mib = readdirSync(corpus).reduce((n, f) => n + statSync(join(corpus, f)).size, 0) / 1048576;

function timed(label: string, cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${label} failed (${r.status}): ${r.stderr}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const sweepArgs = (engine: string, cache: string[]): string[] => [bin, 'sweep', '--jobs', '2', '--engine', engine, '--rules', rules, '--format', 'ndjson', '--no-progress', ...cache, corpus];

const runner = join(PROJECT_ROOT, 'dist', 'bench', 'sweep-run.js');
const times: Record<string, number[]> = { yara: [], native: [], nope: [], wasm: [], first: [], cached: [] };
const dir = mkdtempSync(join(tmpdir(), 'fb-bench-'));
try {
  for (let i = 0; i < runs; i++) {
    times.yara!.push(timed('yara', 'yara', ['-r', '-p', '2', rules, corpus]));
    times.native!.push(timed('native', process.execPath, sweepArgs('native', ['--no-cache'])));
    times.nope!.push(timed('without PE summaries', process.execPath, [runner, '2', rules, corpus]));
    times.wasm!.push(timed('wasm', process.execPath, sweepArgs('wasm', ['--no-cache'])));
    const db = join(dir, `cache-${i}.sqlite`);
    times.first!.push(timed('first', process.execPath, sweepArgs('native', ['--cache', db])));
    times.cached!.push(timed('cached', process.execPath, sweepArgs('native', ['--cache', db])));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<string, number>;
const rate = (ms: number): string => `${(mib / (ms / 1000)).toFixed(1)} MiB/s`;
console.log(`Wine corpus: ${mib.toFixed(1)} MiB, bench.yar, ${runs} runs each, medians of whole-process wall time`);
for (const [k, label] of [
  ['yara', 'yara -r -p 2'],
  ['native', 'firebreak sweep --jobs 2 (native)'],
  ['nope', '  the same without PE summaries'],
  ['wasm', 'firebreak sweep --jobs 2 (wasm)'],
  ['first', 'first sweep, empty cache'],
  ['cached', 'second sweep, cached'],
] as const) {
  console.log(`  ${label.padEnd(36)} ${(m[k]! / 1000).toFixed(2).padStart(7)} s  ${rate(m[k]!).padStart(13)}`);
}
console.log(`ratio native/yara (throughput): ${(m.yara! / m.native!).toFixed(2)}x   goal >= 1.0x`);
console.log(`  without PE summaries:           ${(m.yara! / m.nope!).toFixed(2)}x   (read, hash, YARA: the issue-2 pipeline)`);
console.log(`ratio wasm/yara (throughput):   ${(m.yara! / m.wasm!).toFixed(2)}x`);
console.log(`ratio cached/first (speed-up):  ${(m.first! / m.cached!).toFixed(1)}x   goal >= 10x`);
