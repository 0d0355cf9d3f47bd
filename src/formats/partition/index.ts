// Finds the partition table of a disk (GPT behind a protective MBR, or MBR with logical partitions) and checks it.

import { AnomalyList } from '../../core/anomaly.js';
import type { ByteSource } from './byte-source.js';
import { readGpt } from './gpt.js';
import { readMbr } from './mbr.js';
import type { Partition, PartitionTable } from './types.js';

export type { ByteSource } from './byte-source.js';
export { bytesSource, sliceSource } from './byte-source.js';
export type { Partition, PartitionTable, PartitionScheme } from './types.js';

/** Sector sizes tried for GPT, in order (512-byte disks, then 4Kn). */
const GPT_SECTOR_SIZES = [512, 4096];

/** Reads the partition table at the start of `src`. Scheme `none` means no table was recognised. */
export function readPartitionTable(src: ByteSource): PartitionTable {
  const anomalies = new AnomalyList(200);
  const mbr = readMbr(src, 512, anomalies);
  let scheme: PartitionTable['scheme'] = mbr.valid ? 'mbr' : 'none';
  let partitions: Partition[] = mbr.partitions;
  let sectorSize = 512;
  // A GPT is honoured when the MBR is protective, and also when sector 0 is blank (some tools write no MBR).
  if (mbr.protective || !mbr.valid) {
    for (const ss of GPT_SECTOR_SIZES) {
      const gpt = readGpt(src, ss, anomalies);
      if (gpt) {
        scheme = 'gpt';
        partitions = gpt;
        sectorSize = ss;
        if (!mbr.protective) anomalies.add('PART_GPT_NO_PROTECTIVE_MBR', 'low', 'A GPT without a protective MBR entry.', 0);
        break;
      }
    }
  }
  checkOverlaps(partitions, anomalies);
  return { scheme, sectorSize, partitions, anomalies: anomalies.items };
}

function checkOverlaps(parts: Partition[], anomalies: AnomalyList): void {
  const sorted = [...parts].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.offset < prev.offset + prev.length) {
      anomalies.add(
        'PART_OVERLAP',
        'medium',
        `Partitions ${prev.label} and ${cur.label} overlap: data can hide in, or be read through, either.`,
        cur.entryOffset,
      );
    }
  }
}
