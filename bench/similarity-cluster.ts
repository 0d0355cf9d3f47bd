// Benchmark: clustering 10,000 synthetic feature records (perturbed Wine records) with LSH candidates, never all
// pairs (target <= 60 s), with the adjusted Rand index against the records' origins.
// Usage: node dist/bench/similarity-cluster.js [--records N]

import { clusterSamples } from '../src/similarity/cluster.js';
import { adjustedRandIndex } from '../test/similarity/metrics.js';
import { synthesize, wineRecords } from './similarity-records.js';

const i = process.argv.indexOf('--records');
const count = i >= 0 ? Number(process.argv[i + 1]) : 10_000;
const { records: real } = wineRecords();
const items = [...synthesize(real, count, 7)];
const t0 = performance.now();
const r = clusterSamples(items.map((x) => ({ name: x.record.name, features: x.record })));
const seconds = (performance.now() - t0) / 1000;
const truth = items.map((x) => String(x.origin));
const ari = adjustedRandIndex(truth, r.samples.map((s) => s.family));
const allPairs = (count * (count - 1)) / 2;
const origins = new Set(truth).size;
console.log(`records: ${count} synthesised from ${origins} Wine records`);
console.log(`clustering: ${seconds.toFixed(1)} s; ${r.stats.candidatePairs} candidate pairs scored of ${allPairs} pairs (${((100 * r.stats.candidatePairs) / allPairs).toFixed(3)} %)`);
console.log(`${r.families.length} families (${r.families.filter((f) => f.members.length > 1).length} with 2+ members), ${r.links.length} links; ARI against origins ${ari.toFixed(3)}`);
const mem = process.memoryUsage();
console.log(`memory: heap ${(mem.heapUsed / 1048576).toFixed(0)} MiB, rss ${(mem.rss / 1048576).toFixed(0)} MiB`);
