import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { buildZoo, type Zoo } from '../../../test/media/zoo.js';
import { tempDir } from '../../../test/media/fat-builder.js';
import { fls, istat } from '../../../test/media/tsk.js';
import { openImageFile } from '../../sweep/sources/image-file.js';
import { analyseImage } from './analyse.js';
import { readEntry } from './read.js';
import type { VolumeEntry } from './types.js';
import type { FatVolume } from './volume.js';

const work = tempDir();
after(() => rmSync(work, { recursive: true, force: true }));

for (const type of ['FAT12', 'FAT16', 'FAT32'] as const) {
  describe(`${type} zoo volume`, () => {
    let zoo: Zoo;
    let volume: FatVolume;
    let entries: VolumeEntry[];
    let result: ReturnType<typeof analyseImage>;
    before(() => {
      zoo = buildZoo(type, work);
      const src = openImageFile(zoo.path);
      result = analyseImage(src, zoo.path, { scanUnallocated: true });
      volume = result.volumes[0]!.image.volume!;
      entries = result.volumes[0]!.entries;
    });

    test('the reader names the FAT type mkfs.fat made', () => {
      assert.equal(volume.geometry.kind, type);
    });

    test('every entry agrees with fls -r -p -a: inode, name, deleted flag, type', () => {
      const g = volume.geometry;
      const firstDataByte = g.fatOffset + g.numFats * g.fatLength;
      // TSK numbers each 32-byte slot from the first sector after the FATs, starting at 3.
      const inode = (e: VolumeEntry): number => (e.entryOffset - firstDataByte) / 32 + 3;
      // TSK gives the "." and ".." entries of a directory's first two slots the inode of the directory they point to (cluster 0: the root, 2).
      const dirByCluster = new Map<number, number>();
      for (const e of entries) if (e.isDir && e.shortName !== '.' && e.shortName !== '..') dirByCluster.set(e.firstCluster, inode(e));
      // TSK takes long names without checking their checksum or sequence; the reader refuses them (and says so).
      const unverified = new Map([
        ['/MISMAT~1.TXT', '/mismatch.txt'],
        ['/ORPH.TXT', '/second part'],
      ]);
      const ours = entries
        // TSK drops entries whose first cluster lies outside the volume; the reader keeps and reports them.
        .filter((e) => e.firstCluster < g.clusterCount + 2)
        .map((e) => {
          const dotRaw = e.dot === true;
          const ino = dotRaw ? (e.firstCluster === 0 ? 2 : dirByCluster.get(e.firstCluster)) : inode(e);
          return `${ino} ${e.deleted ? '*' : ' '} ${e.isDir ? 'd' : 'r'} ${(unverified.get(e.path) ?? e.path).slice(1)}`;
        })
        .sort();
      const theirs = fls(zoo.path)
        .map((l) => `${l.inode} ${l.deleted ? '*' : ' '} ${l.type.endsWith('d') ? 'd' : 'r'} ${l.path}`)
        .sort();
      assert.deepEqual(ours, theirs);
    });

    test('sizes and first clusters agree with istat', () => {
      const g = volume.geometry;
      const firstDataByte = g.fatOffset + g.numFats * g.fatLength;
      let compared = 0;
      for (const e of entries) {
        if (e.dot || e.isDir || e.firstCluster >= g.clusterCount + 2) continue;
        const info = istat(zoo.path, (e.entryOffset - firstDataByte) / 32 + 3);
        assert.equal(e.size, info.size, `size of ${e.path}`);
        const firstSector = info.sectors.find((s) => s > 0);
        if (firstSector !== undefined && e.firstCluster >= 2 && e.firstCluster < g.clusterCount + 2) {
          const cluster = (firstSector * g.sectorSize - g.dataOffset) / g.clusterSize + 2;
          assert.equal(e.firstCluster, cluster, `first cluster of ${e.path}`);
          compared++;
        }
      }
      assert.ok(compared >= 10, `compared ${compared} first clusters`);
    });

    test('every planted anomaly is reported, at its offset', () => {
      const anomalies = result.report.volumes[0]!.anomalies;
      for (const x of zoo.expected) {
        const hit = anomalies.find((a) => a.code === x.code && (x.path === undefined || a.path === x.path) && (x.offset === undefined || a.offset === x.offset));
        assert.ok(hit, `missing ${x.code} ${x.path ?? ''} @${x.offset ?? '?'}; got ${anomalies.map((a) => `${a.code} ${a.path} @${a.offset}`).join(', ')}`);
      }
      assert.ok(anomalies.some((a) => a.code === 'FAT_UNALLOCATED_DATA' && (a.size ?? 0) > 0));
    });

    test('the Flame entry: long name ".", 8.3 HUB001.DAT, Hidden+System+Archive', () => {
      const flame = entries.find((e) => e.longName === '.' && !e.dot)!;
      assert.equal(flame.shortName, 'HUB001.DAT');
      assert.equal(flame.attributes & 0x26, 0x26);
      assert.equal(flame.path, '/.');
    });

    test('content reads back as written, for live files and a recoverable deleted file', () => {
      for (const [path, bytes] of zoo.contents) {
        const e = entries.find((x) => x.path === path && !x.deleted && !x.dot);
        assert.ok(e, `no entry ${path}`);
        const r = readEntry(volume, e);
        assert.ok(r.complete, path);
        assert.deepEqual(Buffer.from(r.data), Buffer.from(bytes), path);
      }
      const gone = entries.find((e) => e.path === '/DOCS/Deleted Long Name.txt')!;
      assert.equal(gone.deleted, true);
      assert.equal(gone.recovery, 'full');
      assert.equal(Buffer.from(readEntry(volume, gone).data).toString(), 'this file was deleted\n');
    });

    test('a clean tool-made entry raises nothing', () => {
      const anomalies = result.report.volumes[0]!.anomalies;
      for (const p of ['/Long File Name Document.docx', '/DOCS/a.txt', '/DOCS/Deep/b.bin', '/DOCS/keep.txt', '/DOCS/Deleted Long Name.txt']) {
        assert.deepEqual(anomalies.filter((a) => a.path === p), [], p);
      }
    });
  });
}
