// Builds exFAT test volumes: mkfs.exfat formats, then files and folders are written as raw entry sets (no tool writes exFAT files).

import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

export interface ExfatFileOptions {
  attributes?: number;
  noFatChain?: boolean;
  deleted?: boolean;
  /** Leave the stored set checksum wrong. */
  badChecksum?: boolean;
}

/** exFAT spec §6.3.3 and §7.6.4, written out again here so the tests do not trust the reader's copies. */
function setChecksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) if (i !== 2 && i !== 3) s = ((s & 1 ? 0x8000 : 0) + (s >>> 1) + b[i]!) & 0xffff;
  return s;
}

function asciiNameHash(name: string): number {
  let h = 0;
  for (const ch of name.toUpperCase()) {
    const c = ch.charCodeAt(0);
    h = ((h & 1 ? 0x8000 : 0) + (h >>> 1) + (c & 0xff)) & 0xffff;
    h = ((h & 1 ? 0x8000 : 0) + (h >>> 1) + (c >>> 8)) & 0xffff;
  }
  return h;
}

export class ExfatImage {
  readonly sectorSize: number;
  readonly clusterSize: number;
  readonly fatOffset: number;
  readonly heapOffset: number;
  readonly rootCluster: number;
  private bitmapOffset = 0;
  private nextFree = 2;

  constructor(readonly path: string, sizeMiB = 8) {
    const fd = openSync(path, 'w');
    ftruncateSync(fd, sizeMiB * 1024 * 1024);
    closeSync(fd);
    execFileSync('mkfs.exfat', ['-c', '4096', '-L', 'TESTVOL', path], { stdio: 'ignore' });
    const b = this.read(0, 512);
    const dv = new DataView(b.buffer);
    this.sectorSize = 1 << b[108]!;
    this.clusterSize = this.sectorSize << b[109]!;
    this.fatOffset = dv.getUint32(80, true) * this.sectorSize;
    this.heapOffset = dv.getUint32(88, true) * this.sectorSize;
    this.rootCluster = dv.getUint32(96, true);
    const root = this.read(this.clusterOffset(this.rootCluster), this.clusterSize);
    for (let o = 0; o < root.length; o += 32) {
      if (root[o] === 0x81) this.bitmapOffset = this.clusterOffset(new DataView(root.buffer).getUint32(o + 20, true));
    }
  }

  read(offset: number, length: number): Uint8Array {
    const fd = openSync(this.path, 'r');
    const b = new Uint8Array(length);
    readSync(fd, b, 0, length, offset);
    closeSync(fd);
    return b;
  }

  write(offset: number, bytes: Uint8Array): void {
    const fd = openSync(this.path, 'r+');
    writeSync(fd, bytes, 0, bytes.length, offset);
    closeSync(fd);
  }

  clusterOffset(c: number): number {
    return this.heapOffset + (c - 2) * this.clusterSize;
  }

  private allocated(c: number): boolean {
    const i = c - 2;
    return (this.read(this.bitmapOffset + (i >> 3), 1)[0]! & (1 << (i & 7))) !== 0;
  }

  private setBit(c: number, on: boolean): void {
    const i = c - 2;
    const at = this.bitmapOffset + (i >> 3);
    const v = this.read(at, 1)[0]!;
    this.write(at, new Uint8Array([on ? v | (1 << (i & 7)) : v & ~(1 << (i & 7))]));
  }

  private fatSet(c: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.write(this.fatOffset + c * 4, b);
  }

  /** `n` consecutive free clusters, marked allocated (kept contiguous so NoFatChain files are valid). */
  private allocate(n: number): number {
    for (let c = this.nextFree; ; c++) {
      let ok = true;
      for (let k = 0; k < n && ok; k++) ok = !this.allocated(c + k);
      if (!ok) continue;
      for (let k = 0; k < n; k++) this.setBit(c + k, true);
      this.nextFree = c + n;
      return c;
    }
  }

  private freeSlots(dirCluster: number, count: number): number {
    const dir = this.read(this.clusterOffset(dirCluster), this.clusterSize);
    for (let o = 0; o + count * 32 <= dir.length; o += 32) {
      let ok = true;
      for (let k = 0; k < count && ok; k++) ok = dir[o + k * 32] === 0;
      if (ok) return this.clusterOffset(dirCluster) + o;
    }
    throw new Error('directory full');
  }

  /** Writes a file (or with attributes 0x10 a one-cluster folder) into the folder at `dirCluster`; returns its first cluster and entry offset. */
  add(dirCluster: number, name: string, data: Uint8Array, o: ExfatFileOptions = {}): { cluster: number; entry: number } {
    const isDir = ((o.attributes ?? 0x20) & 0x10) !== 0;
    const size = isDir ? this.clusterSize : data.length;
    const n = Math.ceil(size / this.clusterSize);
    const cluster = n > 0 ? this.allocate(n) : 0;
    if (n > 0) {
      this.write(this.clusterOffset(cluster), isDir ? new Uint8Array(this.clusterSize) : data);
      if (!o.noFatChain) for (let k = 0; k < n; k++) this.fatSet(cluster + k, k === n - 1 ? 0xffffffff : cluster + k + 1);
    }
    const nameEntries = Math.ceil(name.length / 15);
    const set = new Uint8Array(32 * (2 + nameEntries));
    const dv = new DataView(set.buffer);
    set[0] = 0x85;
    set[1] = 1 + nameEntries;
    dv.setUint16(4, o.attributes ?? 0x20, true);
    dv.setUint32(8, 0x5b790000, true);
    dv.setUint32(12, 0x5b790000, true);
    dv.setUint32(16, 0x5b790000, true);
    set[32] = 0xc0;
    set[33] = (n > 0 ? 1 : 0) | (o.noFatChain ? 2 : 0);
    set[35] = name.length;
    dv.setUint16(36, asciiNameHash(name), true);
    dv.setBigUint64(40, BigInt(size), true);
    dv.setUint32(52, cluster, true);
    dv.setBigUint64(56, BigInt(size), true);
    for (let k = 0; k < nameEntries; k++) {
      set[64 + k * 32] = 0xc1;
      for (let i = 0; i < 15 && k * 15 + i < name.length; i++) dv.setUint16(64 + k * 32 + 2 + 2 * i, name.charCodeAt(k * 15 + i), true);
    }
    dv.setUint16(2, (setChecksum(set) + (o.badChecksum ? 1 : 0)) & 0xffff, true);
    if (o.deleted) {
      for (let k = 0; k < set.length; k += 32) set[k] = set[k]! & 0x7f;
      for (let k = 0; k < n; k++) this.setBit(cluster + k, false);
    }
    const entry = this.freeSlots(dirCluster, set.length / 32);
    this.write(entry, set);
    return { cluster, entry };
  }
}
