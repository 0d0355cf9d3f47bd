// Runs The Sleuth Kit (fls, istat, mmls) on test images and parses what they print, for differential tests.

import { execFileSync } from 'node:child_process';

export interface FlsLine {
  type: string;
  deleted: boolean;
  inode: number;
  path: string;
}

/** `fls -r -p -a` without TSK's virtual files ($MBR, $FAT1, $OrphanFiles...) and volume label entries. */
export function fls(image: string, sectorOffset = 0): FlsLine[] {
  const out = execFileSync('fls', ['-r', '-p', '-a', '-o', String(sectorOffset), image], { encoding: 'latin1', maxBuffer: 1 << 30 });
  const lines: FlsLine[] = [];
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(\*\s+)?(\d+)(?:\(realloc\))?:\t(.*)$/.exec(line);
    if (!m) continue;
    const [, type, star, inode, path] = m;
    if (type!.startsWith('v/') || type!.startsWith('V/') || path!.startsWith('$OrphanFiles') || path!.endsWith('(Volume Label Entry)')) continue;
    lines.push({ type: type!, deleted: star !== undefined, inode: Number(inode), path: path! });
  }
  return lines;
}

export interface IstatInfo {
  size: number;
  sectors: number[];
}

export function istat(image: string, inode: number, sectorOffset = 0): IstatInfo {
  const out = execFileSync('istat', ['-o', String(sectorOffset), image, String(inode)], { encoding: 'latin1' });
  const size = Number(/^Size: (\d+)/m.exec(out)?.[1] ?? NaN);
  const tail = out.split(/^Sectors:\s*$/m)[1] ?? '';
  const sectors = tail
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
  return { size, sectors };
}

export interface MmlsLine {
  start: number;
  length: number;
  description: string;
}

/** Allocated partitions from `mmls` (sectors), without the metadata and unallocated rows. */
export function mmls(image: string): MmlsLine[] {
  const out = execFileSync('mmls', [image], { encoding: 'latin1' });
  const rows: MmlsLine[] = [];
  for (const line of out.split('\n')) {
    const m = /^\d+:\s+(\d+:\d+|[0-9]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (!m || m[1]!.startsWith('-')) continue;
    rows.push({ start: Number(m[2]), length: Number(m[4]), description: m[5]!.trim() });
  }
  return rows;
}
