// Opens a disk image or device: a bare FAT/exFAT volume, or a partitioned disk whose FAT/exFAT partitions are opened.

import type { Anomaly } from '../../core/anomaly.js';
import { type ByteSource, sliceSource } from '../partition/byte-source.js';
import { readPartitionTable } from '../partition/index.js';
import type { Partition, PartitionScheme } from '../partition/types.js';
import { looksLikeVolume } from './boot.js';
import type { VolumeAnomaly } from './types.js';
import { type FatVolume, openVolume } from './volume.js';

export interface ImageVolume {
  /** `whole` for an unpartitioned volume, else the partition's label (`p1`). */
  label: string;
  partition?: Partition;
  /** Byte offset and length of the volume in the image. */
  offset: number;
  length: number;
  volume: FatVolume | null;
  /** Why there is no volume, when there is none (`not a FAT or exFAT volume`). */
  note?: string;
  anomalies: VolumeAnomaly[];
}

export interface ImageLayout {
  scheme: PartitionScheme;
  sectorSize: number;
  partitions: Partition[];
  volumes: ImageVolume[];
  /** Partition-table anomalies (offsets in the image). */
  anomalies: Anomaly[];
}

/** Finds and opens every FAT or exFAT volume in `src`. Never throws on malformed bytes. */
export function openImage(src: ByteSource): ImageLayout {
  if (looksLikeVolume(src)) {
    const { volume, anomalies } = openVolume(src, { base: 0 });
    return {
      scheme: 'none',
      sectorSize: volume?.geometry.sectorSize ?? 512,
      partitions: [],
      volumes: [{ label: 'whole', offset: 0, length: src.size, volume, anomalies }],
      anomalies: [],
    };
  }
  const table = readPartitionTable(src);
  const volumes: ImageVolume[] = [];
  for (const p of table.partitions) {
    const slice = sliceSource(src, p.offset, p.length);
    if (!looksLikeVolume(slice)) {
      volumes.push({ label: p.label, partition: p, offset: p.offset, length: slice.size, volume: null, note: 'not a FAT or exFAT volume', anomalies: [] });
      continue;
    }
    const { volume, anomalies } = openVolume(slice, { base: p.offset });
    volumes.push({ label: p.label, partition: p, offset: p.offset, length: slice.size, volume, anomalies });
  }
  if (table.scheme === 'none') {
    // Neither a volume nor a table: say why the boot sector was refused.
    const { volume, anomalies } = openVolume(src, { base: 0 });
    volumes.push({ label: 'whole', offset: 0, length: src.size, volume, anomalies, note: 'no partition table and no FAT or exFAT boot sector' });
  }
  return { scheme: table.scheme, sectorSize: table.sectorSize, partitions: table.partitions, volumes, anomalies: table.anomalies };
}
