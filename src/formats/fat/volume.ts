// Opens a FAT12/16/32 or exFAT volume: geometry, FAT, allocation state, and exFAT's bitmap and up-case table.

import { AnomalyList } from '../../core/anomaly.js';
import type { ByteSource } from '../partition/byte-source.js';
import { readGeometry } from './boot.js';
import { followChain } from './chain.js';
import { decodeUpcase, readRootInfo } from './exfat-dir.js';
import { type Allocation, bitmapAllocation, FatTable, fatAllocation } from './fat-table.js';
import { FAT_CHUNK_BYTES, MAX_EXFAT_DIR_BYTES, MAX_FAT_COMPARE_BYTES } from './limits.js';
import { Scratch } from './scratch.js';
import type { ClusterRun, Geometry, VolumeAnomaly } from './types.js';

export interface FatVolume {
  geometry: Geometry;
  /** The volume's bytes (a window of the image). */
  src: ByteSource;
  /** Where the volume starts in the image, added to every reported offset. */
  base: number;
  fat: FatTable;
  alloc: Allocation;
  /** exFAT: up-case mapping for name hashes (identity for ASCII-only tables or when unreadable). */
  upcase?: (c: number) => number;
  /** exFAT: clusters of the bitmap and up-case table, so the walk can mark them as owned. */
  systemRuns: ClusterRun[];
}

export interface OpenOptions {
  /** Byte offset of the volume in its image, for reported offsets. */
  base?: number;
}

export interface OpenResult {
  volume: FatVolume | null;
  anomalies: VolumeAnomaly[];
}

/** Reads `runs` of clusters into one buffer, at most `maxBytes` and never more than the source holds. */
export function readRuns(src: ByteSource, g: Geometry, runs: ClusterRun[], maxBytes: number): Uint8Array {
  let total = 0;
  for (const r of runs) total += r.count * g.clusterSize;
  const out = new Uint8Array(Math.max(0, Math.min(total, maxBytes, src.size - g.dataOffset)));
  let at = 0;
  for (const r of runs) {
    if (at >= out.length) break;
    const want = Math.min(r.count * g.clusterSize, out.length - at);
    const got = src.read(g.dataOffset + (r.first - 2) * g.clusterSize, want);
    out.set(got, at);
    at += want;
  }
  return out;
}

/** Opens the volume at the start of `src`; `volume` is null (with an anomaly) when there is no FAT or exFAT there. */
export function openVolume(src: ByteSource, options: OpenOptions = {}): OpenResult {
  const base = options.base ?? 0;
  const list = new AnomalyList(100);
  const g = readGeometry(src, list, base);
  if (!g) return { volume: null, anomalies: list.items };
  const fat = new FatTable(src, g.kind, g.fatOffset, g.fatLength, g.clusterCount);
  const volume: FatVolume = { geometry: g, src, base, fat, alloc: fatAllocation(fat), systemRuns: [] };
  if (g.kind === 'exFAT') openExfat(volume, list);
  else compareFats(volume, list);
  return { volume, anomalies: list.items };
}

function openExfat(v: FatVolume, list: AnomalyList): void {
  const g = v.geometry;
  const rootChain = followChain(v.fat, g.rootCluster, g.clusterCount, Math.ceil(MAX_EXFAT_DIR_BYTES / g.clusterSize), null, 0);
  if (rootChain.clusters === 0) {
    list.add('FAT_ROOT_INVALID', 'high', `The root directory cluster ${g.rootCluster} is outside the volume.`, v.base + 96);
    return;
  }
  const bytes = readRuns(v.src, g, rootChain.runs, 64 * 1024);
  const info = readRootInfo(bytes, bytes.length >>> 5, (slot) => slot * 32);
  if (info.label !== undefined) g.label = info.label;
  if (info.bitmap) {
    const bitmapBytes = Math.ceil(g.clusterCount / 8);
    const clusters = Math.ceil(info.bitmap.length / g.clusterSize);
    if (info.bitmap.length < bitmapBytes) {
      list.add('EXFAT_BITMAP_INVALID', 'medium', 'The allocation bitmap is shorter than the cluster count needs.');
    }
    const first = info.bitmap.firstCluster;
    if (first >= 2 && first + clusters <= g.clusterCount + 2) {
      const run = { first, count: clusters };
      v.alloc = bitmapAllocation(readRuns(v.src, g, [run], bitmapBytes));
      v.systemRuns.push(run);
    } else list.add('EXFAT_BITMAP_INVALID', 'high', 'The allocation bitmap lies outside the volume.');
  } else list.add('EXFAT_BITMAP_INVALID', 'high', 'The root directory has no allocation bitmap entry; the FAT is used instead.');
  if (info.upcase) {
    const first = info.upcase.firstCluster;
    const clusters = Math.ceil(Math.min(info.upcase.length, 128 * 1024) / g.clusterSize);
    if (first >= 2 && first + clusters <= g.clusterCount + 2) {
      const run = { first, count: clusters };
      v.systemRuns.push(run);
      const table = decodeUpcase(readRuns(v.src, g, [run], Math.min(info.upcase.length, 128 * 1024)));
      v.upcase = (c) => table[c]!;
    }
  }
}

/** FAT copies that differ can hide a second layout that only some drivers follow. */
function compareFats(v: FatVolume, list: AnomalyList): void {
  const g = v.geometry;
  if (g.numFats < 2 || g.fatLength > MAX_FAT_COMPARE_BYTES) return;
  const usedBytes = Math.min(g.fatLength, Math.ceil(((g.clusterCount + 2) * (g.kind === 'FAT12' ? 12 : g.kind === 'FAT16' ? 16 : 32)) / 8));
  if (g.fatOffset + g.fatLength + usedBytes > v.src.size) return;
  // FAT32 keeps dirty flags in entry 1 (FAT spec §4.2); skip entries 0 and 1.
  const skip = g.kind === 'FAT12' ? 3 : g.kind === 'FAT16' ? 4 : 8;
  const first = v.fat.bytes;
  const scratch = new Scratch(Math.min(usedBytes, FAT_CHUNK_BYTES), FAT_CHUNK_BYTES);
  // Both copies are read in chunks and compared a word at a time; the first copy is in memory when it is small.
  for (let at = 0; at < usedBytes; at += FAT_CHUNK_BYTES) {
    const n = Math.min(FAT_CHUNK_BYTES, usedBytes - at);
    const a = first && first.length >= at + n ? first.subarray(at, at + n) : v.src.read(g.fatOffset + at, n);
    if (scratch.read(v.src, g.fatOffset + g.fatLength + at, n) < n || a.length < n) return;
    let d = scratch.firstDifference(a, n);
    if (d >= 0 && at + d < skip) {
      for (d = skip - at; d < n && scratch.bytes[d] === a[d]; d++);
      if (d >= n) d = -1;
    }
    if (d >= 0) {
      list.add('FAT_COPIES_DIFFER', 'medium', 'The two FAT copies differ; drivers that read the second see other chains.', v.base + g.fatOffset + at + d);
      return;
    }
  }
}
