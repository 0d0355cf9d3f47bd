// Crafted volumes that try to make the walk do more work than the image is large: the named limits hold them.
// Work is asserted through the walk's counters, never through timings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesSource } from '../partition/byte-source.js';
import { analyseImage } from './analyse.js';

const SECTOR = 512;

/** A FAT16 boot sector: 1 sector per cluster, 1 reserved sector, 2 FATs of `fatSectors`, 512 root entries. */
function fat16(totalSectors: number, fatSectors: number): Uint8Array {
  const img = new Uint8Array(totalSectors * SECTOR);
  const dv = new DataView(img.buffer);
  img.set([0xeb, 0x3c, 0x90], 0);
  dv.setUint16(11, SECTOR, true);
  img[13] = 1;
  dv.setUint16(14, 1, true);
  img[16] = 2;
  dv.setUint16(17, 512, true);
  dv.setUint16(19, totalSectors, true);
  dv.setUint16(22, fatSectors, true);
  img[510] = 0x55;
  img[511] = 0xaa;
  return img;
}

function shortEntry(img: Uint8Array, at: number, name: string, attr: number, cluster: number, size: number): void {
  for (let i = 0; i < 11; i++) img[at + i] = name.charCodeAt(i);
  img[at + 11] = attr;
  new DataView(img.buffer).setUint16(at + 26, cluster, true);
  new DataView(img.buffer).setUint32(at + 28, size, true);
}

test('a directory chain that loops, with two thousand directory entries pointing into it, is read once', () => {
  const total = 16384;
  const img = fat16(total, 64);
  const fat = SECTOR;
  const root = SECTOR + 2 * 64 * SECTOR;
  const data = root + 32 * SECTOR;
  const dv = new DataView(img.buffer);
  // Clusters 2..101 chained into a loop (101 -> 2), all of them directories full of entries pointing back at 2.
  for (let c = 2; c <= 101; c++) dv.setUint16(fat + c * 2, c === 101 ? 2 : c + 1, true);
  for (let c = 2; c <= 101; c++) {
    for (let k = 0; k < SECTOR / 32; k++) shortEntry(img, data + (c - 2) * SECTOR + k * 32, `D${String(c * 16 + k).padStart(7, '0')}   `, 0x10, 2, 0);
  }
  for (let k = 0; k < 512; k++) shortEntry(img, root + k * 32, `R${String(k).padStart(7, '0')}   `, 0x10, 2, 0);
  const { volumes } = analyseImage(bytesSource(img), 'loop.img', { listing: false });
  const s = volumes[0]!.report.stats!;
  assert.ok(s.dirBytesRead <= 512 * 32 + 100 * SECTOR, `${s.dirBytesRead} directory bytes`);
  assert.ok(s.chainSteps <= total, `${s.chainSteps} chain steps`);
  const codes = new Set(volumes[0]!.report.anomalies.map((a) => a.code));
  assert.ok(codes.has('FAT_CHAIN_LOOP') || codes.has('FAT_DIR_LOOP'));
});

test('deleted files claiming more than the whole volume are judged partial (they run past its end), without reading data', () => {
  const total = 32768;
  const img = fat16(total, 128);
  const root = SECTOR + 2 * 128 * SECTOR;
  // 512 deleted entries, each 16 MiB from cluster 2: every one spans the whole data area.
  for (let k = 0; k < 512; k++) shortEntry(img, root + k * 32, `\u00e5${String(k).padStart(7, '0')}TXT`, 0x20, 2, 16 * 1024 * 1024);
  const { volumes } = analyseImage(bytesSource(img), 'deleted.img', { listing: false });
  const t = volumes[0]!.table;
  assert.equal(t.count, 512);
  for (let i = 0; i < t.count; i++) assert.equal(t.recovery(i), 'partial');
  assert.equal(volumes[0]!.report.stats!.slackBytesRead, 0);
});

test('entries past the limit are cut, and the cut is reported', () => {
  const img = fat16(8192, 32);
  const root = SECTOR + 2 * 32 * SECTOR;
  for (let k = 0; k < 512; k++) shortEntry(img, root + k * 32, `F${String(k).padStart(7, '0')}BIN`, 0x20, 0, 0);
  const { volumes } = analyseImage(bytesSource(img), 'many.img', { listing: false, maxEntries: 100 });
  assert.equal(volumes[0]!.table.count, 100);
  assert.ok(volumes[0]!.report.anomalies.some((a) => a.code === 'FAT_LIMIT' && /more than 100 entries/.test(a.message)));
  assert.equal(volumes[0]!.report.stats!.truncated, true);
});
