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
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = clusterSamples(items.map((x) => ({ name: x.record.name, features: x.record })));
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const truth = items.map((x) => String(x.origin));
const ari = adjustedRandIndex(truth, r.samples.map((s) => s.family));
// Many Wine DLLs are built from one source (d3dx9_24 to _43, msvcr*): the real records' own clusters are the
// fairer truth for whether a perturbed record lands with its origin.
const realClusters = clusterSamples(real.map((x) => ({ name: x.name, features: x })));
const ariReal = adjustedRandIndex(items.map((x) => realClusters.samples[x.origin]!.family), r.samples.map((s) => s.family));
const allPairs = (count * (count - 1)) / 2;
const origins = new Set(truth).size;
console.log(`records: ${count} synthesised from ${origins} Wine records`);
console.log(`clustering: ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU; ${r.stats.candidatePairs} candidate pairs of ${allPairs} (${((100 * r.stats.candidatePairs) / allPairs).toFixed(3)} %), ${r.stats.comparedPairs} scored`);
console.log(`${r.families.length} families (${r.families.filter((f) => f.members.length > 1).length} with 2+ members), ${r.links.length} links`);
console.log(`ARI against origins ${ari.toFixed(3)}; against the origins' own clusters (${new Set(realClusters.samples.map((x) => x.family)).size} among ${real.length} real records) ${ariReal.toFixed(3)}`);
const mem = process.memoryUsage();
console.log(`memory: heap ${(mem.heapUsed / 1048576).toFixed(0)} MiB, rss ${(mem.rss / 1048576).toFixed(0)} MiB`);
