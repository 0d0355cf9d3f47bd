// Benchmarks the detection layer against Debian's yara on the Wine corpus: per-thread scan speed of both yara-x
// engines, compile time for bench.yar and signature-base (and, for the native engine, what serializing the compiled
// set and loading it in another thread cost instead), and the IOC matcher's speed, each with its ratio.
//
// Usage: node dist/bench/engine.js [--runs N] [--files N] [--skip-wasm] [--skip-sigbase]
//
// The contenders run in turn within each round and every ratio is taken within a round, then the median over
// rounds is printed, so a machine whose load drifts still gives fair ratios. CPU time (user + system; for yara
// from /usr/bin/time) is printed beside wall time: on a shared machine it is the steadier of the two.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from '../src/detect/load-engine.js';
import { loadRuleSources } from '../src/detect/rules/load.js';
import { loadIocLists, parseIocList } from '../src/detect/ioc/parse.js';
import { createIocSet } from '../src/detect/ioc/set.js';
import type { IocList } from '../src/detect/ioc/types.js';
import type { EnginePreference, RuleSet, RuleSource, SerializedRuleSet, YaraEngine } from '../src/detect/engine.js';
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
const rounds = Math.max(1, arg('--runs', 3));

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Wall and CPU time of an in-process call. */
function measure(f: () => void): Sample {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const wallMs = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wallMs, cpuMs: (d.user + d.system) / 1000 };
}

const timeDir = mkdtempSync(join(tmpdir(), 'fb-bench-'));
const timeFile = join(timeDir, 'time');

/** Wall and CPU time of one yara process, from /usr/bin/time. */
function measureYara(args: string[]): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %e', '-o', timeFile, 'yara', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * MiB,
  });
  if (r.status !== 0) throw new Error(`yara ${args.slice(0, 3).join(' ')}... failed: ${r.stderr.toString().slice(0, 300)}`);
  const [user, sys, wall] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
  return { wallMs: wall! * 1000, cpuMs: (user! + sys!) * 1000 };
}

function minus(a: Sample, b: Sample): Sample {
  return { wallMs: Math.max(1, a.wallMs - b.wallMs), cpuMs: Math.max(1, a.cpuMs - b.cpuMs) };
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const col = (x: string, w: number): string => x.padStart(w);

const allFiles = wineCorpusFiles();
const limit = arg('--files', allFiles.length);
const files = allFiles.slice(0, limit);
const data = files.map((f) => readFileSync(f));
const mib = data.reduce((n, b) => n + b.length, 0) / MiB;
const yaraVersion = execFileSync('yara', ['--version']).toString().trim();

// yara walks a folder itself; with --files, a folder of symlinks to the chosen files stands in for the corpus.
let corpusDir = join(files[0]!, '..');
if (files.length < allFiles.length) {
  corpusDir = join(timeDir, 'corpus');
  execFileSync('mkdir', [corpusDir]);
  for (const f of files) execFileSync('ln', ['-s', f, join(corpusDir, f.split('/').pop()!)]);
}

console.log(`Wine corpus: ${files.length} files, ${mib.toFixed(1)} MiB, read into memory first; ${rounds} rounds, medians`);
console.log(`yara ${yaraVersion} (Debian), one thread (-p 1); its scan time is the whole process less one over /dev/null\n`);

const engines: { pref: EnginePreference; engine: YaraEngine }[] = [];
for (const pref of (flag('--skip-wasm') ? ['native'] : ['native', 'wasm']) as EnginePreference[]) {
  try {
    engines.push({ pref, engine: await loadEngine(pref) });
  } catch (e) {
    console.log(`${pref}: not available here (${e instanceof Error ? e.message : String(e)})`);
  }
}

// ---- scan, bench.yar
const benchSources = await loadRuleSources([BENCH_YAR]);
const benchSets = engines.map(({ engine }) => engine.compile(benchSources));
const scanRows = new Map<string, { compileMs: number[]; cpuRate: number[]; wallRate: number[]; cpuRatio: number[]; wallRatio: number[]; hits: number }>();
const row = (name: string) => {
  let r = scanRows.get(name);
  if (!r) scanRows.set(name, (r = { compileMs: [], cpuRate: [], wallRate: [], cpuRatio: [], wallRatio: [], hits: 0 }));
  return r;
};
const yaraName = `yara ${yaraVersion}`;
for (let round = 0; round < rounds; round++) {
  const start = measureYara(['-w', BENCH_YAR, '/dev/null']);
  const yara = minus(measureYara(['-w', '-p', '1', '-r', BENCH_YAR, corpusDir]), start);
  const y = row(yaraName);
  y.compileMs.push(start.wallMs);
  y.cpuRate.push(mib / (yara.cpuMs / 1000));
  y.wallRate.push(mib / (yara.wallMs / 1000));
  y.cpuRatio.push(1);
  y.wallRatio.push(1);
  benchSets.forEach((rs, k) => {
    let hits = 0;
    const t = measure(() => {
      for (const b of data) hits += rs.scan(b).length;
    });
    const r = row(engines[k]!.engine.version);
    r.compileMs.push(rs.compileMs);
    r.cpuRate.push(mib / (t.cpuMs / 1000));
    r.wallRate.push(mib / (t.wallMs / 1000));
    r.cpuRatio.push(yara.cpuMs / t.cpuMs);
    r.wallRatio.push(yara.wallMs / t.wallMs);
    r.hits = hits;
  });
}
for (const rs of benchSets) rs.dispose();
console.log('Scan, bench.yar (57 rules), one thread');
console.log(`  ${'engine'.padEnd(36)}${col('compile', 9)}${col('MiB/s cpu', 11)}${col('vs yara', 9)}${col('MiB/s wall', 12)}${col('vs yara', 9)}`);
for (const [name, r] of scanRows) {
  console.log(
    `  ${name.padEnd(36)}${col(s(median(r.compileMs)), 9)}${col(median(r.cpuRate).toFixed(1), 11)}${col(median(r.cpuRatio).toFixed(2), 9)}${col(median(r.wallRate).toFixed(1), 12)}${col(median(r.wallRatio).toFixed(2), 9)}${r.hits ? `   ${r.hits} hits` : ''}`,
  );
}

// ---- compile, signature-base
if (!flag('--skip-sigbase')) {
  const sigFiles = readdirSync(join(SIGBASE, 'yara'))
    .filter((n) => /\.yara?$/.test(n))
    .sort()
    .map((n) => join(SIGBASE, 'yara', n));
  const defines = Object.keys(EXTERNALS).flatMap((k) => ['-d', `${k}=`]);
  const sigSources: RuleSource[] = await loadRuleSources([join(SIGBASE, 'yara')]);
  const rowsC = new Map<string, { wall: number[]; cpu: number[]; ratio: number[]; note: string }>();
  for (let round = 0; round < rounds; round++) {
    const y = measureYara(['-w', ...defines, ...sigFiles, '/dev/null']);
    const yr = rowsC.get(yaraName) ?? { wall: [], cpu: [], ratio: [], note: '' };
    rowsC.set(yaraName, yr);
    yr.wall.push(y.wallMs);
    yr.cpu.push(y.cpuMs);
    yr.ratio.push(1);
    for (const { engine } of engines) {
      let rs: RuleSet | undefined;
      const t = measure(() => (rs = engine.compile(sigSources, { externals: EXTERNALS, skipBadRules: true })));
      const note = `${rs!.ruleCount} rules, ${rs!.warnings.length} warnings, ${rs!.skipped.length} files skipped`;
      const r = rowsC.get(engine.version) ?? { wall: [], cpu: [], ratio: [], note };
      rowsC.set(engine.version, r);
      r.wall.push(t.wallMs);
      r.cpu.push(t.cpuMs);
      r.ratio.push(t.cpuMs / y.cpuMs);
      if (!engine.deserialize) {
        rs!.dispose();
        continue;
      }
      // What a sweep's worker pays instead of compiling: loading the set the main thread serialized.
      let data: SerializedRuleSet | undefined;
      const ser = measure(() => (data = rs!.serialize()));
      rs!.dispose();
      const load = measure(() => engine.deserialize!(data!).dispose());
      for (const [name, m, note] of [
        ['  serialize', ser, `${(data!.bytes.length / MiB).toFixed(1)} MiB`],
        ['  load from bytes (per worker)', load, ''],
      ] as const) {
        const x = rowsC.get(name) ?? { wall: [], cpu: [], ratio: [], note };
        rowsC.set(name, x);
        x.wall.push(m.wallMs);
        x.cpu.push(m.cpuMs);
        x.ratio.push(m.cpuMs / y.cpuMs);
      }
    }
  }
  console.log(`\nCompile, signature-base (${sigFiles.length} files), externals ${Object.keys(EXTERNALS).join(', ')}`);
  console.log(`  ${'engine'.padEnd(36)}${col('wall', 9)}${col('cpu', 9)}${col('cpu vs yara', 13)}`);
  for (const [name, r] of rowsC) {
    console.log(`  ${name.padEnd(36)}${col(s(median(r.wall)), 9)}${col(s(median(r.cpu)), 9)}${col(`${median(r.ratio).toFixed(2)}x`, 13)}${r.note ? `   ${r.note}` : ''}`);
  }
}

// ---- IOC matcher: signature-base's lists as they are, plus its keywords.txt as a content list.
const iocDir = join(SIGBASE, 'iocs');
const lists: IocList[] = await loadIocLists(['hash-iocs.txt', 'filename-iocs.txt', 'c2-iocs.txt'].map((f) => join(iocDir, f)));
const keywords = readFileSync(join(iocDir, 'keywords.txt'), 'utf8')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l.length >= 4 && !l.startsWith('#'))
  .map((l) => `string:${l.replace(/\\/g, '\\\\').replace(/;/g, '\\;')}`);
lists.push(parseIocList(keywords.join('\n'), 'keywords (string:)', 'firebreak'));
const iocs = createIocSet(lists);
const isContent = (t: string): boolean => t === 'string' || t === 'domain' || t === 'ip';
const content = lists.flatMap((l) => l.indicators.filter((i) => isContent(i.type)));
const contentOnly = createIocSet([{ name: 'content', format: 'firebreak', indicators: content, warnings: [] }]);
const hashes = { md5: '0'.repeat(32), sha1: '0'.repeat(40), sha256: '0'.repeat(64) };

// The road not taken: the same content indicators as a generated YARA rule set on the native engine.
const native = engines.find((e) => e.pref === 'native')?.engine;
const esc = (t: string): string => t.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const generated = native?.compile(
  [
    {
      path: 'generated',
      namespace: 'ioc',
      text: `rule content {\n strings:\n${content
        .map((ind, k) => `  $c${k} = "${esc(ind.value.replace(/\\;/g, ';'))}" ascii wide${ind.type === 'domain' ? ' nocase' : ''}`)
        .join('\n')}\n condition: any of them\n}\n`,
    },
  ],
  { maxMatchesPerPattern: 1000 },
);
const all: number[] = [];
const names: number[] = [];
const ac: number[] = [];
const gen: number[] = [];
let iocHits = 0;
for (let round = 0; round < rounds; round++) {
  all.push(
    measure(() => {
      iocHits = 0;
      files.forEach((f, i) => (iocHits += iocs.match({ path: f, ...hashes, bytes: data[i] }).length));
    }).cpuMs,
  );
  names.push(measure(() => files.forEach((f) => iocs.match({ path: f, ...hashes }))).cpuMs);
  ac.push(measure(() => data.forEach((b) => contentOnly.match({ path: '', ...hashes, bytes: b }))).cpuMs);
  if (generated) gen.push(measure(() => data.forEach((b) => generated.scan(b))).cpuMs);
}
generated?.dispose();
const rate = (cpuMs: number): string => (mib / (cpuMs / 1000)).toFixed(1);
console.log(`\nIOC matcher: ${iocs.count} indicators, ${content.length} of them searched in contents (ASCII and UTF-16LE), one thread, CPU time`);
console.log(`  every check, contents included     ${col(rate(median(all)), 7)} MiB/s   (${iocHits} hits)`);
console.log(`  hashes, names and paths only       ${col(((median(names) * 1000) / files.length).toFixed(0), 7)} µs per file`);
console.log(`  contents only, Aho-Corasick        ${col(rate(median(ac)), 7)} MiB/s`);
if (gen.length) {
  const ratios = ac.map((a, k) => gen[k]! / a);
  console.log(`  contents only, as generated YARA   ${col(rate(median(gen)), 7)} MiB/s   (Aho-Corasick ${median(ratios).toFixed(2)}x faster)`);
}
writeFileSync(timeFile, '');
rmSync(timeDir, { recursive: true, force: true });
