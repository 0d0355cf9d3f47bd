// Benchmark: the full metadata walk with anomaly checks (`firebreak media`, its text listing) against `fls -r -p`
// (TSK's text listing) on one FAT32 image of at least 2 GiB holding 100,000 files, built once (mkfs.fat, then
// directory entries and FAT written directly) and cached under FIREBREAK_CACHE. Both run as whole processes, in
// turn, BENCH_RUNS times each; prints both medians (wall, and CPU when /usr/bin/time is there) and the ratios.

import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/cli/paths.js';
import { lfnChecksum, lfnSlot, shortSlot } from '../test/media/fat-builder.js';
import { CACHE_DIR } from '../test/helpers/paths.js';

const DIRS = 400;
const FILES_PER_DIR = 250;
const SIZE_KIB = 2200 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function buildImage(path: string): void {
  const tmp = `${path}.tmp`;
  execFileSync('mkfs.fat', ['-C', '-F', '32', '-s', '8', '-i', 'BE11C4A5', tmp, String(SIZE_KIB)], { stdio: 'ignore' });
  const fd = openSync(tmp, 'r+');
  const boot = Buffer.alloc(512);
  readSync(fd, boot, 0, 512, 0);
  const bps = boot.readUInt16LE(11);
  const cs = bps * boot[13]!;
  const reserved = boot.readUInt16LE(14);
  const fatBytes = boot.readUInt32LE(36) * bps;
  const fatOffset = reserved * bps;
  const dataOffset = fatOffset + 2 * fatBytes;
  const fat = Buffer.alloc(fatBytes);
  readSync(fd, fat, 0, fatBytes, fatOffset);
  let next = 3; // cluster 2 is the root
  const alloc = (n: number): number => {
    const first = next;
    for (let k = 0; k < n; k++) fat.writeUInt32LE(k === n - 1 ? 0x0fffffff : first + k + 1, (first + k) * 4);
    next += n;
    return first;
  };
  const clusterAt = (c: number): number => dataOffset + (c - 2) * cs;
  const rootSlots: Buffer[] = [];
  for (let d = 0; d < DIRS; d++) {
    const slots: Buffer[] = [];
    const dirClusters = Math.ceil(((2 + FILES_PER_DIR * 3) * 32) / cs);
    const dirCluster = alloc(dirClusters);
    slots.push(Buffer.from(shortSlot('.          ', 0x10, dirCluster, 0)), Buffer.from(shortSlot('..         ', 0x10, 0, 0)));
    for (let f = 0; f < FILES_PER_DIR; f++) {
      const n = d * FILES_PER_DIR + f;
      const long = `document-${String(n).padStart(6, '0')}.txt`;
      const short = `DO${n.toString(16).toUpperCase().padStart(4, '0').slice(-4)}~1TXT`;
      const sum = lfnChecksum(short);
      const fileCluster = alloc(1);
      slots.push(Buffer.from(lfnSlot(0x42, long.slice(13), sum, true)), Buffer.from(lfnSlot(0x01, long.slice(0, 13), sum, false)));
      slots.push(Buffer.from(shortSlot(short, 0x20, fileCluster, 100 + (n % 3000))));
      if (n % 10 === 0) writeSync(fd, Buffer.from(`file ${long}\n`), 0, undefined, clusterAt(fileCluster));
    }
    const bytes = Buffer.concat(slots);
    writeSync(fd, bytes, 0, bytes.length, clusterAt(dirCluster));
    rootSlots.push(Buffer.from(shortSlot(`DIR${String(d).padStart(5, '0')}   `, 0x10, dirCluster, 0)));
  }
  // The root grows past its first cluster: chain cluster 2 to fresh clusters.
  const root = Buffer.concat(rootSlots);
  const rootClusters = Math.ceil(root.length / cs);
  const extra = alloc(rootClusters - 1);
  fat.writeUInt32LE(rootClusters > 1 ? extra : 0x0fffffff, 2 * 4);
  for (let k = 0; k < rootClusters; k++) {
    const c = k === 0 ? 2 : extra + k - 1;
    writeSync(fd, root, k * cs, Math.min(cs, root.length - k * cs), clusterAt(c));
  }
  writeSync(fd, fat, 0, fatBytes, fatOffset);
  writeSync(fd, fat, 0, fatBytes, fatOffset + fatBytes);
  closeSync(fd);
  renameSync(tmp, path);
}

interface Run {
  wall: number;
  cpu: number | undefined;
  lines: number;
}

const GNU_TIME = '/usr/bin/time';
const hasTime = existsSync(GNU_TIME);
const timeFile = join(tmpdir(), `firebreak-bench-media-${process.pid}.time`);
const outFile = join(tmpdir(), `firebreak-bench-media-${process.pid}.out`);

/**
 * Runs one command as a whole process, its listing written to a file (a pipe would time how fast this script reads
 * it); wall time from here, CPU (user + sys) from GNU time when present.
 */
function run(cmd: string, args: string[], listed: RegExp): Run {
  const argv = hasTime ? [GNU_TIME, '-f', '%U %S', '-o', timeFile, cmd, ...args] : [cmd, ...args];
  const out = openSync(outFile, 'w');
  let r: ReturnType<typeof spawnSync>;
  const t0 = process.hrtime.bigint();
  try {
    r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', out, 'pipe'] });
  } finally {
    closeSync(out);
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed (${r.status}): ${String(r.stderr)}`);
  let cpu: number | undefined;
  if (hasTime) {
    const [user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    cpu = (user! + sys!) * 1000;
  }
  let lines = 0;
  for (const l of readFileSync(outFile, 'utf8').split('\n')) if (listed.test(l)) lines++;
  return { wall, cpu, lines };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = join(CACHE_DIR, 'media');
mkdirSync(dir, { recursive: true });
const image = join(dir, `bench-fat32-${DIRS}x${FILES_PER_DIR}.img`);
if (!existsSync(image)) {
  process.stderr.write(`building ${image} ...\n`);
  buildImage(image);
}
const cli = join(PROJECT_ROOT, 'bin', 'firebreak.js');
const ours: Run[] = [];
const theirs: Run[] = [];
try {
  // One warm-up each (page cache, disk), then the counted runs in turn, so drift on a shared machine hits both.
  run(process.execPath, [cli, 'media', image], /^ {2}[fd][ *] /);
  run('fls', ['-r', '-p', image], /^[rd-]\/[rd-] /);
  for (let i = 0; i < RUNS; i++) {
    ours.push(run(process.execPath, [cli, 'media', image], /^ {2}[fd][ *] /));
    theirs.push(run('fls', ['-r', '-p', image], /^[rd-]\/[rd-] /));
  }
} finally {
  rmSync(timeFile, { force: true });
  rmSync(outFile, { force: true });
}
const fmt = (xs: Run[], k: 'wall' | 'cpu'): string => (xs[0]![k] === undefined ? 'n/a' : `${median(xs.map((x) => x[k]!)).toFixed(0)} ms`);
const ratio = (k: 'wall' | 'cpu'): string =>
  ours[0]![k] === undefined ? 'n/a' : `${(median(theirs.map((x) => x[k]!)) / median(ours.map((x) => x[k]!))).toFixed(2)}x`;
process.stdout.write(
  `image: ${image} (${DIRS * FILES_PER_DIR} files in ${DIRS} folders)\n` +
    `firebreak media (text listing; walk, chains, slack reads, every anomaly check): median wall ${fmt(ours, 'wall')}, cpu ${fmt(ours, 'cpu')} over ${RUNS} runs, ${ours[0]!.lines} entries listed\n` +
    `fls -r -p (text listing): median wall ${fmt(theirs, 'wall')}, cpu ${fmt(theirs, 'cpu')} over ${RUNS} runs, ${theirs[0]!.lines} entries listed\n` +
    `ratio (fls / firebreak): wall ${ratio('wall')}, cpu ${ratio('cpu')}\n`,
);
