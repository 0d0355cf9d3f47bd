// Benchmarks the bundled detection pack on the Wine corpus: the engine scanning with the pack against Debian's
// yara with the same rules (one thread each), and what the pack costs over a one-rule set, with the ratios.
//
// Usage: node dist/bench/rules.js [--runs N]

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngine } from '../src/detect/load-engine.js';
import { loadRuleSources } from '../src/detect/rules/load.js';
import type { RuleSet } from '../src/detect/engine.js';
import { wineCorpusDir, wineCorpusFiles } from '../test/helpers/corpus.js';
import { PROJECT_ROOT } from '../test/helpers/paths.js';

const PACK_YARA = join(PROJECT_ROOT, 'rules', 'yara');
const MiB = 1024 * 1024;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const runs = Math.max(1, arg('--runs', 3));
const files = wineCorpusFiles();
const data = files.map((f) => readFileSync(f));
const mib = data.reduce((n, b) => n + b.length, 0) / MiB;
const packFiles = readdirSync(PACK_YARA).filter((f) => f.endsWith('.yar')).sort().map((f) => join(PACK_YARA, f));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall ms of one yara process over the corpus, less yara over /dev/null (start-up and compile). */
function yaraMs(): number {
  const run = (target: string): number => {
    const t = performance.now();
    const r = spawnSync('yara', ['-w', '-p', '1', '-r', ...packFiles, target], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`yara failed on ${target}`);
    return performance.now() - t;
  };
  return run(wineCorpusDir()) - run('/dev/null');
}

function scanMs(set: RuleSet): { wall: number; cpu: number; hits: number } {
  let hits = 0;
  const c = process.cpuUsage();
  const t = performance.now();
  for (const b of data) hits += set.scan(b).length;
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000, hits };
}

const engine = await loadEngine('native');
const pack = engine.compile(await loadRuleSources([PACK_YARA]));
const trivial = engine.compile([{ path: 'one.yar', namespace: 'one', text: 'rule One { strings: $a = "FIREBREAK-NO-SUCH-TEXT" condition: $a }' }]);

const yaraRuns: number[] = [];
const packRuns: { wall: number; cpu: number; hits: number }[] = [];
const oneRuns: { wall: number; cpu: number }[] = [];
for (let i = 0; i < runs; i++) {
  // Interleaved, so a change in the machine's load falls on all three alike.
  yaraRuns.push(yaraMs());
  packRuns.push(scanMs(pack));
  oneRuns.push(scanMs(trivial));
}
const yaraVersion = execFileSync('yara', ['--version']).toString().trim();
const packWall = median(packRuns.map((r) => r.wall));
const packCpu = median(packRuns.map((r) => r.cpu));
const oneCpu = median(oneRuns.map((r) => r.cpu));
const y = median(yaraRuns);

console.log(`Wine corpus: ${files.length} files, ${mib.toFixed(1)} MiB in memory; pack: ${pack.ruleCount} rules; ${runs} interleaved runs, medians`);
console.log(`  yara ${yaraVersion} -p 1 (wall, less start-up): ${(y / 1000).toFixed(2)} s, ${(mib / (y / 1000)).toFixed(1)} MiB/s`);
console.log(`  ${engine.name} ${engine.version}, one thread: ${(packWall / 1000).toFixed(2)} s wall, ${(packCpu / 1000).toFixed(2)} s CPU, ${(mib / (packWall / 1000)).toFixed(1)} MiB/s; hits ${packRuns[0]!.hits}`);
console.log(`  ratio engine/yara (wall): ${(packWall / y).toFixed(2)}`);
console.log(`  one-rule set, same engine: ${(oneCpu / 1000).toFixed(2)} s CPU; the pack costs ${(packCpu / oneCpu).toFixed(1)}x a one-rule set`);
pack.dispose();
trivial.dispose();
