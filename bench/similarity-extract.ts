// Benchmark: similarity feature extraction over the whole Wine corpus (files/s), fuzzy hashes only vs everything,
// and the records cached for the index and cluster benchmarks.
// Usage: node dist/bench/similarity-extract.js

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { wineCorpusFiles } from '../test/helpers/corpus.js';
import { extractFeatures } from '../src/similarity/features.js';
import { extractWine } from './similarity-records.js';

const files = wineCorpusFiles();
let bytes = 0;
const t0 = performance.now();
for (const f of files) {
  const data = readFileSync(f);
  bytes += data.length;
  extractFeatures(data, { name: basename(f), code: false });
}
const fuzzyOnly = (performance.now() - t0) / 1000;
const { records, figures } = extractWine((done, total) => {
  if (done % 50 === 0 || done === total) process.stderr.write(`\r${done}/${total}`);
});
process.stderr.write('\n');
const mib = bytes / 1048576;
const fns = records.reduce((n, r) => n + r.functions.length, 0);
const strs = records.reduce((n, r) => n + r.strings.length, 0);
console.log(`Wine corpus: ${files.length} files, ${mib.toFixed(1)} MiB`);
console.log(`without code (TLSH, ssdeep, PE hashes, strings): ${fuzzyOnly.toFixed(1)} s, ${(files.length / fuzzyOnly).toFixed(1)} files/s, ${(mib / fuzzyOnly).toFixed(1)} MiB/s`);
console.log(`all features (with function recovery and hashes): ${figures.seconds.toFixed(1)} s, ${(files.length / figures.seconds).toFixed(2)} files/s, ${(mib / figures.seconds).toFixed(2)} MiB/s`);
console.log(`ratio (all / without code): ${(figures.seconds / fuzzyOnly).toFixed(1)}x the time`);
console.log(`per file: ${(fns / files.length).toFixed(0)} function hashes, ${(strs / files.length).toFixed(0)} strings kept`);
