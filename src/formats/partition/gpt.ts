// Reads a GUID partition table (UEFI 2.10 §5.3), checking both CRCs and falling back to the backup header.

import type { AnomalyList } from '../../core/anomaly.js';
import { type ByteSource, u32, u64 } from './byte-source.js';
import { crc32 } from './crc32.js';
import type { Partition } from './types.js';

/** Entries read from the array; the UEFI minimum is 128 and real tables never exceed it by much. */
export const MAX_GPT_ENTRIES = 1024;
/** Largest entry size accepted (the spec requires 128 * 2^n). */
export const MAX_GPT_ENTRY_SIZE = 1024;

const GPT_TYPE_NAMES: Record<string, string> = {
  'c12a7328-f81f-11d2-ba4b-00a0c93ec93b': 'EFI system',
  'ebd0a0a2-b9e5-4433-87c0-68b6b72699c7': 'Microsoft basic data',
  'e3c9e316-0b5c-4db8-817d-f92df00215ae': 'Microsoft reserved',
  'de94bba4-06d1-4d40-a16a-bfd50179d6ac': 'Windows recovery',
  '0fc63daf-8483-4772-8e79-3d69d8477de4': 'Linux filesystem',
  '0657fd6d-a4ab-43c4-84e5-0933c84b4f4f': 'Linux swap',
  '21686148-6449-6e6f-744e-656564454649': 'BIOS boot',
};

export function guidAt(b: Uint8Array, o: number): string {
  const h = (i: number) => b[o + i]!.toString(16).padStart(2, '0');
  return (
    `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-` +
    `${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`
  );
}

function utf16z(b: Uint8Array, o: number, len: number): string {
  let s = '';
  for (let i = 0; i + 1 < len; i += 2) {
    const c = b[o + i]! | (b[o + i + 1]! << 8);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

interface Header {
  at: number;
  entriesLba: number;
  count: number;
  entrySize: number;
  entriesCrc: number;
  firstUsable: number;
  lastUsable: number;
}

function readHeader(src: ByteSource, lba: number, sectorSize: number, anomalies: AnomalyList, which: string): Header | null {
  const at = lba * sectorSize;
  const b = src.read(at, sectorSize);
  if (b.length < 92) return null;
  if (String.fromCharCode(...b.subarray(0, 8)) !== 'EFI PART') return null;
  const headerSize = u32(b, 12);
  if (headerSize < 92 || headerSize > sectorSize) {
    anomalies.add('PART_GPT_HEADER', 'medium', `The ${which} GPT header gives an impossible size ${headerSize}.`, at + 12);
    return null;
  }
  // A real copy: `b` may be a Buffer, whose slice() is a view, and the checksum field must be zeroed.
  const copy = new Uint8Array(b.subarray(0, headerSize));
  copy.fill(0, 16, 20);
  if (crc32(copy) !== u32(b, 16)) {
    anomalies.add('PART_GPT_HEADER_CRC', 'medium', `The ${which} GPT header's CRC32 does not match its bytes.`, at + 16);
  }
  const count = u32(b, 80);
  const entrySize = u32(b, 84);
  if (entrySize < 128 || entrySize > MAX_GPT_ENTRY_SIZE || entrySize % 8 !== 0) {
    anomalies.add('PART_GPT_HEADER', 'medium', `The ${which} GPT header gives an entry size of ${entrySize}.`, at + 84);
    return null;
  }
  if (count > MAX_GPT_ENTRIES) {
    anomalies.add('PART_LIMIT', 'info', `The ${which} GPT claims ${count} entries; only ${MAX_GPT_ENTRIES} are read.`, at + 80);
  }
  return {
    at,
    entriesLba: u64(b, 72),
    count: Math.min(count, MAX_GPT_ENTRIES),
    entrySize,
    entriesCrc: u32(b, 88),
    firstUsable: u64(b, 40),
    lastUsable: u64(b, 48),
  };
}

/** Parses the GPT of `src` (protective MBR already seen, or not); null when there is no GPT header. */
export function readGpt(src: ByteSource, sectorSize: number, anomalies: AnomalyList): Partition[] | null {
  let h = readHeader(src, 1, sectorSize, anomalies, 'primary');
  if (!h) {
    const lastLba = Math.floor(src.size / sectorSize) - 1;
    if (lastLba > 1) {
      h = readHeader(src, lastLba, sectorSize, anomalies, 'backup');
      if (h) anomalies.add('PART_GPT_PRIMARY_MISSING', 'medium', 'The primary GPT header is unreadable; the backup was used.', sectorSize);
    }
  }
  if (!h) return null;
  const arrayAt = h.entriesLba * sectorSize;
  const array = src.read(arrayAt, h.count * h.entrySize);
  if (array.length < h.count * h.entrySize) {
    anomalies.add('PART_OUTSIDE_DISK', 'medium', 'The GPT entry array runs past the end of the disk.', arrayAt);
  } else if (crc32(array) !== h.entriesCrc) {
    anomalies.add('PART_GPT_ENTRIES_CRC', 'medium', "The GPT entry array's CRC32 does not match the header.", arrayAt);
  }
  const diskSectors = Math.floor(src.size / sectorSize);
  const out: Partition[] = [];
  for (let i = 0; i < h.count && (i + 1) * h.entrySize <= array.length; i++) {
    const o = i * h.entrySize;
    const type = guidAt(array, o);
    if (type === '00000000-0000-0000-0000-000000000000') continue;
    const first = u64(array, o + 32);
    const last = u64(array, o + 40);
    const entryOffset = arrayAt + o;
    if (!(last >= first) || !Number.isFinite(last)) {
      anomalies.add('PART_GPT_ENTRY', 'medium', `GPT entry ${i + 1} ends (LBA ${last}) before it starts (LBA ${first}).`, entryOffset);
      continue;
    }
    out.push({
      label: `p${i + 1}`,
      scheme: 'gpt',
      type,
      typeName: GPT_TYPE_NAMES[type] ?? 'Unknown',
      offset: first * sectorSize,
      length: (last - first + 1) * sectorSize,
      entryOffset,
      name: utf16z(array, o + 56, Math.min(72, h.entrySize - 56)),
    });
    if (last >= diskSectors) {
      anomalies.add('PART_OUTSIDE_DISK', 'medium', `GPT partition p${i + 1} ends at LBA ${last}, past the end of the disk.`, entryOffset);
    } else if (first < h.firstUsable || last > h.lastUsable) {
      anomalies.add('PART_GPT_ENTRY', 'low', `GPT partition p${i + 1} lies outside the header's usable range.`, entryOffset);
    }
  }
  return out;
}
