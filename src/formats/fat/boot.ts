// Reads a FAT12/16/32 BIOS parameter block or an exFAT boot sector into the volume's geometry.

import type { AnomalyList } from '../../core/anomaly.js';
import { type ByteSource, u16, u32, u64 } from '../partition/byte-source.js';
import type { FatKind, Geometry } from './types.js';

const isPow2 = (v: number): boolean => v > 0 && (v & (v - 1)) === 0;

function ascii(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && o + i < b.length; i++) {
    const c = b[o + i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s.trimEnd();
}

const hex8 = (v: number): string => v.toString(16).toUpperCase().padStart(8, '0');

/** An image shorter than the volume its boot sector declares (the offset is the length field's). */
function checkLength(anomalies: AnomalyList, volumeLength: number, present: number, at: number): void {
  if (volumeLength <= present) return;
  anomalies.add(
    'FAT_VOLUME_TRUNCATED',
    'medium',
    `The boot sector declares ${volumeLength} bytes but only ${present} are present; clusters past the end cannot be read.`,
    at,
  );
}

/** True when sector 0 of `src` looks like a FAT or exFAT boot sector (used to tell a bare volume from a partitioned disk). */
export function looksLikeVolume(src: ByteSource): boolean {
  const b = src.read(0, 512);
  if (b.length < 512) return false;
  if (ascii(b, 3, 8) === 'EXFAT') return true;
  return bpbPlausible(b);
}

function bpbPlausible(b: Uint8Array): boolean {
  const bps = u16(b, 11);
  const spc = b[13]!;
  const reserved = u16(b, 14);
  const fats = b[16]!;
  const jump = b[0] === 0xeb || b[0] === 0xe9 || b[0] === 0xe8;
  return jump && bps >= 512 && bps <= 4096 && isPow2(bps) && isPow2(spc) && reserved > 0 && fats >= 1 && fats <= 4;
}

/** Geometry of the volume at the start of `src`, or null (with an anomaly) when there is none. */
export function readGeometry(src: ByteSource, anomalies: AnomalyList, base: number): Geometry | null {
  const b = src.read(0, 512);
  if (b.length < 512) {
    anomalies.add('FAT_BOOT_INVALID', 'high', 'The volume is shorter than one boot sector.', base);
    return null;
  }
  if (ascii(b, 3, 8) === 'EXFAT') return exfatGeometry(src, b, anomalies, base);
  if (!bpbPlausible(b)) {
    anomalies.add('FAT_BOOT_INVALID', 'high', 'Sector 0 is not a FAT boot sector (its BIOS parameter block is implausible).', base);
    return null;
  }
  if (b[510] !== 0x55 || b[511] !== 0xaa) {
    anomalies.add('FAT_BOOT_SIGNATURE', 'low', 'The boot sector lacks its 0x55AA signature.', base + 510);
  }
  const sectorSize = u16(b, 11);
  const spc = b[13]!;
  const reserved = u16(b, 14);
  const numFats = b[16]!;
  const rootEntries = u16(b, 17);
  const total = u16(b, 19) || u32(b, 32);
  const fatSectors = u16(b, 22) || u32(b, 36);
  if (fatSectors === 0 || total === 0) {
    anomalies.add('FAT_BOOT_INVALID', 'high', 'The boot sector gives a zero FAT size or volume size.', base + 22);
    return null;
  }
  const rootDirSectors = Math.ceil((rootEntries * 32) / sectorSize);
  const firstDataSector = reserved + numFats * fatSectors + rootDirSectors;
  if (firstDataSector >= total) {
    anomalies.add('FAT_BOOT_INVALID', 'high', 'The FATs and root directory fill the whole volume.', base + 14);
    return null;
  }
  const clusterCount = Math.floor((total - firstDataSector) / spc);
  // Microsoft's FAT specification: the type follows from the cluster count alone.
  const kind: FatKind = clusterCount < 4085 ? 'FAT12' : clusterCount < 65525 ? 'FAT16' : 'FAT32';
  const clusterSize = sectorSize * spc;
  const dataOffset = firstDataSector * sectorSize;
  const fat32 = kind === 'FAT32';
  if (fat32 && rootEntries !== 0) {
    anomalies.add('FAT_BOOT_INCONSISTENT', 'low', 'A FAT32 boot sector declares a fixed root directory.', base + 17);
  }
  const fatEntryBits = kind === 'FAT12' ? 12 : kind === 'FAT16' ? 16 : 32;
  if (Math.ceil(((clusterCount + 2) * fatEntryBits) / 8) > fatSectors * sectorSize) {
    anomalies.add('FAT_BOOT_INCONSISTENT', 'medium', 'The FAT is too small for the declared number of clusters.', base + 22);
  }
  const usable = Math.max(0, Math.min(clusterCount, Math.floor((src.size - dataOffset) / clusterSize)));
  const volumeLength = total * sectorSize;
  checkLength(anomalies, volumeLength, src.size, base + 32);
  return {
    kind,
    sectorSize,
    clusterSize,
    fatOffset: reserved * sectorSize,
    fatLength: fatSectors * sectorSize,
    numFats,
    rootDirOffset: fat32 ? 0 : (reserved + numFats * fatSectors) * sectorSize,
    rootDirBytes: fat32 ? 0 : rootEntries * 32,
    rootCluster: fat32 ? u32(b, 44) & 0x0fffffff : 0,
    dataOffset,
    clusterCount,
    usableClusters: usable,
    volumeLength,
    oemName: ascii(b, 3, 8),
    label: ascii(b, fat32 ? 71 : 43, 11),
    serial: hex8(u32(b, fat32 ? 67 : 39)),
  };
}

function exfatGeometry(src: ByteSource, b: Uint8Array, anomalies: AnomalyList, base: number): Geometry | null {
  const bpsShift = b[108]!;
  const spcShift = b[109]!;
  // exFAT spec §3.1.14-15: sectors of 512..4096 bytes, clusters up to 32 MiB.
  if (bpsShift < 9 || bpsShift > 12 || spcShift > 25 - bpsShift) {
    anomalies.add('FAT_BOOT_INVALID', 'high', 'The exFAT boot sector gives an impossible sector or cluster size.', base + 108);
    return null;
  }
  const sectorSize = 1 << bpsShift;
  const clusterSize = sectorSize << spcShift;
  const fatOffset = u32(b, 80) * sectorSize;
  const fatLength = u32(b, 84) * sectorSize;
  const dataOffset = u32(b, 88) * sectorSize;
  const clusterCount = u32(b, 92);
  const rootCluster = u32(b, 96);
  const numFats = b[110]!;
  const volumeLength = u64(b, 72) * sectorSize;
  if (fatOffset === 0 || fatLength === 0 || dataOffset === 0 || numFats < 1 || numFats > 2 || !Number.isFinite(volumeLength)) {
    anomalies.add('FAT_BOOT_INVALID', 'high', 'The exFAT boot sector gives a zero or impossible layout.', base + 80);
    return null;
  }
  if (clusterCount * 4 + 8 > fatLength) {
    anomalies.add('FAT_BOOT_INCONSISTENT', 'medium', 'The exFAT FAT is too small for the declared number of clusters.', base + 84);
  }
  if (b[510] !== 0x55 || b[511] !== 0xaa) {
    anomalies.add('FAT_BOOT_SIGNATURE', 'low', 'The boot sector lacks its 0x55AA signature.', base + 510);
  }
  checkLength(anomalies, volumeLength, src.size, base + 72);
  const usable = Math.max(0, Math.min(clusterCount, Math.floor((src.size - dataOffset) / clusterSize)));
  return {
    kind: 'exFAT',
    sectorSize,
    clusterSize,
    fatOffset,
    fatLength,
    numFats,
    rootDirOffset: 0,
    rootDirBytes: 0,
    rootCluster,
    dataOffset,
    clusterCount,
    usableClusters: usable,
    volumeLength,
    oemName: 'EXFAT',
    label: '',
    serial: hex8(u32(b, 100)),
  };
}
