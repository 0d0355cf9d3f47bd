// One call from image bytes to a media report: partitions, each volume's full tree and its anomalies.

import type { Anomaly } from '../../core/anomaly.js';
import type { ByteSource } from '../partition/byte-source.js';
import type { Partition, PartitionScheme } from '../partition/types.js';
import { openImage, type ImageVolume } from './image.js';
import type { UnallocatedSummary, VolumeAnomaly, VolumeEntry, WalkStats } from './types.js';
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
  if (e.modified) m.modified = e.modified;
  return m;
}

/** Entries in pre-order (each directory followed by its contents), without the `.` and `..` entries. */
export function treeOrder(entries: VolumeEntry[]): VolumeEntry[] {
  const children = new Map<number, VolumeEntry[]>();
  for (const e of entries) {
    if (e.dot) continue;
    const list = children.get(e.parent);
    if (list) list.push(e);
    else children.set(e.parent, [e]);
  }
  const out: VolumeEntry[] = [];
  const stack: VolumeEntry[] = [...(children.get(-1) ?? [])].reverse();
  while (stack.length > 0) {
    const e = stack.pop()!;
    out.push(e);
    const kids = children.get(e.id);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

export interface AnalysedVolume {
  image: ImageVolume;
  entries: VolumeEntry[];
  report: MediaVolume;
}

/** Opens and walks every volume of the image. `image` is the name shown in the report. */
export function analyseImage(src: ByteSource, image: string, options: WalkOptions = {}): { report: MediaReport; volumes: AnalysedVolume[] } {
  const layout = openImage(src);
  const volumes: AnalysedVolume[] = [];
  for (const iv of layout.volumes) {
    const mv: MediaVolume = { label: iv.label, offset: iv.offset, length: iv.length, anomalies: [...iv.anomalies], anomaliesDropped: 0, entries: [] };
    if (iv.partition) mv.partitionType = `${iv.partition.type} ${iv.partition.typeName}`;
    if (iv.note) mv.note = iv.note;
    let entries: VolumeEntry[] = [];
    if (iv.volume) {
      const g = iv.volume.geometry;
      mv.kind = g.kind;
      mv.clusterSize = g.clusterSize;
      mv.clusterCount = g.clusterCount;
      mv.volumeLabel = g.label;
      mv.serial = g.serial;
      const walk = walkVolume(iv.volume, options);
      entries = walk.entries;
      mv.stats = walk.stats;
      if (walk.unallocated) mv.unallocated = walk.unallocated;
      mv.anomalies.push(...walk.anomalies);
      mv.anomaliesDropped = walk.anomaliesDropped;
      mv.entries = treeOrder(entries).map((e) => mediaEntry(iv, e));
    }
    volumes.push({ image: iv, entries, report: mv });
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
