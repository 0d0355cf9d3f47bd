// The test volume with one of everything: tool-made files, deleted files and folders, implant artefacts, and raw-written damage.

import { join } from 'node:path';
import { type FatType, lfnChecksum, lfnSlot, mkfsFat, mtools, putFile, RawFat, shortSlot } from './fat-builder.js';

export interface Expected {
  code: string;
  /** Path of the entry the anomaly concerns (or the directory, for slot-level problems). */
  path?: string;
  /** Image offset the anomaly must point at, when the builder knows it. */
  offset?: number;
}

export interface Zoo {
  path: string;
  type: FatType;
  raw: RawFat;
  expected: Expected[];
  /** Files whose content the tests check: path in the volume -> bytes. */
  contents: Map<string, Uint8Array>;
}

export function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const ATTR_HSA = 0x02 | 0x04 | 0x20;

/** Builds the zoo volume of `type` in `work` (offset 0 of its own file). */
export function buildZoo(type: FatType, work: string, name = `zoo-${type}.img`): Zoo {
  const img = mkfsFat(join(work, name), type);
  const contents = new Map<string, Uint8Array>();
  const put = (target: string, data: Uint8Array | string): void => {
    putFile(img, `::${target}`, data, work);
    contents.set(target, typeof data === 'string' ? new TextEncoder().encode(data) : data);
  };
  put('/readme.txt', 'Readme content\n');
  put('/Long File Name Document.docx', pattern(9000, 1));
  mtools(img, 'mmd', '::/DOCS');
  put('/DOCS/a.txt', 'alpha\n');
  mtools(img, 'mmd', '::/DOCS/Deep');
  put('/DOCS/Deep/b.bin', pattern(5000, 2));
  mtools(img, 'mmd', '::/OLD');
  putFile(img, '::/OLD/inner.txt', 'inner\n', work);
  mtools(img, 'mdeltree', '::/OLD');
  put('/hs.sys', 'hidden system\n');
  mtools(img, 'mattrib', '+h', '+s', '::/hs.sys');
  put('/.thumbs.db', pattern(700, 3));
  mtools(img, 'mattrib', '+h', '::/.thumbs.db');
  put('/System32.dat', pattern(100, 4));
  put('/System32.bin', pattern(100, 5));
  put('/autorun.inf', '[autorun]\nopen=x.exe\n');
  put('/Copy of Shortcut to.lnk', pattern(80, 6));
  // Flame: an empty placeholder takes the slot before HUB001.DAT; its slot becomes the long-name entry for ".".
  putFile(img, '::/PLACE.HLD', '', work);
  const flameData = pattern(5000, 7);
  putFile(img, '::/HUB001.DAT', flameData, work);
  mtools(img, 'mattrib', '+a', '+h', '+s', '::/HUB001.DAT');
  // Deleted last, in a folder nothing else is written to, so its long name and its cluster survive.
  putFile(img, '::/DOCS/Deleted Long Name.txt', 'this file was deleted\n', work);
  put('/DOCS/keep.txt', 'kept\n');
  mtools(img, 'mdel', '::/DOCS/Deleted Long Name.txt');

  const raw = new RawFat(img);
  const cs = raw.clusterSize;
  const expected: Expected[] = [];
  const place = raw.findShort('PLACE   HLD');
  const hub = raw.findShort('HUB001  DAT');
  if (hub !== place + 32) throw new Error('placeholder is not right before HUB001.DAT');
  raw.write(place, lfnSlot(0x41, '.', lfnChecksum('HUB001  DAT'), true));
  raw.write(hub + 11, new Uint8Array([ATTR_HSA]));
  contents.set('/.', flameData);
  expected.push({ code: 'FAT_FLAME_DOT_CONTAINER', path: '/.', offset: hub });
  expected.push({ code: 'FAT_DOT_NAME', path: '/.', offset: place });
  expected.push({ code: 'FAT_NAME_MISMATCH', path: '/.' });
  expected.push({ code: 'FAT_HIDDEN_SYSTEM_ROOT', path: '/.' });
  expected.push({ code: 'FAT_HIDDEN_SYSTEM_ROOT', path: '/hs.sys' });
  expected.push({ code: 'FAT_GAUSS_THUMBS_DB', path: '/.thumbs.db' });
  expected.push({ code: 'FAT_GAUSS_SYSTEM32', path: '/System32.dat' });
  expected.push({ code: 'FAT_GAUSS_SYSTEM32', path: '/System32.bin' });
  expected.push({ code: 'FAT_AUTORUN_INF', path: '/autorun.inf' });
  expected.push({ code: 'FAT_ROOT_LNK', path: '/Copy of Shortcut to.lnk' });

  // Slack: bytes after readme.txt's end inside its last cluster.
  const readme = raw.findShort('README  TXT');
  const readmeCluster = raw.read(readme + 26, 2)[0]! | (raw.read(readme + 26, 2)[1]! << 8) | (type === 'FAT32' ? (raw.read(readme + 20, 2)[0]! << 16) : 0);
  raw.write(raw.clusterOffset(readmeCluster) + 15 + 10, new TextEncoder().encode('SLACKDATA'));
  expected.push({ code: 'FAT_SLACK_DATA', path: '/readme.txt', offset: raw.clusterOffset(readmeCluster) + 25 });

  const root = raw.rootDirOffset();
  const addRoot = (...slots: Uint8Array[]): number => {
    let at = -1;
    for (const s of slots) {
      const o = raw.freeSlot(root);
      if (at < 0) at = o;
      raw.write(o, s);
    }
    return at;
  };
  // Cross-link: a second entry claims readme.txt's cluster.
  const cross = addRoot(shortSlot('CROSS   TXT', 0x20, readmeCluster, 15));
  expected.push({ code: 'FAT_CROSS_LINK', path: '/CROSS.TXT', offset: cross });
  // Loop: a cluster whose FAT entry points to itself.
  const loopC = raw.freeCluster(200);
  raw.fatSet(loopC, loopC);
  const loop = addRoot(shortSlot('LOOP    BIN', 0x20, loopC, 2 * cs));
  expected.push({ code: 'FAT_CHAIN_LOOP', path: '/LOOP.BIN', offset: loop });
  // A first cluster past the end of the volume.
  const far = type === 'FAT12' ? 0xff0 : type === 'FAT16' ? 0xfff0 : 0x0ffffff0;
  const farAt = addRoot(shortSlot('FAR     BIN', 0x20, far, 100));
  expected.push({ code: 'FAT_CLUSTER_OUT_OF_RANGE', path: '/FAR.BIN', offset: farAt });
  // A chain shorter than the size, and one longer.
  const shortC = raw.freeCluster(loopC + 1);
  raw.fatSet(shortC, raw.eoc());
  expected.push({ code: 'FAT_CHAIN_SHORT', path: '/SHORT.BIN', offset: addRoot(shortSlot('SHORT   BIN', 0x20, shortC, 3 * cs)) });
  const longC = raw.freeCluster(shortC + 1);
  const longC2 = raw.freeCluster(longC + 1);
  raw.fatSet(longC, longC2);
  raw.fatSet(longC2, raw.eoc());
  expected.push({ code: 'FAT_CHAIN_LONG', path: '/LONG.BIN', offset: addRoot(shortSlot('LONG    BIN', 0x20, longC, 10)) });
  // A long name whose checksum belongs to another 8.3 name, and a long name missing its first part.
  const mism = addRoot(lfnSlot(0x41, 'mismatch.txt', 0x12, true), shortSlot('MISMAT~1TXT', 0x20, 0, 0));
  expected.push({ code: 'FAT_LFN_CHECKSUM', path: '/', offset: mism });
  const orphan = addRoot(lfnSlot(0x42, 'second part', lfnChecksum('ORPH    TXT'), true), shortSlot('ORPH    TXT', 0x20, 0, 0));
  expected.push({ code: 'FAT_LFN_ORPHAN', path: '/', offset: orphan });
  // A valid long name set on an 8.3 name it could never produce.
  const rep = addRoot(lfnSlot(0x41, 'report.doc', lfnChecksum('HUB002  DAT'), true), shortSlot('HUB002  DAT', 0x20, 0, 0));
  expected.push({ code: 'FAT_NAME_MISMATCH', path: '/report.doc', offset: rep });
  // Reserved and unopenable names.
  expected.push({ code: 'FAT_NAME_RESERVED', path: '/CON.TXT', offset: addRoot(shortSlot('CON     TXT', 0x20, 0, 0)) });
  const bad = addRoot(lfnSlot(0x41, 'bad?name.txt', lfnChecksum('BADNAM~1TXT'), true), shortSlot('BADNAM~1TXT', 0x20, 0, 0));
  expected.push({ code: 'FAT_NAME_UNOPENABLE', path: '/bad?name.txt', offset: bad });
  // A ".." entry in the middle of a subdirectory.
  const docs = raw.findShort('DOCS       ');
  const docsCluster = raw.read(docs + 26, 2)[0]! | (raw.read(docs + 26, 2)[1]! << 8) | (type === 'FAT32' ? raw.read(docs + 20, 2)[0]! << 16 : 0);
  const dotdot = raw.freeSlot(raw.clusterOffset(docsCluster));
  raw.write(dotdot, shortSlot('..         ', 0x10, 0, 0));
  expected.push({ code: 'FAT_DOT_NAME', path: '/DOCS/..', offset: dotdot });
  // Data in a free cluster, far from everything.
  const freeC = raw.freeCluster(longC2 + 50);
  raw.write(raw.clusterOffset(freeC), new TextEncoder().encode('UNALLOCATED SECRET'));
  // Last: an entry after the end-of-directory marker (one zero slot between).
  const end = raw.freeSlot(root);
  raw.write(end + 32, shortSlot('AFTER   TXT', 0x20, 0, 0));
  expected.push({ code: 'FAT_ENTRIES_AFTER_END', path: '/' });
  return { path: img, type, raw, expected, contents };
}
