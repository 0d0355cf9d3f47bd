// Shapes of a partition table as the readers return it.

import type { Anomaly } from '../../core/anomaly.js';

export type PartitionScheme = 'mbr' | 'gpt' | 'none';

export interface Partition {
  /** `p1`..`p4` for MBR primary slots, `p5`.. for logical partitions, `pN` for GPT entry N. */
  label: string;
  scheme: 'mbr' | 'gpt';
  /** MBR type byte as `0x0c`, or the GPT type GUID. */
  type: string;
  /** A readable name of the type when known (`FAT32 (LBA)`, `Microsoft basic data`). */
  typeName: string;
  /** Byte offset of the partition in the disk, and its length. */
  offset: number;
  length: number;
  /** Byte offset of the table entry that describes it. */
  entryOffset: number;
  logical?: boolean;
  bootable?: boolean;
  /** GPT partition name. */
  name?: string;
}

export interface PartitionTable {
  scheme: PartitionScheme;
  sectorSize: number;
  partitions: Partition[];
  anomalies: Anomaly[];
}
