// Reads an MBR partition table, following the chain of extended boot records for logical partitions.

import { AnomalyList } from '../../core/anomaly.js';
import { type ByteSource, u32 } from './byte-source.js';
import type { Partition } from './types.js';

/** Logical partitions followed through the EBR chain before giving up; real disks have a handful. */
export const MAX_LOGICAL_PARTITIONS = 128;

const EXTENDED_TYPES = new Set([0x05, 0x0f, 0x85]);
export const GPT_PROTECTIVE_TYPE = 0xee;

const MBR_TYPE_NAMES: Record<number, string> = {
  0x01: 'FAT12',
  0x04: 'FAT16 <32M',
  0x05: 'Extended',
  0x06: 'FAT16',
  0x07: 'NTFS/exFAT/HPFS',
  0x0b: 'FAT32 (CHS)',
  0x0c: 'FAT32 (LBA)',
  0x0e: 'FAT16 (LBA)',
  0x0f: 'Extended (LBA)',
  0x11: 'Hidden FAT12',
  0x14: 'Hidden FAT16 <32M',
  0x16: 'Hidden FAT16',
  0x1b: 'Hidden FAT32',
  0x1c: 'Hidden FAT32 (LBA)',
  0x1e: 'Hidden FAT16 (LBA)',
  0x27: 'Windows recovery',
  0x82: 'Linux swap',
  0x83: 'Linux',
  0x85: 'Linux extended',
  0xee: 'GPT protective',
  0xef: 'EFI system',
};

export function mbrTypeName(type: number): string {
  return MBR_TYPE_NAMES[type] ?? 'Unknown';
}

function hexByte(v: number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}

export interface MbrResult {
  /** False when sector 0 carries no 0x55AA signature or no plausible entry. */
  valid: boolean;
  partitions: Partition[];
  /** True when a 0xEE entry says a GPT follows. */
  protective: boolean;
}

interface RawEntry {
  status: number;
  type: number;
  start: number;
  count: number;
}

function entryAt(sector: Uint8Array, slot: number): RawEntry {
  const o = 446 + slot * 16;
  return { status: sector[o]!, type: sector[o + 4]!, start: u32(sector, o + 8), count: u32(sector, o + 12) };
}

/** Parses the MBR in sector 0 of `src`; offsets in the result are relative to `src`. */
export function readMbr(src: ByteSource, sectorSize: number, anomalies: AnomalyList): MbrResult {
  const sector = src.read(0, 512);
  const none: MbrResult = { valid: false, partitions: [], protective: false };
  if (sector.length < 512 || sector[510] !== 0x55 || sector[511] !== 0xaa) return none;
  const entries = [0, 1, 2, 3].map((i) => entryAt(sector, i));
  // A boot sector with 0x55AA but garbage in the table (a volume boot record) is not an MBR.
  if (entries.some((e) => e.status !== 0 && e.status !== 0x80)) return none;
  if (entries.every((e) => e.type === 0)) return none;
  const result: MbrResult = { valid: true, partitions: [], protective: false };
  const diskSectors = Math.floor(src.size / sectorSize);
  entries.forEach((e, slot) => {
    if (e.type === 0) return;
    if (e.type === GPT_PROTECTIVE_TYPE) {
      result.protective = true;
      return;
    }
    const entryOffset = 446 + slot * 16;
    if (e.count === 0) {
      anomalies.add('PART_EMPTY', 'low', `MBR slot ${slot + 1} has type ${hexByte(e.type)} but no sectors.`, entryOffset);
      return;
    }
    if (EXTENDED_TYPES.has(e.type)) {
      readLogical(src, sectorSize, e.start, e.count, result.partitions, anomalies);
      return;
    }
    result.partitions.push({
      label: `p${slot + 1}`,
      scheme: 'mbr',
      type: hexByte(e.type),
      typeName: mbrTypeName(e.type),
      offset: e.start * sectorSize,
      length: e.count * sectorSize,
      entryOffset,
      bootable: e.status === 0x80,
    });
    if (e.start + e.count > diskSectors) {
      anomalies.add(
        'PART_OUTSIDE_DISK',
        'medium',
        `MBR partition p${slot + 1} ends at sector ${e.start + e.count}, past the end of the disk (${diskSectors} sectors).`,
        entryOffset,
      );
    }
  });
  return result;
}

function readLogical(
  src: ByteSource,
  sectorSize: number,
  extStart: number,
  extCount: number,
  out: Partition[],
  anomalies: AnomalyList,
): void {
  const seen = new Set<number>();
  let ebr = extStart;
  let n = 0;
  const diskSectors = Math.floor(src.size / sectorSize);
  while (n < MAX_LOGICAL_PARTITIONS) {
    if (seen.has(ebr)) {
      anomalies.add('PART_EBR_LOOP', 'high', `The extended boot record chain loops back to sector ${ebr}.`, ebr * sectorSize);
      return;
    }
    seen.add(ebr);
    const sector = src.read(ebr * sectorSize, 512);
    if (sector.length < 512 || sector[510] !== 0x55 || sector[511] !== 0xaa) {
      if (n > 0 || ebr !== extStart || sector.length < 512) {
        anomalies.add('PART_EBR_INVALID', 'medium', `No extended boot record signature at sector ${ebr}.`, ebr * sectorSize);
      }
      return;
    }
    const logical = entryAt(sector, 0);
    const next = entryAt(sector, 1);
    if (logical.type !== 0 && logical.count > 0) {
      const start = ebr + logical.start;
      out.push({
        label: `p${5 + n}`,
        scheme: 'mbr',
        type: hexByte(logical.type),
        typeName: mbrTypeName(logical.type),
        offset: start * sectorSize,
        length: logical.count * sectorSize,
        entryOffset: ebr * sectorSize + 446,
        logical: true,
        bootable: logical.status === 0x80,
      });
      if (start + logical.count > extStart + extCount || start + logical.count > diskSectors) {
        anomalies.add(
          'PART_OUTSIDE_DISK',
          'medium',
          `Logical partition p${5 + n} ends at sector ${start + logical.count}, outside its extended partition or the disk.`,
          ebr * sectorSize + 446,
        );
      }
    }
    n++;
    if (next.type === 0 || next.count === 0) return;
    if (!EXTENDED_TYPES.has(next.type)) {
      anomalies.add('PART_EBR_INVALID', 'low', `EBR at sector ${ebr} links onward with type ${hexByte(next.type)}.`, ebr * sectorSize + 462);
    }
    ebr = extStart + next.start;
  }
  anomalies.add('PART_LIMIT', 'info', `Stopped after ${MAX_LOGICAL_PARTITIONS} logical partitions.`, ebr * sectorSize);
}
