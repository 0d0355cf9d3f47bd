import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ExfatImage } from '../../../test/media/exfat-builder.js';
import { tempDir } from '../../../test/media/fat-builder.js';
import { fls, istat } from '../../../test/media/tsk.js';
import { pattern } from '../../../test/media/zoo.js';
import { openImageFile } from '../../sweep/sources/image-file.js';
import { analyseImage } from './analyse.js';
import { readEntry } from './read.js';

const work = tempDir();
after(() => rmSync(work, { recursive: true, force: true }));

describe('exFAT volume from mkfs.exfat with raw-written entry sets', () => {
  const img = new ExfatImage(join(work, 'ex.img'));
  const root = img.rootCluster;
  img.add(root, 'readme.txt', new TextEncoder().encode('exfat readme\n'));
  const big = pattern(20000, 9);
  img.add(root, 'A rather long file name over fifteen chars.bin', big);
  img.add(root, 'contig.bin', pattern(9000, 10), { noFatChain: true });
  const docs = img.add(root, 'Docs', new Uint8Array(0), { attributes: 0x10 });
  img.add(docs.cluster, 'inner.txt', new TextEncoder().encode('inner\n'));
  const gone = img.add(root, 'deleted.txt', new TextEncoder().encode('gone but here\n'), { deleted: true });
  img.add(root, '.thumbs.db', pattern(300, 11), { attributes: 0x22 });
  const dot = img.add(root, '.', pattern(5000, 12), { attributes: 0x26 });
  const badsum = img.add(root, 'badsum.txt', new TextEncoder().encode('x'), { badChecksum: true });

  const src = openImageFile(img.path);
  const { report, volumes } = analyseImage(src, img.path);
  const v = volumes[0]!;
  const anomalies = report.volumes[0]!.anomalies;

  test('is read as exFAT with its label', () => {
    assert.equal(v.image.volume!.geometry.kind, 'exFAT');
    assert.equal(v.image.volume!.geometry.label, 'TESTVOL');
  });

  test('names, deleted flags and types agree with fls, slot numbers with one calibration', () => {
    const theirs = fls(img.path).filter((l) => !l.path.startsWith('$'));
    const bitmapInode = fls(img.path).find((l) => l.path === '$ALLOC_BITMAP')!.inode;
    const rootOffset = img.clusterOffset(root);
    // TSK numbers exFAT slots like FAT ones; the bitmap entry (slot 0 or 1 of the root) fixes the base.
    const rootSlot0 = bitmapInode - (new Uint8Array(img.read(rootOffset, 32))[0] === 0x81 ? 0 : 1);
    const base = rootSlot0 - rootOffset / 32;
    const ours = v.entries.map((e) => `${e.entryOffset / 32 + base} ${e.deleted ? '*' : ' '} ${e.isDir ? 'd' : 'r'} ${e.path.slice(1)}`).sort();
    assert.deepEqual(ours, theirs.map((l) => `${l.inode} ${l.deleted ? '*' : ' '} ${l.type.endsWith('d') ? 'd' : 'r'} ${l.path}`).sort());
    for (const e of v.entries) {
      const info = istat(img.path, e.entryOffset / 32 + base);
      assert.equal(e.size, info.size, `size of ${e.path}`);
      const first = info.sectors.find((s) => s > 0);
      if (first !== undefined) assert.equal(e.firstCluster, (first * 512 - img.heapOffset) / img.clusterSize + 2, `first cluster of ${e.path}`);
    }
  });

  test('content reads back: FAT chain, NoFatChain, and a deleted file', () => {
    const byPath = new Map(v.entries.map((e) => [e.path, e]));
    assert.deepEqual(Buffer.from(readEntry(v.image.volume!, byPath.get('/A rather long file name over fifteen chars.bin')!).data), Buffer.from(big));
    assert.equal(byPath.get('/contig.bin')!.noFatChain, true);
    assert.deepEqual(Buffer.from(readEntry(v.image.volume!, byPath.get('/contig.bin')!).data), Buffer.from(pattern(9000, 10)));
    const del = byPath.get('/deleted.txt')!;
    assert.equal(del.deleted, true);
    assert.equal(del.recovery, 'full');
    assert.equal(Buffer.from(readEntry(v.image.volume!, del).data).toString(), 'gone but here\n');
    assert.equal(del.entryOffset, gone.entry);
  });

  test('anomalies: the "." container, the Gauss name, the bad set checksum', () => {
    const has = (code: string, offset?: number) => anomalies.some((a) => a.code === code && (offset === undefined || a.offset === offset));
    assert.ok(has('FAT_DOT_NAME', dot.entry));
    assert.ok(has('FAT_FLAME_DOT_CONTAINER', dot.entry));
    assert.ok(has('FAT_GAUSS_THUMBS_DB'));
    assert.ok(has('EXFAT_SET_CHECKSUM', badsum.entry));
    assert.ok(!anomalies.some((a) => a.path === '/readme.txt' || a.path === '/Docs/inner.txt'));
  });
});
