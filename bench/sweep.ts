// Benchmark: `firebreak sweep --jobs 2` (native and WASM engines) against `yara -r -p 2` on the Wine corpus with
// bench.yar (every file matches, so every file is reported and hashed), the same pair with the bundled pack's YARA
// rules (no file matches, so no file is hashed; with a new cache, only sha256), a cached re-sweep against the first sweep, and where the sweep's CPU
// time goes (engine scan, hashing, the rest). The contenders take turns within each round; every ratio is taken within a round and the median over
// rounds printed, with wall and CPU time (user + system, from /usr/bin/time) of each whole process.
// Usage: node dist/bench/sweep.js [runs] [--skip-wasm]   (default 3 runs)

import { mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from '../src/detect/load-engine.js';
import { loadRuleSources } from '../src/detect/rules/load.js';
import { hashBytes } from '../src/sweep/hashes.js';
import { defaultExternals } from '../src/sweep/steps/yara.js';
import { wineCorpusDir } from '../test/helpers/corpus.js';
import { PROJECT_ROOT, SHARED_DIR } from '../test/helpers/paths.js';
import { median, timedProcess as timed, type ProcessTime as Sample } from './process-time.js';

const runs = Math.max(1, Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 3));
const skipWasm = process.argv.includes('--skip-wasm');
const corpus = wineCorpusDir();
const rules = join(SHARED_DIR, 'corpus', 'bench.yar');
const packDir = join(PROJECT_ROOT, 'rules', 'yara');
const packRules = readdirSync(packDir).filter((f) => f.endsWith('.yar')).sort().map((f) => join(packDir, f));
const bin = join(PROJECT_ROOT, 'bin', 'firebreak.js');
// What the sweep reads: the corpus's files (not its hidden build stamp).
const names = readdirSync(corpus).filter((f) => !f.startsWith('.')).sort();
const mib = names.reduce((n, f) => n + statSync(join(corpus, f)).size, 0) / 1048576;
const dir = mkdtempSync(join(tmpdir(), 'fb-bench-'));

/** CPU seconds of an in-process call (this process has one busy thread while it runs). */
function cpuOf(f: () => void): number {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1e6;
}

const sweepArgs = (...extra: string[]): string[] => [bin, 'sweep', '--jobs', '2', '--rules', rules, '--format', 'ndjson', '--no-progress', ...extra, corpus];
const packArgs = (...extra: string[]): string[] => [bin, 'sweep', '--jobs', '2', '--rules', packDir, '--format', 'ndjson', '--no-progress', ...extra, corpus];

type Contender = [key: string, label: string, run: (round: number) => Sample];
const contenders: Contender[] = [
  ['yara', 'yara -r -p 2', () => timed('yara', 'yara', ['-r', '-p', '2', rules, corpus])],
  ['native', 'firebreak sweep --jobs 2 (native)', () => timed('native', process.execPath, sweepArgs('--no-cache'))],
  ['pe', '  the same, --pe-summary findings', () => timed('pe', process.execPath, sweepArgs('--no-cache', '--pe-summary', 'findings'))],
  ['yara-pack', "yara -r -p 2 (the pack's YARA rules)", () => timed('yara-pack', 'yara', ['-r', '-p', '2', ...packRules, corpus])],
  ['pack', '  firebreak sweep, the same rules', () => timed('pack', process.execPath, packArgs('--no-cache'))],
  ['pack-cache', '  the same, new cache (default)', (i) => timed('pack-cache', process.execPath, packArgs('--cache', join(dir, `pack-cache-${i}.sqlite`)))],
  ...(skipWasm ? [] : [['wasm', 'firebreak sweep --jobs 2 (wasm)', () => timed('wasm', process.execPath, sweepArgs('--no-cache', '--engine', 'wasm'))] as Contender]),
  ['first', 'first sweep, empty cache', (i) => timed('first', process.execPath, sweepArgs('--cache', join(dir, `cache-${i}.sqlite`)))],
  ['cached', 'second sweep, same cache', (i) => timed('cached', process.execPath, sweepArgs('--cache', join(dir, `cache-${i}.sqlite`)))],
];

// In-process, one thread: the sweep's three big costs over the same bytes, as the sweep's worker pays them.
const engine = await loadEngine('native');
const set = engine.compile(await loadRuleSources([rules]), { externals: defaultExternals() });

const loadBefore = loadavg()[0]!;
const times = new Map<string, Sample[]>(contenders.map(([k]) => [k, []]));
const phases = { read: [] as number[], hash: [] as number[], scan: [] as number[] };
try {
  for (let i = 0; i < runs; i++) {
    for (const [key, , run] of contenders) times.get(key)!.push(run(i));
    let data: Buffer[] = [];
    phases.read.push(cpuOf(() => (data = names.map((f) => readFileSync(join(corpus, f))))));
    phases.hash.push(cpuOf(() => data.forEach((b) => hashBytes(b))));
    phases.scan.push(cpuOf(() => data.forEach((b) => set.scan(b))));
  }
} finally {
  set.dispose();
  rmSync(dir, { recursive: true, force: true });
}
const loadAfter = loadavg()[0]!;

const of = (key: string): Sample[] => times.get(key)!;
/** Per-round ratio, then the median. */
const ratio = (a: string, b: string, f: (s: Sample) => number): number => median(of(a).map((x, i) => f(of(b)[i]!) / f(x)));

console.log(`Wine corpus: ${names.length} files, ${mib.toFixed(1)} MiB, bench.yar, ${runs} rounds, medians of whole processes`);
console.log(`load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${engine.version}\n`);
console.log(`  ${'run'.padEnd(36)}${'wall'.padStart(8)}${'cpu'.padStart(8)}${'MiB/s'.padStart(9)}`);
for (const [key, label] of contenders) {
  const w = median(of(key).map((s) => s.wall));
  const c = median(of(key).map((s) => s.cpu));
  console.log(`  ${label.padEnd(36)}${`${w.toFixed(2)} s`.padStart(8)}${`${c.toFixed(2)} s`.padStart(8)}${(mib / w).toFixed(1).padStart(9)}`);
}
const wall = (s: Sample): number => s.wall;
const cpu = (s: Sample): number => s.cpu;
console.log(`\nnative vs yara -r -p 2 (throughput): ${ratio('native', 'yara', wall).toFixed(2)}x by wall, ${ratio('native', 'yara', cpu).toFixed(2)}x by CPU   goal >= 1.0x`);
console.log(`  with --pe-summary findings:        ${ratio('pe', 'yara', wall).toFixed(2)}x by wall, ${ratio('pe', 'yara', cpu).toFixed(2)}x by CPU`);
console.log(`the pack's rules, no file hashed:    ${ratio('pack', 'yara-pack', wall).toFixed(2)}x by wall, ${ratio('pack', 'yara-pack', cpu).toFixed(2)}x by CPU`);
console.log(`  with a new cache (sha256 only):    ${ratio('pack-cache', 'yara-pack', wall).toFixed(2)}x by wall, ${ratio('pack-cache', 'yara-pack', cpu).toFixed(2)}x by CPU`);
if (!skipWasm) console.log(`wasm vs yara -r -p 2 (throughput):   ${ratio('wasm', 'yara', wall).toFixed(2)}x by wall, ${ratio('wasm', 'yara', cpu).toFixed(2)}x by CPU`);
console.log(`cached vs first (speed-up):          ${ratio('cached', 'first', wall).toFixed(1)}x by wall, ${ratio('cached', 'first', cpu).toFixed(1)}x by CPU   goal >= 10x`);

const total = median(of('native').map(cpu));
const read = median(phases.read);
const hash = median(phases.hash);
const scan = median(phases.scan);
const rest = total - read - hash - scan;
const share = (x: number): string => `${x.toFixed(2)} s ${`(${Math.round((100 * x) / total)} %)`.padStart(7)}`;
console.log(`\nCPU of the native sweep by phase (each phase timed alone on one thread over the same bytes; the rest is what is left)`);
console.log(`  engine scan (yara-x)        ${share(scan)}`);
// Every file matches bench.yar, so every file is reported and gets all three hashes (a file nothing reports gets
// only those its IOC lists need, and all three with a cache or --all).
console.log(`  md5 + sha1 + sha256         ${share(hash)}   every file: each is reported`);
console.log(`  reading the files           ${share(read)}`);
console.log(`  the rest                    ${share(rest)}   start-up, compile, workers' protocol, main thread, PE summaries`);
console.log(`  whole process               ${total.toFixed(2)} s;  yara -r -p 2: ${median(of('yara').map(cpu)).toFixed(2)} s`);
