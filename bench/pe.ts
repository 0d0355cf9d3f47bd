// PE parsing speed on the Wine corpus: Firebreak's full parse against pefile's full load and its fast load with
// imports and exports, all in one run, printing files/s and the ratios (medians over the rounds, CPU and wall time).
// Usage: node dist/bench/pe.js [--rounds N] [--limit N]
//        node dist/bench/pe.js --tool firebreak|pefile-fast|pefile-full   (one pass of one tool, for whole-process timing)
//
// Each round times every tool over every file once. The machine is shared, so each figure is the median over the
// rounds, and CPU time (what the process itself spent) is printed beside wall time (which includes waiting for a core).
//
// Two ways of counting: from the file (Firebreak reads it, pefile opens and maps it; the headline figures) and from
// memory (the bytes are already loaded, as in a sweep, and only the parse is timed, file by file, for both tools).

import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parsePe, type PeFile } from '../src/formats/pe/index.js';
import { wineCorpusFiles } from '../test/helpers/corpus.js';

interface Timing {
  wall: number;
  cpu: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const rounds = arg('--rounds', 3);
const limit = arg('--limit', Infinity);
const toolIndex = process.argv.indexOf('--tool');
const tool = toolIndex >= 0 ? process.argv[toolIndex + 1] : undefined;
const files = wineCorpusFiles().slice(0, limit);

// Python side: pefile over the same list, in one process per mode and round; times measured inside Python, so
// interpreter start-up is not counted against it. In the "memory" modes each file is read first, untimed, and only
// pefile.PE(data=...) is timed.
const PEFILE_BENCH = `
import json, sys, time, pefile
mode, where = sys.argv[1], sys.argv[2]
paths = [l.rstrip('\\n') for l in sys.stdin if l.strip()]
IMPORT = pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_IMPORT']
EXPORT = pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_EXPORT']
def parse(**source):
    if mode == 'full':
        pe = pefile.PE(**source)
    else:
        pe = pefile.PE(fast_load=True, **source)
        pe.parse_data_directories(directories=[IMPORT, EXPORT])
    pe.close()
wall = cpu = 0.0
if where == 'file':
    t0 = time.perf_counter(); c0 = time.process_time()
    for p in paths:
        parse(name=p)
    wall = time.perf_counter() - t0; cpu = time.process_time() - c0
else:
    for p in paths:
        with open(p, 'rb') as f:
            data = f.read()
        t0 = time.perf_counter(); c0 = time.process_time()
        parse(data=data)
        wall += time.perf_counter() - t0; cpu += time.process_time() - c0
print(json.dumps({'wall': wall, 'cpu': cpu}))
`;

function pefile(mode: 'full' | 'fast', where: 'file' | 'memory'): Timing {
  const out = execFileSync('/usr/bin/python3', ['-c', PEFILE_BENCH, mode, where], { input: files.join('\n'), encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Timing;
}

// Files are read into one reused buffer, so the figure is parsing, not page-faulting fresh memory (pefile mmaps).
let buffer = new Uint8Array(1 << 24);
function readInto(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > buffer.length) buffer = new Uint8Array(Math.max(size, buffer.length * 2));
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buffer, off, size - off, off);
      if (n <= 0) break;
      off += n;
    }
    return buffer.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every part parsed and every anomaly checked, as `pe.anomalies` does: the high-entropy section check and the
 * checksum comparison (a pass over every byte when a checksum is stored) included. Section and overlay entropy values
 * and the computed checksum stay unread here, as pefile's full load leaves them (get_entropy, generate_checksum).
 */
function touchAll(pe: PeFile): void {
  void pe.anomalies; // forces imports, exports, resources, version info, debug, TLS, load config, relocations...
  void pe.imphash;
  void pe.overlay;
}

/** The full parse plus every value `firebreak pe` prints except md5: section and overlay entropy, computed checksum. */
function touchValues(pe: PeFile): void {
  touchAll(pe);
  for (const s of pe.sections) void s.entropy;
  void pe.overlay?.entropy;
  void pe.checksum.computed;
}

/** Only what reads structures (all directories, Rich header, imphash): no pass over every byte of the file. */
function touchStructures(pe: PeFile): void {
  void pe.imports;
  void pe.delayImports;
  void pe.boundImports;
  void pe.exports;
  void pe.resources;
  void pe.versionInfo;
  void pe.manifest;
  void pe.debug;
  void pe.tls;
  void pe.loadConfig;
  void pe.relocations;
  void pe.exceptions;
  void pe.certificates;
  void pe.clr;
  void pe.rich;
  void pe.imphash;
}

type Mode = 'full' | 'full+values' | 'full+md5' | 'structures';

function parseFile(bytes: Uint8Array, mode: Mode): void {
  const pe = parsePe(bytes);
  if (!pe.isPe) throw new Error('not a PE file');
  if (mode === 'structures') touchStructures(pe);
  else if (mode === 'full') touchAll(pe);
  else touchValues(pe);
  if (mode === 'full+md5') for (const s of pe.sections) void s.md5;
}

function firebreak(mode: Mode): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const f of files) parseFile(readInto(f), mode);
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** The full parse of bytes already in memory: each file read first, untimed, then only parsePe and its parts timed. */
function firebreakInMemory(): Timing {
  let wall = 0;
  let cpu = 0;
  for (const f of files) {
    const bytes = readInto(f);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    parseFile(bytes, 'full');
    const c = process.cpuUsage(c0);
    wall += performance.now() - t0;
    cpu += c.user + c.system;
  }
  return { wall: wall / 1000, cpu: cpu / 1e6 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

if (tool !== undefined) {
  // One pass of one tool, so an outside timer can compare whole processes (start-up and reading included).
  const t = tool === 'firebreak' ? firebreak('full') : tool === 'pefile-fast' ? pefile('fast', 'file') : tool === 'pefile-full' ? pefile('full', 'file') : null;
  if (t === null) throw new Error(`--tool: expected firebreak, pefile-fast or pefile-full, got ${tool}`);
  console.log(`${tool}: ${files.length} files, ${(files.length / t.cpu).toFixed(1)} files/s cpu, ${(files.length / t.wall).toFixed(1)} files/s wall`);
} else {
  const results: Record<string, Timing[]> = {
    firebreak: [],
    'firebreak+values': [],
    'firebreak+md5': [],
    'firebreak structures': [],
    'firebreak memory': [],
    'pefile full': [],
    'pefile fast': [],
    'pefile fast memory': [],
  };
  process.stderr.write(`bench/pe: ${files.length} files, ${rounds} rounds\n`);
  for (let r = 0; r < rounds; r++) {
    // Untimed warm-up pass: the JIT and page cache at first, and in later rounds the caches the pefile runs (half a
    // minute during which this process sleeps) left cold, which made the first pass after them up to a quarter slower.
    firebreak('full');
    results.firebreak!.push(firebreak('full'));
    results['firebreak memory']!.push(firebreakInMemory());
    results['firebreak+values']!.push(firebreak('full+values'));
    results['firebreak+md5']!.push(firebreak('full+md5'));
    results['firebreak structures']!.push(firebreak('structures'));
    results['pefile fast']!.push(pefile('fast', 'file'));
    results['pefile fast memory']!.push(pefile('fast', 'memory'));
    results['pefile full']!.push(pefile('full', 'file'));
    process.stderr.write(`bench/pe: round ${r + 1} of ${rounds} done\n`);
  }

  const rate = (name: string, key: keyof Timing): number => files.length / median(results[name]!.map((t) => t[key]));
  console.log(`PE parsing, ${files.length} Wine corpus files, median of ${rounds} rounds (files/s)`);
  console.log(`${''.padEnd(50)}${'cpu'.padStart(10)}${'wall'.padStart(10)}`);
  const label: Record<string, string> = {
    firebreak: 'firebreak parsePe, all parts + anomalies',
    'firebreak+values': 'firebreak, same + entropies, checksum value',
    'firebreak+md5': 'firebreak, same + md5 of every section',
    'firebreak structures': 'firebreak, structures only (no byte passes)',
    'firebreak memory': 'firebreak, all parts + anomalies, from memory',
    'pefile full': 'pefile full load',
    'pefile fast': 'pefile fast_load + imports + exports',
    'pefile fast memory': 'pefile fast_load + imports + exports, from memory',
  };
  for (const name of Object.keys(results)) console.log(`${label[name]!.padEnd(50)}${rate(name, 'cpu').toFixed(1).padStart(10)}${rate(name, 'wall').toFixed(1).padStart(10)}`);
  for (const [ours, theirs, note] of [
    ['firebreak', 'pefile full', 'goal 20x'],
    ['firebreak', 'pefile fast', 'goal 5x'],
    ['firebreak memory', 'pefile fast memory', 'both parse bytes already loaded'],
    ['firebreak+values', 'pefile full', 'entropy and checksum values are computed on demand, as in pefile'],
    ['firebreak+values', 'pefile fast', 'entropy and checksum values are computed on demand, as in pefile'],
    ['firebreak+md5', 'pefile full', 'md5 is computed on demand, as in pefile'],
    ['firebreak structures', 'pefile fast', 'like for like: neither reads every byte'],
  ] as const) {
    const cpu = rate(ours, 'cpu') / rate(theirs, 'cpu');
    const wall = rate(ours, 'wall') / rate(theirs, 'wall');
    console.log(`ratio ${label[ours]!} / ${label[theirs]!}: ${cpu.toFixed(1)}x cpu, ${wall.toFixed(1)}x wall (${note})`);
  }
}
