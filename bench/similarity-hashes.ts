// Benchmark: TLSH and ssdeep throughput of Firebreak against the Debian reference tools on the Wine corpus.
// Usage: node dist/bench/similarity-hashes.js [--runs N] [--limit FILES]

import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { wineCorpusDir, wineCorpusFiles } from '../test/helpers/corpus.js';
import { tlsh } from '../src/similarity/tlsh.js';
import { ssdeep } from '../src/similarity/ssdeep.js';
import { linkFolder } from '../test/similarity/reference.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const runs = flag('--runs', 3);
const limit = flag('--limit', Infinity);
const all = wineCorpusFiles();
const files = Number.isFinite(limit) ? all.slice(0, limit) : all;
const dir = files.length === all.length ? wineCorpusDir() : linkFolder(files);
const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
const mib = bytes / 1048576;

/** Best wall time of `runs` runs, in seconds. */
function best(fn: () => void): number {
  let t = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

function tool(cmd: string, args: string[]): () => void {
  return () => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}`);
  };
}

// Ours reads each file and hashes it in this process; the tools read and hash in theirs (startup included, once).
const ours = (hash: (b: Uint8Array) => unknown) => () => {
  for (const f of files) hash(readFileSync(f));
};

console.log(`Wine corpus: ${files.length} files, ${mib.toFixed(1)} MiB; best of ${runs} runs`);
const rows: [string, number, number][] = [
  ['TLSH', best(ours(tlsh)), best(tool('tlsh', ['-r', dir]))],
  ['ssdeep', best(ours(ssdeep)), best(tool('ssdeep', ['-s', '-r', dir]))],
];
console.log('hash     firebreak MiB/s   reference MiB/s   ratio (firebreak / reference)');
for (const [name, a, b] of rows) {
  console.log(`${name.padEnd(8)} ${(mib / a).toFixed(1).padStart(15)} ${(mib / b).toFixed(1).padStart(17)}   ${(b / a).toFixed(2)}`);
}
