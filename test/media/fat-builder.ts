// Builds FAT test images with mkfs.fat and mtools, then makes what no tool makes by raw writes into the image.

import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FatType = 'FAT12' | 'FAT16' | 'FAT32';

const MTOOLS_ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1', MTOOLS_NO_VFAT: '' };

export function tempDir(prefix = 'firebreak-media-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh volume image: FAT12 1 MiB (2 KiB clusters), FAT16 8 MiB (512 B), FAT32 300 MiB sparse (4 KiB). */
export function mkfsFat(path: string, type: FatType, sizeKiB?: number, sectorsPerCluster?: number): string {
  const size = sizeKiB ?? (type === 'FAT12' ? 1024 : type === 'FAT16' ? 8192 : 300 * 1024);
  const bits = type.slice(3);
  const spc = sectorsPerCluster ? ['-s', String(sectorsPerCluster)] : type === 'FAT16' ? ['-s', '1'] : type === 'FAT32' ? ['-s', '8'] : [];
  const args = ['-C', '-F', bits, '-i', '12345678', ...spc, path, String(size)];
  execFileSync('mkfs.fat', args, { stdio: 'ignore' });
  return path;
}

/** Runs one mtools command on the image (`mcopy`, `mmd`, `mdel`, `mdeltree`, `mattrib`). */
export function mtools(image: string, cmd: string, ...args: string[]): void {
  execFileSync(cmd, ['-i', image, ...args], { env: MTOOLS_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Copies `content` into the image as `target` (`::/DIR/name`). */
export function putFile(image: string, target: string, content: Uint8Array | string, work: string): void {
  const host = join(work, `host-${Math.random().toString(36).slice(2)}`);
  writeFileSync(host, content);
  mtools(image, 'mcopy', host, target);
}

/** 8.3 checksum (Microsoft FAT spec §7.2), written out here again so the tests do not trust the reader's copy. */
export function lfnChecksum(name11: string): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = ((sum & 1 ? 0x80 : 0) + (sum >> 1) + name11.charCodeAt(i)) & 0xff;
  return sum;
}

/** One long-name slot holding up to 13 characters of `part`, terminated and padded as Windows does. */
export function lfnSlot(ord: number, part: string, checksum: number, terminate: boolean): Uint8Array {
  const b = new Uint8Array(32);
  b[0] = ord;
  b[11] = 0x0f;
  b[13] = checksum;
  const units: number[] = [];
  for (let i = 0; i < 13; i++) units.push(i < part.length ? part.charCodeAt(i) : i === part.length && terminate ? 0 : 0xffff);
  const pos = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
  pos.forEach((p, i) => {
    b[p] = units[i]! & 0xff;
    b[p + 1] = units[i]! >>> 8;
  });
  return b;
}

export function shortSlot(name11: string, attr: number, cluster: number, size: number): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 0; i < 11; i++) b[i] = name11.charCodeAt(i);
  b[11] = attr;
  b[20] = (cluster >>> 16) & 0xff;
  b[21] = cluster >>> 24;
  b[26] = cluster & 0xff;
  b[27] = (cluster >>> 8) & 0xff;
  new DataView(b.buffer).setUint32(28, size, true);
  b[24] = 0x79; // 2040-11-25, a valid date so the entry looks written by a driver
  b[25] = 0x61;
  return b;
}

/** Raw access to a FAT image's layout, computed here from the BPB independently of the reader under test. */
export class RawFat {
  readonly bps: number;
  readonly spc: number;
  readonly fatOffset: number;
  readonly fatBytes: number;
  readonly numFats: number;
  readonly rootOffset: number;
  readonly dataOffset: number;
  readonly type: FatType;
  readonly rootCluster: number;

  constructor(readonly path: string, readonly base = 0) {
    const b = this.read(0, 512);
    const dv = new DataView(b.buffer);
    this.bps = dv.getUint16(11, true);
    this.spc = b[13]!;
    const reserved = dv.getUint16(14, true);
    this.numFats = b[16]!;
    const rootEntries = dv.getUint16(17, true);
    const total = dv.getUint16(19, true) || dv.getUint32(32, true);
    const fatSectors = dv.getUint16(22, true) || dv.getUint32(36, true);
    this.fatOffset = reserved * this.bps;
    this.fatBytes = fatSectors * this.bps;
    this.rootOffset = this.fatOffset + this.numFats * this.fatBytes;
    this.dataOffset = this.rootOffset + Math.ceil((rootEntries * 32) / this.bps) * this.bps;
    const clusters = Math.floor((total - this.dataOffset / this.bps) / this.spc);
    this.type = clusters < 4085 ? 'FAT12' : clusters < 65525 ? 'FAT16' : 'FAT32';
    this.rootCluster = this.type === 'FAT32' ? dv.getUint32(44, true) : 0;
  }

  get clusterSize(): number {
    return this.bps * this.spc;
  }

  read(offset: number, length: number): Uint8Array {
    const fd = openSync(this.path, 'r');
    const b = new Uint8Array(length);
    readSync(fd, b, 0, length, this.base + offset);
    closeSync(fd);
    return b;
  }

  write(offset: number, bytes: Uint8Array): void {
    const fd = openSync(this.path, 'r+');
    writeSync(fd, bytes, 0, bytes.length, this.base + offset);
    closeSync(fd);
  }

  clusterOffset(c: number): number {
    return this.dataOffset + (c - 2) * this.clusterSize;
  }

  /** Byte offset of the root directory's first slot. */
  rootDirOffset(): number {
    return this.type === 'FAT32' ? this.clusterOffset(this.rootCluster) : this.rootOffset;
  }

  fatGet(c: number): number {
    if (this.type === 'FAT12') {
      const at = this.fatOffset + c + (c >> 1);
      const b = this.read(at, 2);
      const v = b[0]! | (b[1]! << 8);
      return c & 1 ? v >> 4 : v & 0xfff;
    }
    const w = this.type === 'FAT16' ? 2 : 4;
    const b = this.read(this.fatOffset + c * w, w);
    return w === 2 ? b[0]! | (b[1]! << 8) : new DataView(b.buffer).getUint32(0, true) & 0x0fffffff;
  }

  /** Sets a FAT entry in every FAT copy. */
  fatSet(c: number, value: number): void {
    for (let k = 0; k < this.numFats; k++) {
      const base = this.fatOffset + k * this.fatBytes;
      if (this.type === 'FAT12') {
        const at = base + c + (c >> 1);
        const b = this.read(at, 2);
        let v = b[0]! | (b[1]! << 8);
        v = c & 1 ? (v & 0x000f) | ((value & 0xfff) << 4) : (v & 0xf000) | (value & 0xfff);
        this.write(at, new Uint8Array([v & 0xff, v >> 8]));
      } else if (this.type === 'FAT16') {
        this.write(base + c * 2, new Uint8Array([value & 0xff, (value >> 8) & 0xff]));
      } else {
        const b = new Uint8Array(4);
        new DataView(b.buffer).setUint32(0, value, true);
        this.write(base + c * 4, b);
      }
    }
  }

  eoc(): number {
    return this.type === 'FAT12' ? 0xfff : this.type === 'FAT16' ? 0xffff : 0x0fffffff;
  }

  /** The first free cluster at or after `from`. */
  freeCluster(from = 2): number {
    for (let c = from; ; c++) if (this.fatGet(c) === 0) return c;
  }

  /** Offset of the 8.3 slot with this stored name, searched over the root directory and the data area's start. */
  findShort(name11: string, within = 4 * 1024 * 1024): number {
    const start = this.type === 'FAT32' ? this.dataOffset : this.rootOffset;
    const b = this.read(start, within);
    for (let o = 0; o + 32 <= b.length; o += 32) {
      let ok = b[o + 11] !== 0x0f;
      for (let i = 0; i < 11 && ok; i++) ok = b[o + i] === name11.charCodeAt(i);
      if (ok) return start + o;
    }
    throw new Error(`no 8.3 entry ${name11} in ${this.path}`);
  }

  /** Offset of the first unused slot (0x00) of the directory that starts at `dirOffset`. */
  freeSlot(dirOffset: number): number {
    const b = this.read(dirOffset, this.type === 'FAT32' ? this.clusterSize : 512 * 32);
    for (let o = 0; o + 32 <= b.length; o += 32) if (b[o] === 0) return dirOffset + o;
    throw new Error('directory full');
  }
}
