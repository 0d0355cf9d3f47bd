// Benchmark: `firebreak triage --capa-rules` with capa's corpus parsed afresh (--no-cache) against the same with the
// parsed rules read from the per-user rule cache (warmed first), taking turns; medians of whole processes and the
// ratio per pair. The file is a small pack example, so the rules' start-up is what is measured.
// Usage: node dist/bench/triage-rules.js [runs] [FILE]   (default 7 runs, examples/flame/.../flame-mutexes.exe)

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANCHORS_DIR, PROJECT_ROOT } from '../test/helpers/paths.js';
import { median, timedProcess, type ProcessTime } from './process-time.js';

const runs = Math.max(1, Number(process.argv[2] ?? 7));
const file = process.argv[3] ?? join(PROJECT_ROOT, 'examples', 'flame', 'Flame_Mutex_Format_Strings', 'flame-mutexes.exe');
const bin = join(PROJECT_ROOT, 'bin', 'firebreak.js');
const home = mkdtempSync(join(tmpdir(), 'fb-rule-cache-'));
process.env.XDG_CACHE_HOME = home;
const args = (...extra: string[]): string[] => [bin, 'triage', '--capa-rules', join(ANCHORS_DIR, 'capa-rules'), ...extra, file];

try {
  timedProcess('warm-up', process.execPath, args());
  const fresh: ProcessTime[] = [];
  const cached: ProcessTime[] = [];
  const loadBefore = loadavg()[0]!;
  for (let i = 0; i < runs; i++) {
    fresh.push(timedProcess('--no-cache', process.execPath, args('--no-cache')));
    cached.push(timedProcess('cached', process.execPath, args()));
  }
  const m = (xs: ProcessTime[], f: (t: ProcessTime) => number): number => median(xs.map(f));
  console.log(`triage --capa-rules (capa's corpus) of ${file}, ${runs} pairs, load average ${loadBefore.toFixed(1)} to ${loadavg()[0]!.toFixed(1)}`);
  for (const [label, xs] of [['parsed afresh (--no-cache)', fresh], ['from the rule cache', cached]] as const) {
    console.log(`  ${label.padEnd(28)} wall ${m(xs, (t) => t.wall).toFixed(3)} s   cpu ${m(xs, (t) => t.cpu).toFixed(3)} s`);
  }
  const ratio = (f: (t: ProcessTime) => number): number => median(cached.map((c, i) => f(c) / f(fresh[i]!)));
  console.log(`  cached / afresh: ${ratio((t) => t.cpu).toFixed(2)} by CPU, ${ratio((t) => t.wall).toFixed(2)} by wall`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
