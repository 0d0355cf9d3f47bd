// Fuzz inputs for the partition, FAT and exFAT readers: real images built by the test builders, mutated by
// fast-check where their metadata lives, and one function that runs the readers on an input and times the work.
// Shared by the CI fuzz test (a fixed number of runs) and the long run (test/media/fuzz-long.ts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ByteSource } from '../../src/formats/partition/byte-source.js';
import { analyseImage } from '../../src/formats/fat/analyse.js';
import { readEntry } from '../../src/formats/fat/read.js';
import { BASIC_DATA, blankDisk, copyVolume, writeGpt } from './disk-builder.js';
import { ExfatImage } from './exfat-builder.js';
import { mkfsFat, putFile } from './fat-builder.js';
import { buildZoo, pattern } from './zoo.js';

export interface FuzzBase {
  name: string;
  bytes: Uint8Array;
  /** Where metadata lives, so most mutations land where they matter. */
  hot: [number, number][];
}

/** Builds the base images in `work`: FAT12 and FAT16 zoo volumes, a FAT32 volume, an exFAT volume, a GPT disk. */
export function buildFuzzBases(work: string): FuzzBase[] {
  const bases: FuzzBase[] = [];
  const z12 = buildZoo('FAT12', work);
  bases.push({ name: 'FAT12 zoo', bytes: new Uint8Array(readFileSync(z12.path)), hot: [[0, z12.raw.dataOffset + 64 * 1024]] });
  const z16 = buildZoo('FAT16', work);
  bases.push({ name: 'FAT16 zoo', bytes: new Uint8Array(readFileSync(z16.path)), hot: [[0, z16.raw.dataOffset + 64 * 1024]] });
  const f32 = mkfsFat(join(work, 'f32.img'), 'FAT32', 34 * 1024, 1);
  putFile(f32, '::/A Long Name.txt', pattern(9000, 5), work);
  putFile(f32, '::/b.bin', pattern(100, 6), work);
  const f32b = new Uint8Array(readFileSync(f32));
  bases.push({
    name: 'FAT32',
    bytes: f32b,
    hot: [
      [0, 0x4000],
      [0x4000, 0x4000 + 2 * 0x10000],
      [f32b.length - 0x200000, f32b.length],
    ],
  });
  const ex = new ExfatImage(join(work, 'ex.img'), 4);
  ex.add(ex.rootCluster, 'file one.txt', pattern(5000, 1));
  const d = ex.add(ex.rootCluster, 'Dir', new Uint8Array(0), { attributes: 0x10 });
  ex.add(d.cluster, 'inner.bin', pattern(3000, 2), { noFatChain: true });
  ex.add(ex.rootCluster, 'gone.txt', pattern(100, 3), { deleted: true });
  bases.push({ name: 'exFAT', bytes: new Uint8Array(readFileSync(ex.path)), hot: [[0, ex.heapOffset + 8 * ex.clusterSize]] });
  const disk = join(work, 'gpt.img');
  blankDisk(disk, 4096);
  writeGpt(disk, 4096, [{ type: BASIC_DATA, first: 2048, last: 4062, name: 'p' }]);
  copyVolume(disk, 2048, z12.path);
  bases.push({
    name: 'GPT disk',
    bytes: new Uint8Array(readFileSync(disk)).subarray(0, 4096 * 512),
    hot: [
      [0, 34 * 512],
      [2048 * 512, 2048 * 512 + 40 * 1024],
    ],
  });
  return bases;
}

export interface Mutation {
  patches: [number, number][];
  /** Fraction of the image kept (1: all of it). */
  cut: number;
}

/** A few bytes changed (mostly in the metadata) and sometimes the image cut short. */
export function mutation(b: FuzzBase): fc.Arbitrary<Mutation> {
  return fc.record({
    patches: fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...b.hot).chain(([s, e]) => fc.integer({ min: s, max: Math.max(s, e - 1) })) },
          { weight: 1, arbitrary: fc.integer({ min: 0, max: b.bytes.length - 1 }) },
        ),
        fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0xff, 0xe5, 0x2e, 0x0f, 0x10, 0x85, 0x05)),
      ),
      { minLength: 1, maxLength: 24 },
    ),
    cut: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }),
  });
}

/** The base image with a few bytes changed, served without copying the whole image per input. */
export function patchedSource(base: Uint8Array, patches: readonly [number, number][], length: number): ByteSource {
  const sorted = [...patches].sort((a, b) => a[0] - b[0]);
  const apply = (target: Uint8Array, offset: number): void => {
    for (const [at, v] of sorted) if (at >= offset && at < offset + target.length) target[at - offset] = v;
  };
  return {
    size: length,
    read(offset: number, len: number): Uint8Array {
      if (!(offset >= 0) || !(len > 0) || offset >= length) return new Uint8Array(0);
      const out = base.slice(offset, Math.min(length, offset + len));
      apply(out, offset);
      return out;
    },
    readInto(target: Uint8Array, offset: number): number {
      if (!(offset >= 0) || offset >= length) return 0;
      const part = base.subarray(offset, Math.min(length, offset + target.length));
      target.set(part);
      apply(target.subarray(0, part.length), offset);
      return part.length;
    },
  };
}

export interface FuzzOutcome {
  /** Milliseconds of metadata work: opening the image and walking every volume, with every check. */
  ms: number;
  directoryBytes: number;
  chainSteps: number;
  slackBytes: number;
  entries: number;
}

/** Runs the readers on one mutated image: analyseImage, then reads the first entries' content. Throws what escapes. */
export function runInput(b: FuzzBase, m: Mutation): FuzzOutcome {
  const src = patchedSource(b.bytes, m.patches, Math.floor(b.bytes.length * m.cut));
  const t0 = performance.now();
  const { volumes } = analyseImage(src, 'fuzz.img', { scanUnallocated: false, listing: false });
  const ms = performance.now() - t0;
  const outcome: FuzzOutcome = { ms, directoryBytes: 0, chainSteps: 0, slackBytes: 0, entries: 0 };
  for (const v of volumes) {
    if (!v.image.volume) continue;
    const s = v.report.stats!;
    outcome.directoryBytes += s.dirBytesRead;
    outcome.chainSteps += s.chainSteps;
    outcome.slackBytes += s.slackBytesRead;
    outcome.entries += s.entries;
    const n = Math.min(8, v.table.count);
    for (let i = 0; i < n; i++) readEntry(v.image.volume, v.table.view(i), 1 << 20);
  }
  return outcome;
}
