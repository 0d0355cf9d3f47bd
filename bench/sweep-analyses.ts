// Benchmark: what --capabilities and --db (the bundled similarity database) add to a sweep of the Wine corpus with
// the bundled pack, against the plain sweep and `yara -r -p 2` with the pack's YARA rules. The contenders take turns
// within each round; each figure is the median over rounds of whole processes (wall, and CPU = user + system), and
// the extra CPU per PE file is (CPU with the option - CPU without) / PE files.
// Usage: node dist/bench/sweep-analyses.js [runs]   (default 2)

import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { wineCorpusDir } from '../test/helpers/corpus.js';
import { PROJECT_ROOT } from '../test/helpers/paths.js';
import { median, timedProcess, type ProcessTime } from './process-time.js';

const runs = Math.max(1, Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2));
const corpus = wineCorpusDir();
const bin = join(PROJECT_ROOT, 'bin', 'firebreak.js');
const names = readdirSync(corpus).filter((f) => !f.startsWith('.'));
const peFiles = names.filter((f) => readFileSync(join(corpus, f)).subarray(0, 2).toString('latin1') === 'MZ').length;
const yaraRules = readdirSync(join(PROJECT_ROOT, 'rules', 'yara')).filter((f) => f.endsWith('.yar')).map((f) => join(PROJECT_ROOT, 'rules', 'yara', f));

const sweep = (...extra: string[]) => () => timedProcess(extra.join(' ') || 'sweep', process.execPath, [bin, 'sweep', '--jobs', '2', '--no-cache', '--no-progress', '--format', 'ndjson', ...extra, corpus]);
const contenders: [key: string, label: string, run: () => ProcessTime][] = [
  ['yara', 'yara -r -p 2 (the pack\'s YARA rules)', () => timedProcess('yara', 'yara', ['-r', '-p', '2', ...yaraRules, corpus])],
  ['plain', 'firebreak sweep --jobs 2', sweep()],
  ['caps', '  --capabilities', sweep('--capabilities')],
  ['db', '  --db rules/similarity.db', sweep('--db', join(PROJECT_ROOT, 'rules', 'similarity.db'))],
  ['both', '  --capabilities --db rules/similarity.db', sweep('--capabilities', '--db', join(PROJECT_ROOT, 'rules', 'similarity.db'))],
];

const loadBefore = loadavg()[0]!;
const times = new Map<string, ProcessTime[]>(contenders.map(([k]) => [k, []]));
for (let i = 0; i < runs; i++) for (const [key, , run] of contenders) times.get(key)!.push(run());
const loadAfter = loadavg()[0]!;

const of = (key: string, f: (t: ProcessTime) => number): number => median(times.get(key)!.map(f));
const cpu = (t: ProcessTime): number => t.cpu;
const wall = (t: ProcessTime): number => t.wall;
console.log(`Wine corpus: ${names.length} files (${peFiles} PE), bundled pack, ${runs} rounds, medians of whole processes`);
console.log(`load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after\n`);
console.log(`  ${'run'.padEnd(44)}${'wall'.padStart(9)}${'cpu'.padStart(9)}${'x plain cpu'.padStart(13)}${'extra cpu/PE'.padStart(14)}`);
for (const [key, label] of contenders) {
  const extra = key === 'yara' || key === 'plain' ? '' : `${(((of(key, cpu) - of('plain', cpu)) / peFiles) * 1000).toFixed(1)} ms`;
  console.log(
    `  ${label.padEnd(44)}${`${of(key, wall).toFixed(2)} s`.padStart(9)}${`${of(key, cpu).toFixed(2)} s`.padStart(9)}` +
      `${(of(key, cpu) / of('plain', cpu)).toFixed(2).padStart(13)}${extra.padStart(14)}`,
  );
}
console.log(`\nplain sweep vs yara -r -p 2: ${(of('yara', wall) / of('plain', wall)).toFixed(2)}x by wall, ${(of('yara', cpu) / of('plain', cpu)).toFixed(2)}x by CPU (throughput)`);
