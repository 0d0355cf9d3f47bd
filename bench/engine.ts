// Benchmarks the detection layer against Debian's yara on the Wine corpus: per-thread scan speed of both yara-x
// engines, compile time for bench.yar and signature-base, and the IOC matcher's speed, each with its ratio.
//
// Usage: node dist/bench/engine.js [--files N] [--runs N] [--skip-wasm] [--skip-sigbase]

import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngine } from '../src/detect/load-engine.js';
import { loadRuleSources } from '../src/detect/rules/load.js';
import { loadIocLists, parseIocList } from '../src/detect/ioc/parse.js';
import { createIocSet } from '../src/detect/ioc/set.js';
import type { IocList } from '../src/detect/ioc/types.js';
import type { EnginePreference, RuleSet, RuleSource } from '../src/detect/engine.js';
import { wineCorpusFiles } from '../test/helpers/corpus.js';
import { ANCHORS_DIR, SHARED_DIR } from '../test/helpers/paths.js';

const BENCH_YAR = join(SHARED_DIR, 'corpus', 'bench.yar');
const SIGBASE = join(ANCHORS_DIR, 'signature-base');
const EXTERNALS = { filename: '', filepath: '', extension: '', filetype: '', owner: '' };
const MiB = 1024 * 1024;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const flag = (name: string): boolean => process.argv.includes(name);

const fileLimit = arg('--files', Infinity);
const runs = Math.max(1, arg('--runs', 1));

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Median wall time in ms of `runs` calls. */
function timeMs(f: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** yara's wall time for one command line, in ms (median of `runs`). */
function yaraMs(args: string[]): number {
  return timeMs(() => {
    const r = spawnSync('yara', args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * MiB });
    if (r.status !== 0) throw new Error(`yara ${args.slice(0, 3).join(' ')}... failed: ${r.stderr.toString().slice(0, 300)}`);
  });
}

const files = wineCorpusFiles().slice(0, fileLimit);
const data = files.map((f) => readFileSync(f));
const totalBytes = data.reduce((n, b) => n + b.length, 0);
const mib = totalBytes / MiB;
const corpusDir = files.length === wineCorpusFiles().length ? join(files[0]!, '..') : undefined;
const yaraVersion = execFileSync('yara', ['--version']).toString().trim();

console.log(`Wine corpus: ${files.length} files, ${mib.toFixed(1)} MiB (read into memory first); ${runs} run(s) each, median`);
console.log(`yara ${yaraVersion} (Debian), one thread (-p 1)\n`);

// yara: the whole process over the corpus, less the same process over an empty file (its compile and start-up).
const emptyTarget = '/dev/null';
const yaraTargets = corpusDir ? ['-r', corpusDir] : files;
const yaraStartMs = yaraMs(['-w', BENCH_YAR, emptyTarget]);
const yaraScanMs = corpusDir
  ? yaraMs(['-w', '-p', '1', BENCH_YAR, ...yaraTargets]) - yaraStartMs
  : files.reduce((n, f) => n + yaraMs(['-w', BENCH_YAR, f]) - yaraStartMs, 0);
const yaraRate = mib / (yaraScanMs / 1000);

console.log('Scan, bench.yar (57 rules), one thread');
console.log(`  ${'engine'.padEnd(26)}${'compile'.padStart(10)}${'scan'.padStart(10)}${'MiB/s'.padStart(9)}${'vs yara'.padStart(10)}`);
console.log(`  ${`yara ${yaraVersion}`.padEnd(26)}${seconds(yaraStartMs).padStart(10)}${seconds(yaraScanMs).padStart(10)}${yaraRate.toFixed(1).padStart(9)}${'1.00'.padStart(10)}`);

const benchSources = await loadRuleSources([BENCH_YAR]);
const engines: EnginePreference[] = flag('--skip-wasm') ? ['native'] : ['native', 'wasm'];
const available: EnginePreference[] = [];
for (const pref of engines) {
  let engine;
  try {
    engine = await loadEngine(pref);
  } catch (e) {
    console.log(`  ${pref}: not available here (${e instanceof Error ? e.message : String(e)})`);
    continue;
  }
  available.push(pref);
  const rs = engine.compile(benchSources);
  let hits = 0;
  const scanMs = timeMs(() => {
    hits = 0;
    for (const b of data) hits += rs.scan(b).length;
  });
  const rate = mib / (scanMs / 1000);
  console.log(
    `  ${engine.version.padEnd(26)}${seconds(rs.compileMs).padStart(10)}${seconds(scanMs).padStart(10)}${rate.toFixed(1).padStart(9)}${(rate / yaraRate).toFixed(2).padStart(10)}   (${hits} hits)`,
  );
  rs.dispose();
}

if (!flag('--skip-sigbase')) {
  const sigFiles = readdirSync(join(SIGBASE, 'yara'))
    .filter((n) => /\.yara?$/.test(n))
    .sort()
    .map((n) => join(SIGBASE, 'yara', n));
  const defines = Object.keys(EXTERNALS).flatMap((k) => ['-d', `${k}=`]);
  const yaraCompileMs = yaraMs(['-w', ...defines, ...sigFiles, emptyTarget]);
  console.log(`\nCompile, signature-base (${sigFiles.length} files), with externals ${Object.keys(EXTERNALS).join(', ')}`);
  console.log(`  ${`yara ${yaraVersion}`.padEnd(26)}${seconds(yaraCompileMs).padStart(10)}${'1.00'.padStart(10)}`);
  const sigSources: RuleSource[] = await loadRuleSources([join(SIGBASE, 'yara')]);
  for (const pref of available) {
    const engine = await loadEngine(pref);
    let rs: RuleSet | undefined;
    const ms = timeMs(() => {
      rs?.dispose();
      rs = engine.compile(sigSources, { externals: EXTERNALS, skipBadRules: true });
    });
    console.log(
      `  ${engine.version.padEnd(26)}${seconds(ms).padStart(10)}${(ms / yaraCompileMs).toFixed(2).padStart(10)}   (${rs!.ruleCount} rules, ${rs!.warnings.length} warnings, ${rs!.skipped.length} files skipped)`,
    );
    rs!.dispose();
  }
}

// IOC matcher: the signature-base lists as they are, plus a content list from its keywords.txt.
const iocDir = join(SIGBASE, 'iocs');
const lists: IocList[] = await loadIocLists(['hash-iocs.txt', 'filename-iocs.txt', 'c2-iocs.txt'].map((f) => join(iocDir, f)));
const keywords = readFileSync(join(iocDir, 'keywords.txt'), 'utf8')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l.length >= 4 && !l.startsWith('#'))
  .map((l) => `string:${l.replace(/\\/g, '\\\\').replace(/;/g, '\\;')}`);
lists.push(parseIocList(keywords.join('\n'), 'keywords (string:)', 'firebreak'));
const iocs = createIocSet(lists);
const contentCount = lists.reduce((n, l) => n + l.indicators.filter((i) => ['string', 'domain', 'ip'].includes(i.type)).length, 0);
const hashes = { md5: '0'.repeat(32), sha1: '0'.repeat(40), sha256: '0'.repeat(64) };
let iocHits = 0;
const iocMs = timeMs(() => {
  iocHits = 0;
  files.forEach((f, i) => (iocHits += iocs.match({ path: f, ...hashes, bytes: data[i] }).length));
});
const namesMs = timeMs(() => {
  for (const f of files) iocs.match({ path: f, ...hashes });
});
const iocRate = mib / (iocMs / 1000);
console.log(
  `\nIOC matcher: ${iocs.count} indicators (${contentCount} searched in contents, ASCII and UTF-16LE), one thread`,
);
console.log(`  all checks, content included: ${seconds(iocMs)}, ${iocRate.toFixed(1)} MiB/s, ${(iocRate / yaraRate).toFixed(2)}x yara's bench.yar scan (${iocHits} hits)`);
console.log(`  hashes, names and paths only: ${((namesMs * 1000) / files.length).toFixed(0)} µs per file`);

// The road not taken: the same content indicators as a generated YARA rule set on the native engine.
if (available.includes('native')) {
  const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const content = lists.flatMap((l) => l.indicators.filter((i) => ['string', 'domain', 'ip'].includes(i.type)));
  const text = `rule content {\n strings:\n${content
    .map((ind, k) => `  $c${k} = "${esc(ind.value.replace(/\\;/g, ';'))}" ascii wide${ind.type === 'domain' ? ' nocase' : ''}`)
    .join('\n')}\n condition: any of them\n}\n`;
  const rs = (await loadEngine('native')).compile([{ path: 'generated', namespace: 'ioc', text }], { maxMatchesPerPattern: 1000 });
  const genMs = timeMs(() => {
    for (const b of data) rs.scan(b);
  });
  const genRate = mib / (genMs / 1000);
  const ac = lists.flatMap((l) => l.indicators.filter((i) => ['string', 'domain', 'ip'].includes(i.type)));
  const acSet = createIocSet([{ name: 'content', format: 'firebreak', indicators: ac, warnings: [] }]);
  const acMs = timeMs(() => {
    data.forEach((b) => acSet.match({ path: '', ...hashes, bytes: b }));
  });
  const acRate = mib / (acMs / 1000);
  console.log(
    `  content only: Aho-Corasick ${acRate.toFixed(1)} MiB/s vs the same as generated YARA on native yara-x ${genRate.toFixed(1)} MiB/s (ratio ${(acRate / genRate).toFixed(2)})`,
  );
  rs.dispose();
}

