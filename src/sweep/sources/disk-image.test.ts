// `firebreak sweep IMAGE`: a partitioned disk image opens into its files, hidden, deleted and the Flame "."
// container included, at `img#p1:/...` paths; both held in memory and, over --max-size, read in place.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../test/helpers/cli.js';
import { blankDisk, copyVolume, writeMbr } from '../../../test/media/disk-builder.js';
import { ExfatImage } from '../../../test/media/exfat-builder.js';
import { lfnChecksum, lfnSlot, mkfsFat, mtools, putFile, RawFat, tempDir } from '../../../test/media/fat-builder.js';
import { bytesSource } from '../../formats/partition/byte-source.js';
import { isDiskImage } from './disk-image.js';

const MARKER = 'FIREBREAK-IMAGE-MARKER';
const work = tempDir('fb-image-sweep-');
after(() => rmSync(work, { recursive: true, force: true }));

interface Rec {
  type: string;
  sample?: { path: string; size: number };
  source?: { kind: string; partition?: string; volumeOffset?: number; dataOffset?: number; deleted?: boolean; hidden?: boolean; image?: string; shortName?: string };
  iocs?: { type: string; indicator: string; why: string }[];
  family?: { name: string; why: string[] } | null;
  yara?: { rule: string }[];
  anomalies?: { code: string }[];
  skipped?: { reason: string } | null;
  path?: string;
}

/** A FAT16 volume with the marker in a plain file, a hidden file, a deleted file and Flame's "." container. */
function buildVolume(name = 'vol.img'): string {
  const img = mkfsFat(join(work, name), 'FAT16');
  putFile(img, '::/clean.txt', 'nothing to see\n', work);
  mtools(img, 'mmd', '::/DOCS');
  putFile(img, '::/DOCS/alpha.txt', `alpha ${MARKER} alpha\n`, work);
  putFile(img, '::/hidden.dat', `hidden ${MARKER}\n`, work);
  mtools(img, 'mattrib', '+h', '::/hidden.dat');
  putFile(img, '::/PLACE.HLD', '', work);
  putFile(img, '::/HUB001.DAT', `container ${MARKER}\n`, work);
  mtools(img, 'mattrib', '+a', '+h', '+s', '::/HUB001.DAT');
  mtools(img, 'mmd', '::/OLD');
  putFile(img, '::/OLD/Gone Report.txt', `deleted ${MARKER}\n`, work);
  mtools(img, 'mdel', '::/OLD/Gone Report.txt');
  // Flame's container: the empty placeholder's slot becomes the long-name entry "." of HUB001.DAT.
  const raw = new RawFat(img);
  const place = raw.findShort('PLACE   HLD');
  raw.write(place, lfnSlot(0x41, '.', lfnChecksum('HUB001  DAT'), true));
  return img;
}

describe('sweep over a partitioned disk image', () => {
  let disk: string;
  let rules: string;
  before(() => {
    const vol = buildVolume();
    const sectors = statSync(vol).size / 512;
    disk = join(work, 'disk.img');
    blankDisk(disk, 2048 + sectors + 8);
    writeMbr(disk, [{ type: 0x06, start: 2048, sectors }]);
    copyVolume(disk, 2048, vol);
    rules = join(work, 'image.yar');
    writeFileSync(rules, `rule image_marker { strings: $a = "${MARKER}" condition: $a }\n`);
  });

  const sweep = async (...extra: string[]): Promise<{ status: number; records: Rec[] }> => {
    const r = await runCli(['sweep', '--no-progress', '--no-cache', '--all', '--format', 'ndjson', '--rules', rules, ...extra, disk]);
    assert.notEqual(r.status, 2, r.stderr);
    return { status: r.status, records: r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Rec) };
  };

  const check = (records: Rec[]): void => {
    const byPath = new Map(records.filter((r) => r.type === 'sample').map((r) => [r.sample!.path, r]));
    const hit = (p: string): Rec => {
      const r = byPath.get(`${disk}#p1:${p}`);
      assert.ok(r, `no record for #p1:${p}; got ${[...byPath.keys()].join(', ')}`);
      assert.deepEqual(
        r.yara!.map((y) => y.rule),
        ['image_marker'],
        p,
      );
      assert.equal(r.source!.kind, 'image-file');
      assert.equal(r.source!.image, disk);
      assert.equal(r.source!.partition, 'p1');
      assert.equal(r.source!.volumeOffset, 2048 * 512);
      return r;
    };
    hit('/DOCS/alpha.txt');
    assert.equal(hit('/hidden.dat').source!.hidden, true);
    assert.equal(hit('/OLD/Gone Report.txt').source!.deleted, true);
    const flame = hit('/.');
    assert.equal(flame.source!.hidden, true);
    assert.ok(flame.anomalies!.some((a) => a.code === 'FAT_FLAME_DOT_CONTAINER'), 'the "." member carries its anomaly');
    // The byte offset points at the file's content in the image.
    const alpha = byPath.get(`${disk}#p1:/DOCS/alpha.txt`)!;
    const at = alpha.source!.dataOffset!;
    assert.equal(readFileSync(disk).subarray(at, at + 6).toString(), 'alpha ');
    const clean = byPath.get(`${disk}#p1:/clean.txt`)!;
    assert.deepEqual(clean.yara, []);
    // The image itself carries the volume's anomalies.
    const image = byPath.get(disk)!;
    assert.ok(image.anomalies!.some((a) => a.code === 'FAT_FLAME_DOT_CONTAINER'));
    assert.ok(image.anomalies!.some((a) => a.code === 'FAT_HIDDEN_SYSTEM_ROOT'));
  };

  test('held in memory: every file is scanned, at img#p1:/... paths, and the image itself too', async () => {
    const { status, records } = await sweep();
    assert.equal(status, 1);
    check(records);
    const image = records.find((r) => r.type === 'sample' && r.sample!.path === disk)!;
    assert.equal(image.skipped, null);
    assert.deepEqual(
      image.yara!.map((y) => y.rule),
      ['image_marker'],
    );
  });

  test('over --max-size: the image is read in place, its files are scanned all the same', async () => {
    const { status, records } = await sweep('--max-size', '64K');
    assert.equal(status, 1);
    check(records);
    const image = records.find((r) => r.type === 'sample' && r.sample!.path === disk)!;
    assert.equal(image.skipped!.reason, 'too-large');
  });
});

describe('the bundled pack on a USB image: Flame\'s "." container is a finding without any YARA hit', () => {
  let disk: string;
  before(() => {
    const vol = buildVolume('usb-vol.img');
    const sectors = statSync(vol).size / 512;
    disk = join(work, 'usb.img');
    blankDisk(disk, 2048 + sectors + 8);
    writeMbr(disk, [{ type: 0x06, start: 2048, sectors }]);
    copyVolume(disk, 2048, vol);
  });

  const sweepPack = async (image: string, ...extra: string[]): Promise<{ status: number; records: Rec[]; stdout: string }> => {
    // No --rules: the bundled pack, whose YARA rules cannot see the container when the image is read in place.
    const r = await runCli(['sweep', '--no-progress', '--no-cache', ...extra, image]);
    assert.notEqual(r.status, 2, r.stderr);
    return { status: r.status, stdout: r.stdout, records: extra.includes('ndjson') ? r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Rec) : [] };
  };

  test('FAT, over --max-size: the member is Flame by its artefact and its 8.3 name; the image is not a second finding', async () => {
    const { status, records } = await sweepPack(disk, '--max-size', '64K', '--format', 'ndjson');
    assert.equal(status, 1);
    const samples = records.filter((r) => r.type === 'sample');
    assert.deepEqual(
      samples.map((r) => r.sample!.path),
      [`${disk}#p1:/.`],
      'only the container is listed (no --all)',
    );
    const dot = samples[0]!;
    assert.equal(dot.source!.shortName, 'HUB001.DAT');
    assert.equal(dot.family!.name, 'Flame');
    assert.ok(dot.family!.why.some((w) => w.startsWith('artefact FAT_FLAME_DOT_CONTAINER (confidence high)')), dot.family!.why.join('; '));
    const byShortName = dot.iocs!.find((h) => h.type === 'filename' && /HUB001/.test(h.indicator));
    assert.ok(byShortName, 'the filename IOC for HUB001.DAT matches the 8.3 name of the "." entry');
    assert.match(byShortName.why, /"HUB001\.DAT"/);
    const summary = records.find((r) => r.type === 'summary') as unknown as { findings: { byFamily: Record<string, number> } };
    assert.deepEqual(summary.findings.byFamily, { Flame: 1 });
  });

  test('the text report says where the member is and lists its anomalies', async () => {
    const { stdout } = await sweepPack(disk, '--max-size', '64K');
    assert.match(stdout, /^FOUND .*#p1:\/\.\n/m);
    assert.match(stdout, /^ {4}where {3}partition p1 at 0x100000, data at 0x[0-9a-f]+, 8\.3 name HUB001\.DAT, hidden$/m);
    assert.match(stdout, /^ {4}anomaly high FAT_FLAME_DOT_CONTAINER at 0x[0-9a-f]+: Flame's USB container/m);
  });

  test('exFAT: a "." file with Hidden+System is Flame by its artefact alone (no 8.3 names, no YARA pattern for it)', async () => {
    const img = new ExfatImage(join(work, 'usb-exfat.img'));
    img.add(img.rootCluster, 'notes.txt', new TextEncoder().encode('nothing here\n'));
    img.add(img.rootCluster, '.', new TextEncoder().encode('container bytes'), { attributes: 0x26 });
    const { status, records } = await sweepPack(img.path, '--format', 'ndjson');
    assert.equal(status, 1);
    const found = records.filter((r) => r.type === 'sample');
    assert.deepEqual(
      found.map((r) => [r.sample!.path, r.family?.name]),
      [[`${img.path}#whole:/.`, 'Flame']],
    );
  });
});

test('sniffing: FAT volumes and partitioned disks are images; other files, however they start, are not', () => {
  const vol = mkfsFat(join(work, 'sniff.img'), 'FAT12');
  assert.equal(isDiskImage(bytesSource(readFileSync(vol))), true);
  const noSignature = new Uint8Array(readFileSync(vol));
  noSignature[510] = 0;
  assert.equal(isDiskImage(bytesSource(noSignature)), false);
  const mbrOnly = new Uint8Array(64 * 1024);
  mbrOnly.set([0x80, 0, 0, 0, 0x06, 0, 0, 0, 8, 0, 0, 0, 64, 0, 0, 0], 446);
  mbrOnly[510] = 0x55;
  mbrOnly[511] = 0xaa;
  assert.equal(isDiskImage(bytesSource(mbrOnly)), false, 'a partition table whose partition holds no volume');
  assert.equal(isDiskImage(bytesSource(new TextEncoder().encode('MZ'.padEnd(8192, '\u0000')))), false);
});
