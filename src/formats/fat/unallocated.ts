// Accounts for clusters no entry explains: in use but owned by nobody (lost), and free but still holding data.

import type { VolumeAnomalies } from './anomaly-codes.js';
import type { ClusterOwners } from './chain.js';
import { MAX_LISTED_RUNS, MAX_READ_BYTES } from './limits.js';
import { Scratch } from './scratch.js';
import { type EntryTable, F_DELETED } from './entry.js';
import type { ClusterRun, UnallocatedSummary } from './types.js';
import type { FatVolume } from './volume.js';

/**
 * Counts lost clusters (allocated, owned by no entry; only when ownership was tracked) and, with `scanData`, reads
 * every free cluster to find the ones holding data, telling apart those that belong to recoverable deleted files.
 */
export function scanFreeSpace(
  v: FatVolume,
  owners: ClusterOwners,
  t: EntryTable,
  scanData: boolean,
  out: VolumeAnomalies,
): UnallocatedSummary | undefined {
  const g = v.geometry;
  const cs = g.clusterSize;
  const last = g.usableClusters + 2;
  if (owners.tracking) {
    let lost = 0;
    let firstLost = -1;
    const tracked = Math.min(last, owners.size);
    for (let c = 2; c < tracked; c++) {
      if (v.alloc.isAllocated(c) && owners.ownerOf(c) < 0) {
        if (firstLost < 0) firstLost = c;
        lost++;
      }
    }
    if (lost > 0) {
      out.add(
        'FAT_LOST_CLUSTERS',
        `${lost} clusters (${lost * cs} bytes) are marked in use but belong to no file or directory: data stored there is invisible to every directory listing.`,
        v.base + g.dataOffset + (firstLost - 2) * cs,
        { size: lost * cs },
      );
    }
  }
  if (!scanData) return undefined;
  const deletedMap = new Uint8Array(last);
  for (let i = 0; i < t.count; i++) {
    if (!t.has(i, F_DELETED) || t.recovery(i) === 'none') continue;
    for (const r of t.chain(i).runs) deletedMap.fill(1, Math.max(0, r.first), Math.min(last, r.first + r.count));
  }
  const summary: UnallocatedSummary = { freeClusters: 0, dataClusters: 0, dataBytes: 0, deletedFileClusters: 0, runs: [] };
  const perRead = Math.max(1, Math.floor(MAX_READ_BYTES / cs));
  const scratch = new Scratch(Math.min(MAX_READ_BYTES, perRead * cs), Math.max(MAX_READ_BYTES, cs));
  let runStart = -1;
  let runLen = 0;
  const flushData = (c: number): void => {
    const lastRun = summary.runs[summary.runs.length - 1];
    if (lastRun && lastRun.first + lastRun.count === c) lastRun.count++;
    else if (summary.runs.length < MAX_LISTED_RUNS) summary.runs.push({ first: c, count: 1 } as ClusterRun);
  };
  const scanRun = (first: number, count: number): void => {
    for (let at = first; at < first + count; at += perRead) {
      const n = Math.min(perRead, first + count - at);
      const got = scratch.read(v.src, g.dataOffset + (at - 2) * cs, n * cs);
      for (let k = 0; k < n; k++) {
        const from = k * cs;
        if (from >= got) break;
        if (scratch.firstNonZero(from, Math.min(got, from + cs)) < 0) continue;
        summary.dataClusters++;
        if (deletedMap[at + k]) summary.deletedFileClusters++;
        flushData(at + k);
      }
    }
  };
  for (let c = 2; c < last; c++) {
    if (!v.alloc.isAllocated(c)) {
      summary.freeClusters++;
      if (runStart < 0) runStart = c;
      runLen++;
      continue;
    }
    if (runStart >= 0) scanRun(runStart, runLen);
    runStart = -1;
    runLen = 0;
  }
  if (runStart >= 0) scanRun(runStart, runLen);
  summary.dataBytes = summary.dataClusters * cs;
  if (summary.dataClusters > 0) {
    const first = summary.runs[0]!.first;
    out.add(
      'FAT_UNALLOCATED_DATA',
      `${summary.dataClusters} unallocated clusters (${summary.dataBytes} bytes) hold data; ${summary.deletedFileClusters} of them belong to deleted files that can still be recovered.`,
      v.base + g.dataOffset + (first - 2) * cs,
      { size: summary.dataBytes },
    );
  }
  return summary;
}
