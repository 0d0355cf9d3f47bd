// Writes MBR (with an extended partition and logical drives) and GPT disks byte by byte, and copies volumes into them.

import { closeSync, openSync, readFileSync, writeSync, ftruncateSync } from 'node:fs';
import { crc32 } from 'node:zlib';

export interface MbrPart {
  type: number;
  start: number;
  sectors: number;
  boot?: boolean;
}

function entry(p: MbrPart, relStart: number): Uint8Array {
  const b = new Uint8Array(16);
  b[0] = p.boot ? 0x80 : 0;
  b[4] = p.type;
  const dv = new DataView(b.buffer);
  dv.setUint32(8, relStart, true);
  dv.setUint32(12, p.sectors, true);
  return b;
}

function writeAt(path: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
  closeSync(fd);
}

export function blankDisk(path: string, sectors: number): void {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, sectors * 512);
  closeSync(fd);
}

/** An MBR with `primary` entries; `logical` partitions go in an extended partition (type 0x0f) in slot 4 when given. */
export function writeMbr(path: string, primary: MbrPart[], logical: MbrPart[] = [], extended?: { start: number; sectors: number }): void {
  const mbr = new Uint8Array(512);
  primary.forEach((p, i) => mbr.set(entry(p, p.start), 446 + i * 16));
  if (extended) mbr.set(entry({ type: 0x0f, start: extended.start, sectors: extended.sectors }, extended.start), 446 + 3 * 16);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  writeAt(path, 0, mbr);
  if (!extended) return;
  // Each logical partition sits one sector after its EBR; the EBR's second entry links to the next EBR (relative to the extended start).
  logical.forEach((p, i) => {
    const ebrSector = p.start - 1;
    const ebr = new Uint8Array(512);
    ebr.set(entry(p, 1), 446);
    const next = logical[i + 1];
    if (next) ebr.set(entry({ type: 0x05, start: 0, sectors: next.sectors + 1 }, next.start - 1 - extended.start), 462);
    ebr[510] = 0x55;
    ebr[511] = 0xaa;
    writeAt(path, ebrSector * 512, ebr);
  });
}

export interface GptPart {
  type: string;
  first: number;
  last: number;
  name: string;
}

function guidBytes(g: string): Uint8Array {
  const h = g.replace(/-/g, '');
  const b = new Uint8Array(16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  order.forEach((src, i) => (b[i] = parseInt(h.slice(src * 2, src * 2 + 2), 16)));
  return b;
}

/** A protective MBR, primary GPT at LBA 1 (entries at LBA 2) and the backup at the end, with correct CRCs. */
export function writeGpt(path: string, sectors: number, parts: GptPart[]): void {
  const mbr = new Uint8Array(512);
  mbr.set(entry({ type: 0xee, start: 1, sectors: Math.min(sectors - 1, 0xffffffff) }, 1), 446);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  writeAt(path, 0, mbr);
  const entries = new Uint8Array(128 * 128);
  parts.forEach((p, i) => {
    const o = i * 128;
    entries.set(guidBytes(p.type), o);
    entries.set(guidBytes(`00000000-0000-4000-8000-0000000000${(i + 1).toString(16).padStart(2, '0')}`), o + 16);
    const dv = new DataView(entries.buffer);
    dv.setBigUint64(o + 32, BigInt(p.first), true);
    dv.setBigUint64(o + 40, BigInt(p.last), true);
    for (let k = 0; k < p.name.length; k++) dv.setUint16(o + 56 + 2 * k, p.name.charCodeAt(k), true);
  });
  const entriesCrc = crc32(entries);
  const header = (my: number, alt: number, entriesLba: number): Uint8Array => {
    const h = new Uint8Array(512);
    h.set(new TextEncoder().encode('EFI PART'), 0);
    const dv = new DataView(h.buffer);
    dv.setUint32(8, 0x00010000, true);
    dv.setUint32(12, 92, true);
    dv.setBigUint64(24, BigInt(my), true);
    dv.setBigUint64(32, BigInt(alt), true);
    dv.setBigUint64(40, 34n, true);
    dv.setBigUint64(48, BigInt(sectors - 34), true);
    h.set(guidBytes('11111111-2222-4333-8444-555555555555'), 56);
    dv.setBigUint64(72, BigInt(entriesLba), true);
    dv.setUint32(80, 128, true);
    dv.setUint32(84, 128, true);
    dv.setUint32(88, entriesCrc, true);
    dv.setUint32(16, crc32(h.subarray(0, 92)), true);
    return h;
  };
  writeAt(path, 512, header(1, sectors - 1, 2));
  writeAt(path, 1024, entries);
  writeAt(path, (sectors - 33) * 512, entries);
  writeAt(path, (sectors - 1) * 512, header(sectors - 1, 1, sectors - 33));
}

export function copyVolume(disk: string, sector: number, volumeImage: string): void {
  writeAt(disk, sector * 512, readFileSync(volumeImage));
}

export const BASIC_DATA = 'ebd0a0a2-b9e5-4433-87c0-68b6b72699c7';
export const LINUX_FS = '0fc63daf-8483-4772-8e79-3d69d8477de4';
