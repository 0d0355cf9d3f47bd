// One call from image bytes to a media report: partitions, each volume's full tree and its anomalies.

import type { Anomaly } from '../../core/anomaly.js';
import type { ByteSource } from '../partition/byte-source.js';
import type { Partition, PartitionScheme } from '../partition/types.js';
import { openImage, type ImageVolume } from './image.js';
import { EntryTable, EntryView, F_DOT } from './entry.js';
import type { UnallocatedSummary, VolumeAnomaly, VolumeEntry, WalkResult, WalkStats } from './types.js';
import { walkVolume, type WalkOptions } from './walk.js';

export interface MediaEntry {
  path: string;
  type: 'file' | 'dir';
  name: string;
  shortName: string;
  longName?: string;
  /** Attribute letters: R(ead-only) H(idden) S(ystem) A(rchive), `-` where clear. */
  attributes: string;
  size: number;
  firstCluster: number;
  /** Byte offset of the entry in the image. */
  entryOffset: number;
  /** Byte offset of the file's first data byte in the image, when it has a cluster inside the volume. */
  dataOffset?: number;
  deleted: boolean;
  hidden: boolean;
  system: boolean;
  recovery?: 'full' | 'partial' | 'none';
  afterEnd?: boolean;
  modified?: string;
}

export interface MediaVolume {
  label: string;
  offset: number;
  length: number;
  partitionType?: string;
  kind?: string;
  note?: string;
  clusterSize?: number;
  clusterCount?: number;
  volumeLabel?: string;
  serial?: string;
  stats?: WalkStats;
  unallocated?: UnallocatedSummary;
  anomalies: VolumeAnomaly[];
  anomaliesDropped: number;
  entries: MediaEntry[];
}

export interface MediaReport {
  image: string;
  size: number;
  scheme: PartitionScheme;
  sectorSize: number;
  partitions: Partition[];
  partitionAnomalies: Anomaly[];
  volumes: MediaVolume[];
}

function attrLetters(a: number): string {
  return `${a & 1 ? 'R' : '-'}${a & 2 ? 'H' : '-'}${a & 4 ? 'S' : '-'}${a & 0x20 ? 'A' : '-'}`;
}

/** The report form of one walked entry (dot entries are left out: they repeat their directory). */
export function mediaEntry(iv: ImageVolume, e: VolumeEntry): MediaEntry {
  const m: MediaEntry = {
    path: e.path,
    type: e.isDir ? 'dir' : 'file',
    name: e.name,
    shortName: e.shortName,
    attributes: attrLetters(e.attributes),
    size: e.size,
    firstCluster: e.firstCluster,
    entryOffset: e.entryOffset,
    deleted: e.deleted,
    hidden: (e.attributes & 2) !== 0,
    system: (e.attributes & 4) !== 0,
  };
  const g = iv.volume?.geometry;
  if (g && e.firstCluster >= 2 && e.firstCluster < g.clusterCount + 2) m.dataOffset = iv.offset + g.dataOffset + (e.firstCluster - 2) * g.clusterSize;
  if (e.longName !== undefined) m.longName = e.longName;
  if (e.recovery) m.recovery = e.recovery;
  if (e.afterEnd) m.afterEnd = true;
  const modified = e.modified;
  if (modified) m.modified = modified;
  return m;
}

/**
 * Calls `fn` for every entry in pre-order (each directory followed by its contents), without the `.` and `..`
 * entries. A walked directory's entries sit together in the list, so ranges on a stack (as deep as the directory
 * nesting, itself capped by MAX_DEPTH) replace any per-parent index.
 */
export function forEachInTreeOrder(t: EntryTable, fn: (i: number) => void): void {
  let rootEnd = 0;
  while (rootEnd < t.count && t.parent[rootEnd] === -1) rootEnd++;
  const next: number[] = [0];
  const ends: number[] = [rootEnd];
  while (next.length > 0) {
    const top = next.length - 1;
    const i = next[top]!;
    if (i >= ends[top]!) {
      next.pop();
      ends.pop();
      continue;
    }
    next[top] = i + 1;
    if (t.has(i, F_DOT)) continue;
    fn(i);
    const from = t.childStart[i]!;
    const to = t.childEnd[i]!;
    if (from > i && to > from) {
      next.push(from);
      ends.push(to);
    }
  }
}

/** Entries in pre-order, without the `.` and `..` entries. */
export function treeOrder(t: EntryTable): VolumeEntry[] {
  const out: VolumeEntry[] = [];
  forEachInTreeOrder(t, (i) => out.push(t.view(i)));
  return out;
}

export interface AnalysedVolume {
  image: ImageVolume;
  /** The walk's entries (empty when there is no volume). */
  table: EntryTable;
  /** The same as objects, in walk order, built on first use. */
  readonly entries: VolumeEntry[];
  report: MediaVolume;
}

export interface AnalyseOptions extends WalkOptions {
  /** Build `report.volumes[].entries` (default true); callers that render from `volumes[].entries` say false. */
  listing?: boolean;
}

/** Opens and walks every volume of the image. `image` is the name shown in the report. */
export function analyseImage(src: ByteSource, image: string, options: AnalyseOptions = {}): { report: MediaReport; volumes: AnalysedVolume[] } {
  const layout = openImage(src);
  const volumes: AnalysedVolume[] = [];
  for (const iv of layout.volumes) {
    const mv: MediaVolume = { label: iv.label, offset: iv.offset, length: iv.length, anomalies: [...iv.anomalies], anomaliesDropped: 0, entries: [] };
    if (iv.partition) mv.partitionType = `${iv.partition.type} ${iv.partition.typeName}`;
    if (iv.note) mv.note = iv.note;
    let walk: WalkResult | undefined;
    if (iv.volume) {
      const g = iv.volume.geometry;
      mv.kind = g.kind;
      mv.clusterSize = g.clusterSize;
      mv.clusterCount = g.clusterCount;
      mv.volumeLabel = g.label;
      mv.serial = g.serial;
      walk = walkVolume(iv.volume, options);
      const w = walk;
      mv.stats = walk.stats;
      if (walk.unallocated) mv.unallocated = walk.unallocated;
      mv.anomalies.push(...walk.anomalies);
      mv.anomaliesDropped = walk.anomaliesDropped;
      if (options.listing !== false) {
        const view = new EntryView(w.table, 0);
        forEachInTreeOrder(w.table, (i) => {
          view.i = i;
          mv.entries.push(mediaEntry(iv, view));
        });
      }
    }
    const table = walk?.table ?? new EntryTable();
    volumes.push({
      image: iv,
      table,
      get entries(): VolumeEntry[] {
        return walk ? walk.entries : [];
      },
      report: mv,
    });
  }
  const report: MediaReport = {
    image,
    size: src.size,
    scheme: layout.scheme,
    sectorSize: layout.sectorSize,
    partitions: layout.partitions,
    partitionAnomalies: layout.anomalies,
    volumes: volumes.map((v) => v.report),
  };
  return { report, volumes };
}
