// Shapes the FAT and exFAT readers return: volume geometry, directory entries, cluster runs and anomalies.

import type { Anomaly } from '../../core/anomaly.js';
import type { EntryTable } from './entry.js';

export type FatKind = 'FAT12' | 'FAT16' | 'FAT32' | 'exFAT';

export interface Geometry {
  kind: FatKind;
  sectorSize: number;
  clusterSize: number;
  /** Byte offsets inside the volume. */
  fatOffset: number;
  fatLength: number;
  numFats: number;
  /** FAT12/16 only: the fixed root directory region. */
  rootDirOffset: number;
  rootDirBytes: number;
  /** FAT32 and exFAT: the root directory's first cluster. */
  rootCluster: number;
  /** Byte offset of cluster 2. */
  dataOffset: number;
  /** Clusters the boot sector declares. */
  clusterCount: number;
  /** Clusters that actually lie inside the source (<= clusterCount). */
  usableClusters: number;
  /** Length the boot sector declares, in bytes. */
  volumeLength: number;
  oemName: string;
  label: string;
  serial: string;
}

/** A run of consecutive clusters. */
export interface ClusterRun {
  first: number;
  count: number;
}

export type ChainEnd = 'eoc' | 'free' | 'bad' | 'out-of-range' | 'loop' | 'cross-link' | 'limit' | 'none';

export interface Chain {
  runs: ClusterRun[];
  clusters: number;
  end: ChainEnd;
}

/** How much of a deleted file's content is still in unallocated clusters. */
export type Recovery = 'full' | 'partial' | 'none';

/** One directory entry of a walked volume (a view of the walk's EntryTable). */
export interface VolumeEntry {
  /** Index in the walk's entry list. */
  readonly id: number;
  /** Parent directory's id, -1 for the root's children. */
  readonly parent: number;
  /** `/DIR/FILE`, from long names where valid (built on demand). */
  readonly path: string;
  /** The path of the directory holding the entry, `` for the root: `path` is `${dirPath}/${name}`. */
  readonly dirPath: string;
  /** Display name: the long name when valid, otherwise the 8.3 name (with its case bits). */
  readonly name: string;
  /** The 8.3 name as stored (`HUB001.DAT`); empty on exFAT. Deleted entries show `_` for the lost first byte. */
  readonly shortName: string;
  readonly longName?: string;
  readonly isDir: boolean;
  readonly deleted: boolean;
  /** Raw attribute byte (FAT) or the low byte of FileAttributes (exFAT). */
  readonly attributes: number;
  readonly size: number;
  readonly firstCluster: number;
  /** Image-absolute byte offset of the 8.3 entry (FAT) or the File entry (exFAT). */
  readonly entryOffset: number;
  /** Image-absolute byte offset of the first long-name entry (FAT) when there is one. */
  readonly lfnOffset?: number;
  /** Slot index of the 8.3 / File entry inside its directory. */
  readonly slot: number;
  readonly depth: number;
  /** The `.` or `..` entry in a directory's first two slots. */
  readonly dot?: boolean;
  /** exFAT: the stream says the data is contiguous and the FAT is not used. */
  readonly noFatChain?: boolean;
  /** Whether the 8.3 name could derive from the long name, when the parser already judged it. */
  readonly nameFits?: boolean;
  /** Seen after the directory's end-of-directory (0x00) marker. */
  readonly afterEnd?: boolean;
  /** Last-modified time as stored: DOS date << 16 | DOS time, 0 when absent. */
  readonly mtime: number;
  /** The same as text (`2024-05-01T12:00:00`), when valid. */
  readonly modified?: string;
  /** Clusters holding the content: the FAT chain, or for deleted files the contiguous run that likely held it. */
  readonly chain: Chain;
  readonly recovery?: Recovery;
  /** A directory that was walked holds the entries `[childStart, childEnd)` of the walk's list; -1 otherwise. */
  readonly childStart: number;
  readonly childEnd: number;
}

export interface VolumeAnomaly extends Anomaly {
  /** The entry's path, when the anomaly concerns one. */
  path?: string;
  /** Bytes concerned (slack, unallocated data). */
  size?: number;
}

export interface WalkStats {
  entries: number;
  files: number;
  directories: number;
  deleted: number;
  dirBytesRead: number;
  chainSteps: number;
  /** Bytes read to look at file slack. */
  slackBytesRead: number;
  /** True when a limit stopped part of the walk. */
  truncated: boolean;
}

export interface UnallocatedSummary {
  /** Unallocated clusters in the volume. */
  freeClusters: number;
  /** Unallocated clusters holding any non-zero byte, and their bytes. */
  dataClusters: number;
  dataBytes: number;
  /** Of those, clusters that belong to a recoverable deleted file. */
  deletedFileClusters: number;
  runs: ClusterRun[];
}

export interface WalkResult {
  /** Every entry, in walk order: each walked directory's entries together. */
  table: EntryTable;
  /** The same as objects, built on first use. */
  readonly entries: VolumeEntry[];
  anomalies: VolumeAnomaly[];
  anomaliesDropped: number;
  stats: WalkStats;
  unallocated?: UnallocatedSummary;
}
