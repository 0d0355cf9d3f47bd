import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BASIC_DATA, blankDisk, copyVolume, LINUX_FS, writeGpt, writeMbr } from '../../../test/media/disk-builder.js';
import { mkfsFat, putFile, tempDir } from '../../../test/media/fat-builder.js';
import { fls, mmls } from '../../../test/media/tsk.js';
import { analyseImage } from '../fat/analyse.js';
import { bytesSource } from './byte-source.js';
import { readPartitionTable } from './index.js';

const work = tempDir();
after(() => rmSync(work, { recursive: true, force: true }));

function fat12(name: string, file: string): string {
  const img = mkfsFat(join(work, name), 'FAT12');
  putFile(img, `::/${file}`, `content of ${file}\n`, work);
  return img;
}

describe('MBR with primary, extended and logical partitions', () => {
  const disk = join(work, 'mbr.img');
  blankDisk(disk, 16384);
  const vol = fat12('v1.img', 'one.txt');
  const vol2 = fat12('v2.img', 'five.txt');
  const vol3 = fat12('v3.img', 'six.txt');
  writeMbr(
    disk,
    [
      { type: 0x01, start: 2048, sectors: 2048, boot: true },
      { type: 0x83, start: 4096, sectors: 2048 },
    ],
    [
      { type: 0x01, start: 8193, sectors: 2048 },
      { type: 0x06, start: 10242, sectors: 2048 },
    ],
    { start: 8192, sectors: 8000 },
  );
  copyVolume(disk, 2048, vol);
  copyVolume(disk, 8193, vol2);
  copyVolume(disk, 10242, vol3);

  test('partitions agree with mmls', () => {
    const t = readPartitionTable(bytesSource(readFileSync(disk)));
    assert.equal(t.scheme, 'mbr');
    const theirs = mmls(disk)
      .filter((r) => !/Extended|Table|Unallocated|Primary Table/.test(r.description))
      .map((r) => `${r.start}+${r.length}`)
      .sort();
    const ours = t.partitions.map((p) => `${p.offset / 512}+${p.length / 512}`).sort();
    assert.deepEqual(ours, theirs);
    assert.deepEqual(
      t.partitions.map((p) => p.label),
      ['p1', 'p2', 'p5', 'p6'],
    );
    assert.deepEqual(t.anomalies, []);
  });

  test('each FAT partition is walked, with image offsets, and agrees with fls -o', () => {
    const { report } = analyseImage(bytesSource(readFileSync(disk)), 'mbr.img');
    const byLabel = new Map(report.volumes.map((v) => [v.label, v]));
    assert.equal(byLabel.get('p2')!.note, 'not a FAT or exFAT volume');
    for (const [label, sector, file] of [
      ['p1', 2048, 'one.txt'],
      ['p5', 8193, 'five.txt'],
      ['p6', 10242, 'six.txt'],
    ] as const) {
      const v = byLabel.get(label)!;
      assert.equal(v.offset, sector * 512);
      assert.deepEqual(
        v.entries.map((e) => e.path.slice(1)),
        fls(disk, sector).map((l) => l.path),
      );
      const e = v.entries.find((x) => x.path === `/${file}`)!;
      const data = readFileSync(disk).subarray(e.dataOffset!, e.dataOffset! + e.size);
      assert.equal(data.toString(), `content of ${file}\n`);
    }
  });

  test('an EBR chain that loops is reported and stops', () => {
    const bytes = new Uint8Array(readFileSync(disk));
    // Point the second EBR's link back at the first EBR.
    const ebr2 = 10241 * 512;
    bytes.set([0, 0, 0, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0], ebr2 + 462);
    const t = readPartitionTable(bytesSource(bytes));
    assert.ok(t.anomalies.some((a) => a.code === 'PART_EBR_LOOP'));
    assert.equal(t.partitions.filter((p) => p.logical).length, 2);
  });
});

describe('GPT', () => {
  const disk = join(work, 'gpt.img');
  const sectors = 20480;
  blankDisk(disk, sectors);
  writeGpt(disk, sectors, [
    { type: BASIC_DATA, first: 2048, last: 4095, name: 'USB DATA' },
    { type: LINUX_FS, first: 4096, last: 8191, name: 'linux' },
  ]);
  copyVolume(disk, 2048, fat12('g1.img', 'gpt.txt'));

  test('partitions agree with mmls, names and types read', () => {
    const t = readPartitionTable(bytesSource(readFileSync(disk)));
    assert.equal(t.scheme, 'gpt');
    assert.deepEqual(t.anomalies, []);
    const theirs = mmls(disk)
      .filter((r) => !/Safety|GPT|Unallocated|Partition Table/.test(r.description))
      .map((r) => `${r.start}+${r.length}`)
      .sort();
    assert.deepEqual(t.partitions.map((p) => `${p.offset / 512}+${p.length / 512}`).sort(), theirs);
    assert.equal(t.partitions[0]!.name, 'USB DATA');
    assert.equal(t.partitions[0]!.typeName, 'Microsoft basic data');
  });

  test('a damaged entry array is caught by its CRC', () => {
    const bytes = new Uint8Array(readFileSync(disk));
    bytes[1024 + 60] ^= 0xff;
    const t = readPartitionTable(bytesSource(bytes));
    assert.ok(t.anomalies.some((a) => a.code === 'PART_GPT_ENTRIES_CRC'));
  });

  test('a destroyed primary header falls back to the backup', () => {
    const bytes = new Uint8Array(readFileSync(disk));
    bytes.fill(0, 512, 1024);
    const t = readPartitionTable(bytesSource(bytes));
    assert.equal(t.scheme, 'gpt');
    assert.ok(t.anomalies.some((a) => a.code === 'PART_GPT_PRIMARY_MISSING'));
    assert.equal(t.partitions.length, 2);
  });
});
