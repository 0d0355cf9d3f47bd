// Fuzzes the partition, FAT and exFAT readers with fast-check, mutating real images built by the test builders.
// FIREBREAK_FUZZ_RUNS sets the runs per base image (CI: a fixed small number); the long run is reported in docs/media.md.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { blankDisk, copyVolume, writeGpt, BASIC_DATA } from '../../../test/media/disk-builder.js';
import { ExfatImage } from '../../../test/media/exfat-builder.js';
import { mkfsFat, putFile, tempDir } from '../../../test/media/fat-builder.js';
import { buildZoo, pattern } from '../../../test/media/zoo.js';
import type { ByteSource } from '../partition/byte-source.js';
import { analyseImage } from './analyse.js';
import { readEntry } from './read.js';

const RUNS = Number(process.env.FIREBREAK_FUZZ_RUNS ?? 200);
const work = tempDir();
after(() => rmSync(work, { recursive: true, force: true }));

interface Base {
  name: string;
  bytes: Uint8Array;
  /** Where metadata lives, so most mutations land where they matter. */
  hot: [number, number][];
}
const bases: Base[] = [];

before(() => {
  const z12 = buildZoo('FAT12', work);
  bases.push({ name: 'FAT12 zoo', bytes: new Uint8Array(readFileSync(z12.path)), hot: [[0, z12.raw.dataOffset + 64 * 1024]] });
  const z16 = buildZoo('FAT16', work);
  bases.push({ name: 'FAT16 zoo', bytes: new Uint8Array(readFileSync(z16.path)), hot: [[0, z16.raw.dataOffset + 64 * 1024]] });
  const f32 = mkfsFat(join(work, 'f32.img'), 'FAT32', 34 * 1024, 1);
  execMtools(f32);
  const f32b = new Uint8Array(readFileSync(f32));
  bases.push({ name: 'FAT32', bytes: f32b, hot: [[0, 0x4000], [0x4000, 0x4000 + 2 * 0x10000], [f32b.length - 0x200000, f32b.length]] });
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
  bases.push({ name: 'GPT disk', bytes: new Uint8Array(readFileSync(disk)).subarray(0, 4096 * 512), hot: [[0, 34 * 512], [2048 * 512, 2048 * 512 + 40 * 1024]] });
});

function execMtools(img: string): void {
  putFile(img, '::/A Long Name.txt', pattern(9000, 5), work);
  putFile(img, '::/b.bin', pattern(100, 6), work);
}

/** The base image with a few bytes changed, served without copying the whole image per input. */
function patched(base: Uint8Array, patches: Map<number, number>, length: number): ByteSource {
  return {
    size: length,
    read(offset: number, len: number): Uint8Array {
      if (!(offset >= 0) || !(len > 0) || offset >= length) return new Uint8Array(0);
      const out = base.slice(offset, Math.min(length, offset + len));
      for (const [at, v] of patches) if (at >= offset && at < offset + out.length) out[at - offset] = v;
      return out;
    },
  };
}

const mutation = (b: Base) =>
  fc.record({
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

test('no mutated image makes the readers throw, and the work per image stays bounded', () => {
  let worst = 0;
  let inputs = 0;
  for (const b of bases) {
    fc.assert(
      fc.property(mutation(b), ({ patches, cut }) => {
        const src = patched(b.bytes, new Map(patches), Math.floor(b.bytes.length * cut));
        const t0 = performance.now();
        const { volumes } = analyseImage(src, 'fuzz.img', { scanUnallocated: false });
        for (const v of volumes) {
          if (!v.image.volume) continue;
          const s = v.report.stats!;
          // Directory bytes read never exceed the volume itself plus a fixed root region: no loop can re-read.
          assert.ok(s.dirBytesRead <= b.bytes.length + 4 * 1024 * 1024, `${b.name}: ${s.dirBytesRead} directory bytes`);
          for (const e of v.entries.slice(0, 8)) readEntry(v.image.volume, e, 1 << 20);
        }
        worst = Math.max(worst, performance.now() - t0);
        inputs++;
      }),
      { numRuns: RUNS, seed: Number(process.env.FIREBREAK_FUZZ_SEED ?? 6) },
    );
  }
  process.stderr.write(`fat fuzz: ${inputs} inputs, slowest ${worst.toFixed(1)} ms of metadata work\n`);
});
