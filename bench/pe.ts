// PE parsing speed on the Wine corpus: Firebreak's full parse against pefile's full load and its fast load with
// imports and exports, all in one run, printing files/s and the ratios (medians over the rounds, CPU and wall time).
// Usage: node dist/bench/pe.js [--rounds N] [--limit N]
//
// Each round times every tool over every file once. The machine is shared, so each figure is the median over the
// rounds, and CPU time (what the process itself spent) is printed beside wall time (which includes waiting for a core).

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
const files = wineCorpusFiles().slice(0, limit);

// Python side: pefile over the same list, in one process per mode and round; times measured inside Python, so
// interpreter start-up is not counted against it.
const PEFILE_BENCH = `
import json, sys, time, pefile
mode = sys.argv[1]
paths = [l.rstrip('\\n') for l in sys.stdin if l.strip()]
IMPORT = pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_IMPORT']
EXPORT = pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_EXPORT']
t0 = time.perf_counter(); c0 = time.process_time()
for p in paths:
    if mode == 'full':
        pe = pefile.PE(p)
    else:
        pe = pefile.PE(p, fast_load=True)
        pe.parse_data_directories(directories=[IMPORT, EXPORT])
    pe.close()
print(json.dumps({'wall': time.perf_counter() - t0, 'cpu': time.process_time() - c0}))
`;

function pefile(mode: 'full' | 'fast'): Timing {
  const out = execFileSync('/usr/bin/python3', ['-c', PEFILE_BENCH, mode], { input: files.join('\n'), encoding: 'utf8', maxBuffer: 1 << 20 });
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

function firebreak(mode: Mode): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const f of files) {
    const pe = parsePe(readInto(f));
    if (!pe.isPe) throw new Error(`${f}: not a PE file`);
    if (mode === 'structures') {
      touchStructures(pe);
      continue;
    }
    if (mode === 'full') touchAll(pe);
    else touchValues(pe);
    if (mode === 'full+md5') for (const s of pe.sections) void s.md5;
  }
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const results: Record<string, Timing[]> = { firebreak: [], 'firebreak+values': [], 'firebreak+md5': [], 'firebreak structures': [], 'pefile full': [], 'pefile fast': [] };
process.stderr.write(`bench/pe: ${files.length} files, ${rounds} rounds\n`);
for (let r = 0; r < rounds; r++) {
  // Untimed warm-up pass: the JIT and page cache at first, and in later rounds the caches the pefile runs (half a
  // minute during which this process sleeps) left cold, which made the first pass after them up to a quarter slower.
  firebreak('full');
  results.firebreak!.push(firebreak('full'));
  results['firebreak+values']!.push(firebreak('full+values'));
  results['firebreak+md5']!.push(firebreak('full+md5'));
  results['firebreak structures']!.push(firebreak('structures'));
  results['pefile fast']!.push(pefile('fast'));
  results['pefile full']!.push(pefile('full'));
  process.stderr.write(`bench/pe: round ${r + 1} of ${rounds} done\n`);
}

const rate = (name: string, key: keyof Timing): number => files.length / median(results[name]!.map((t) => t[key]));
console.log(`PE parsing, ${files.length} Wine corpus files, median of ${rounds} rounds (files/s)`);
console.log(`${''.padEnd(44)}${'cpu'.padStart(10)}${'wall'.padStart(10)}`);
const label: Record<string, string> = {
  firebreak: 'firebreak parsePe, all parts + anomalies',
  'firebreak+values': 'firebreak, same + entropies, checksum value',
  'firebreak+md5': 'firebreak, same + md5 of every section',
  'firebreak structures': 'firebreak, structures only (no byte passes)',
  'pefile full': 'pefile full load',
  'pefile fast': 'pefile fast_load + imports + exports',
};
for (const name of Object.keys(results)) console.log(`${label[name]!.padEnd(44)}${rate(name, 'cpu').toFixed(1).padStart(10)}${rate(name, 'wall').toFixed(1).padStart(10)}`);
for (const [ours, theirs, note] of [
  ['firebreak', 'pefile full', 'goal 20x'],
  ['firebreak', 'pefile fast', 'goal 5x'],
  ['firebreak+values', 'pefile full', 'entropy and checksum values are computed on demand, as in pefile'],
  ['firebreak+values', 'pefile fast', 'entropy and checksum values are computed on demand, as in pefile'],
  ['firebreak+md5', 'pefile full', 'md5 is computed on demand, as in pefile'],
  ['firebreak structures', 'pefile fast', 'like for like: neither reads every byte'],
] as const) {
  const cpu = rate(ours, 'cpu') / rate(theirs, 'cpu');
  const wall = rate(ours, 'wall') / rate(theirs, 'wall');
  console.log(`ratio ${label[ours]!} / ${label[theirs]!}: ${cpu.toFixed(1)}x cpu, ${wall.toFixed(1)}x wall (${note})`);
}
