// Walks every directory of a FAT or exFAT volume, live and deleted, following and checking each entry's clusters.

import { VolumeAnomalies } from './anomaly-codes.js';
import { type ChainResult, ClusterOwners, contiguousRun, followChain } from './chain.js';
import { checkEntry, escapeName } from './checks.js';
import { ATTR_DIRECTORY, type DirentProblem, parseFatDirectory, type RawDirent } from './dirent.js';
import { type ExfatDirent, type ExfatProblem, nameHash, parseExfatDirectory } from './exfat-dir.js';
import {
  MAX_ANOMALIES,
  MAX_DEPTH,
  MAX_ENTRIES,
  MAX_EXFAT_DIR_BYTES,
  MAX_FAT_DIR_BYTES,
  MAX_READ_BYTES,
  MAX_RECOVERY_CHECKS,
  MAX_TOTAL_DIR_BYTES,
} from './limits.js';
import type { Chain, ClusterRun, VolumeEntry, WalkResult, WalkStats } from './types.js';
import { scanFreeSpace } from './unallocated.js';
import { type FatVolume, readRuns } from './volume.js';

export interface WalkOptions {
  /** Read each file's last cluster to find data in its slack (default true). */
  checkSlack?: boolean;
  /** Read every unallocated cluster to find data there (default false: a pass over the whole volume). */
  scanUnallocated?: boolean;
  /** Stop after this many entries (default MAX_ENTRIES). */
  maxEntries?: number;
}

const ROOT_ID = 0x7ffffff0;
const SYSTEM_ID = 0x7ffffff1;
const NO_CHAIN: Chain = { runs: [], clusters: 0, end: 'none' };

interface Frame {
  id: number;
  path: string;
  depth: number;
  runs: ClusterRun[] | null;
  deleted: boolean;
}

/** Maps a directory slot to its volume offset across the directory's cluster runs, walking forward with a cursor. */
function slotMapper(runs: ClusterRun[], dataOffset: number, clusterSize: number): (slot: number) => number {
  const per = clusterSize / 32;
  let runIndex = 0;
  let runStartSlot = 0;
  return (slot: number): number => {
    if (slot < runStartSlot) {
      runIndex = 0;
      runStartSlot = 0;
    }
    while (runIndex < runs.length && slot >= runStartSlot + runs[runIndex]!.count * per) {
      runStartSlot += runs[runIndex]!.count * per;
      runIndex++;
    }
    const r = runs[runIndex];
    if (!r) return -1;
    return dataOffset + (r.first - 2) * clusterSize + (slot - runStartSlot) * 32;
  };
}

/** Walks the whole volume. Never throws on malformed bytes; every limit that cut the walk short is reported. */
export function walkVolume(v: FatVolume, options: WalkOptions = {}): WalkResult {
  const g = v.geometry;
  const cs = g.clusterSize;
  const exfat = g.kind === 'exFAT';
  const out = new VolumeAnomalies(MAX_ANOMALIES);
  const entries: VolumeEntry[] = [];
  const owners = new ClusterOwners(g.usableClusters);
  const visitedDirs = new Set<number>();
  const maxEntries = Math.min(options.maxEntries ?? MAX_ENTRIES, MAX_ENTRIES);
  const checkSlack = options.checkSlack ?? true;
  const stats: WalkStats = { entries: 0, files: 0, directories: 0, deleted: 0, dirBytesRead: 0, chainSteps: 0, truncated: false };
  const maxDirBytes = exfat ? MAX_EXFAT_DIR_BYTES : MAX_FAT_DIR_BYTES;
  const maxDirClusters = Math.max(1, Math.ceil(maxDirBytes / cs));
  let recoveryChecks = 0;
  const limit = (what: string): void => {
    stats.truncated = true;
    out.add('FAT_LIMIT', `Stopped early: ${what}. The listing is incomplete.`);
  };
  const abs = (off: number): number => v.base + off;
  const pathOf = (id: number): string => (id >= 0 && id < entries.length ? entries[id]!.path : '/');

  for (const run of v.systemRuns) for (let c = run.first; c < run.first + run.count; c++) owners.claim(c, SYSTEM_ID);

  // The root directory: a fixed region on FAT12/16, a cluster chain on FAT32 and exFAT.
  const stack: Frame[] = [];
  if (g.kind === 'FAT12' || g.kind === 'FAT16') {
    stack.push({ id: -1, path: '', depth: 0, runs: null, deleted: false });
  } else {
    const rc = followChain(v.fat, g.rootCluster, g.clusterCount, maxDirClusters, owners, ROOT_ID);
    stats.chainSteps += rc.clusters;
    if (rc.clusters === 0) out.add('FAT_ROOT_INVALID', `The root directory's first cluster ${g.rootCluster} is outside the volume.`, abs(0));
    else {
      reportChainEnd(rc, -1, '/', true, undefined);
      visitedDirs.add(g.rootCluster);
      stack.push({ id: -1, path: '', depth: 0, runs: rc.runs, deleted: false });
    }
  }

  function reportChainEnd(r: ChainResult, id: number, path: string, isDir: boolean, needed: number | undefined): void {
    const e = id >= 0 ? entries[id] : undefined;
    const at = e ? e.entryOffset : abs(0);
    const who = `"${escapeName(path)}"`;
    switch (r.end) {
      case 'out-of-range':
        out.add('FAT_CLUSTER_OUT_OF_RANGE', `${who}'s cluster chain points to cluster ${r.at}, outside the volume (clusters 2-${g.clusterCount + 1}).`, at, { path });
        break;
      case 'loop':
        out.add('FAT_CHAIN_LOOP', `${who}'s cluster chain loops back to cluster ${r.at}.`, at, { path });
        break;
      case 'cross-link':
        out.add(
          'FAT_CROSS_LINK',
          `${who} shares cluster ${r.at} with "${escapeName(r.otherOwner === ROOT_ID ? '/' : r.otherOwner === SYSTEM_ID ? '(exFAT system data)' : pathOf(r.otherOwner ?? -1))}".`,
          at,
          { path },
        );
        break;
      case 'bad':
        out.add('FAT_CHAIN_BAD', `${who}'s cluster chain runs into a cluster marked bad after cluster ${r.at}.`, at, { path });
        break;
      case 'limit':
        if (isDir) limit(`directory ${who} is longer than ${maxDirBytes} bytes`);
        break;
      default:
        break;
    }
    if (needed !== undefined && !isDir) {
      if (r.clusters < needed && r.end !== 'out-of-range' && r.end !== 'loop' && r.end !== 'cross-link') {
        out.add(
          'FAT_CHAIN_SHORT',
          `${who} is ${e?.size ?? 0} bytes, needing ${needed} clusters, but its chain ${r.end === 'free' ? 'runs into a free cluster' : 'ends'} after ${r.clusters}.`,
          at,
          { path },
        );
      } else if (r.clusters > needed && (r.end === 'eoc' || r.end === 'limit' || r.end === 'free')) {
        out.add(
          'FAT_CHAIN_LONG',
          `${who} is ${e?.size ?? 0} bytes, needing ${needed} clusters, but its chain holds ${r.clusters}: ${(r.clusters - needed) * cs} bytes past the end of the file can hold hidden data.`,
          at,
          { path, size: (r.clusters - needed) * cs },
        );
      }
    }
  }

  function assignChain(e: VolumeEntry): void {
    if (e.dot) return;
    const needed = e.isDir && !exfat ? undefined : Math.ceil(e.size / cs);
    const first = e.firstCluster;
    if (first === 0) {
      if (!e.deleted && e.size > 0) {
        out.add('FAT_CHAIN_SHORT', `"${escapeName(e.path)}" is ${e.size} bytes but has no first cluster.`, e.entryOffset, { path: e.path });
      }
      if (!e.deleted && e.isDir) {
        out.add('FAT_DIR_LOOP', `Directory "${escapeName(e.path)}" points to cluster 0, which stands for the root directory.`, e.entryOffset, { path: e.path });
      }
      if (e.deleted) e.recovery = e.size === 0 ? 'full' : 'none';
      return;
    }
    if (first < 2 || first >= g.clusterCount + 2) {
      if (!e.deleted) {
        out.add(
          'FAT_CLUSTER_OUT_OF_RANGE',
          `"${escapeName(e.path)}" starts at cluster ${first}, outside the volume (clusters 2-${g.clusterCount + 1}).`,
          e.entryOffset,
          { path: e.path },
        );
      } else e.recovery = 'none';
      return;
    }
    if (e.deleted) {
      e.chain = contiguousRun(first, needed ?? 1, g.clusterCount);
      let taken = 0;
      let checked = 0;
      for (const r of e.chain.runs) {
        for (let c = r.first; c < r.first + r.count && recoveryChecks < MAX_RECOVERY_CHECKS; c++, checked++, recoveryChecks++) {
          if (v.alloc.isAllocated(c)) taken++;
        }
      }
      if (checked < e.chain.clusters && recoveryChecks >= MAX_RECOVERY_CHECKS) limit('too many clusters of deleted files to check');
      if (needed === 0) e.recovery = 'full';
      else if (e.chain.clusters === 0) e.recovery = 'none';
      else if (taken === 0 && checked === e.chain.clusters && e.chain.end !== 'out-of-range') e.recovery = 'full';
      else e.recovery = taken < checked ? 'partial' : 'none';
      return;
    }
    if (e.isDir && visitedDirs.has(first)) {
      out.add('FAT_DIR_LOOP', `Directory "${escapeName(e.path)}" points to cluster ${first}, a directory already walked (a loop or a shared directory).`, e.entryOffset, { path: e.path });
      return;
    }
    if (e.noFatChain) {
      const run = contiguousRun(first, needed ?? 0, g.clusterCount);
      e.chain = run;
      if (run.end === 'out-of-range') {
        out.add('FAT_CLUSTER_OUT_OF_RANGE', `"${escapeName(e.path)}" runs past the last cluster of the volume.`, e.entryOffset, { path: e.path });
      }
      let unallocated = 0;
      for (const r of run.runs) {
        for (let c = r.first; c < r.first + r.count; c++) {
          stats.chainSteps++;
          if (!v.alloc.isAllocated(c)) unallocated++;
          const prev = owners.claim(c, e.id);
          if (prev >= 0 && prev !== e.id) {
            reportChainEnd({ runs: [], clusters: 0, end: 'cross-link', at: c, otherOwner: prev }, e.id, e.path, e.isDir, undefined);
            break;
          }
        }
      }
      if (unallocated > 0) {
        out.add('EXFAT_BITMAP_MISMATCH', `${unallocated} clusters of "${escapeName(e.path)}" are free in the allocation bitmap.`, e.entryOffset, { path: e.path });
      }
    } else {
      const max = e.isDir ? maxDirClusters : owners.tracking ? g.clusterCount + 1 : (needed ?? 0) + 1;
      const r = followChain(v.fat, first, g.clusterCount, max, owners, e.id);
      stats.chainSteps += r.clusters;
      e.chain = r;
      reportChainEnd(r, e.id, e.path, e.isDir, needed);
    }
    if (e.isDir) visitedDirs.add(first);
    else if (checkSlack && needed !== undefined) checkFileSlack(e, needed);
  }

  function checkFileSlack(e: VolumeEntry, needed: number): void {
    const tail = e.size % cs;
    if (tail === 0 || e.chain.clusters < needed) return;
    let k = needed - 1;
    let cluster = -1;
    for (const r of e.chain.runs) {
      if (k < r.count) {
        cluster = r.first + k;
        break;
      }
      k -= r.count;
    }
    if (cluster < 2) return;
    slackQueue.push({ e, cluster, tail });
  }

  /** Slack checks read the last cluster of every file: sorted by cluster and read in windows, not one read each. */
  const slackQueue: { e: VolumeEntry; cluster: number; tail: number }[] = [];
  function flushSlack(): void {
    slackQueue.sort((a, b) => a.cluster - b.cluster);
    const perWindow = Math.max(1, Math.floor(MAX_READ_BYTES / cs));
    let winFirst = -1;
    let win: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < slackQueue.length; i++) {
      const q = slackQueue[i]!;
      if (winFirst < 0 || q.cluster >= winFirst + perWindow) {
        let lastInWindow = q.cluster;
        for (let j = i + 1; j < slackQueue.length && slackQueue[j]!.cluster < q.cluster + perWindow; j++) lastInWindow = slackQueue[j]!.cluster;
        winFirst = q.cluster;
        win = v.src.read(g.dataOffset + (winFirst - 2) * cs, (lastInWindow - winFirst + 1) * cs);
      }
      const start = (q.cluster - winFirst) * cs;
      slackFound(q.e, q.cluster, q.tail, win.subarray(Math.min(win.length, start + q.tail), Math.min(win.length, start + cs)));
    }
    slackQueue.length = 0;
  }

  function slackFound(e: VolumeEntry, cluster: number, tail: number, bytes: Uint8Array): void {
    let firstNz = -1;
    let lastNz = -1;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0) {
        if (firstNz < 0) firstNz = i;
        lastNz = i;
      }
    }
    if (firstNz >= 0) {
      const size = lastNz - firstNz + 1;
      out.add(
        'FAT_SLACK_DATA',
        `"${escapeName(e.path)}" has ${size} bytes of data in its slack (the ${cs - tail} bytes after its end in its last cluster).`,
        abs(g.dataOffset + (cluster - 2) * cs + tail + firstNz),
        { path: e.path, size },
      );
    }
  }

  function newEntry(frame: Frame, e: VolumeEntry): VolumeEntry {
    e.id = entries.length;
    e.parent = frame.id;
    e.path = `${frame.path}/${e.name}`;
    e.depth = frame.depth;
    entries.push(e);
    stats.entries++;
    if (e.dot) return e;
    if (e.deleted) stats.deleted++;
    if (e.isDir) stats.directories++;
    else stats.files++;
    return e;
  }

  function fatEntry(frame: Frame, raw: RawDirent): VolumeEntry {
    const isDot = raw.raw === '.          ' || raw.raw === '..         ';
    const dot = isDot && frame.id !== -1 && raw.slot < 2 && raw.longName === undefined;
    const name = raw.longName ?? (isDot ? raw.raw.trimEnd() : raw.shortName);
    const fields: VolumeEntry = {
      id: 0,
      parent: 0,
      path: '',
      depth: 0,
      chain: NO_CHAIN,
      name,
      shortName: isDot ? raw.raw.trimEnd() : raw.shortName,
      isDir: (raw.attributes & ATTR_DIRECTORY) !== 0,
      deleted: raw.deleted || frame.deleted,
      attributes: raw.attributes,
      size: raw.size,
      firstCluster: raw.firstCluster,
      entryOffset: abs(raw.offset),
      slot: raw.slot,
    };
    if (raw.longName !== undefined) fields.longName = raw.longName;
    if (raw.lfnOffset !== undefined) fields.lfnOffset = abs(raw.lfnOffset);
    if (dot) fields.dot = true;
    if (raw.afterEnd) fields.afterEnd = true;
    if (raw.modified) fields.modified = raw.modified;
    return newEntry(frame, fields);
  }

  function exfatEntry(frame: Frame, raw: ExfatDirent): VolumeEntry {
    const fields: VolumeEntry = {
      id: 0,
      parent: 0,
      path: '',
      depth: 0,
      chain: NO_CHAIN,
      name: raw.name,
      shortName: '',
      isDir: (raw.attributes & ATTR_DIRECTORY) !== 0,
      deleted: raw.deleted || frame.deleted,
      attributes: raw.attributes & 0xff,
      size: raw.size,
      firstCluster: raw.firstCluster,
      entryOffset: abs(raw.offset),
      slot: raw.slot,
    };
    if (raw.noFatChain) fields.noFatChain = true;
    if (raw.afterEnd) fields.afterEnd = true;
    if (raw.modified) fields.modified = raw.modified;
    const e = newEntry(frame, fields);
    if (!raw.deleted && raw.name.length > 0) {
      const up = v.upcase ?? ((c: number) => (c >= 0x61 && c <= 0x7a ? c - 32 : c));
      const h = nameHash(raw.name, up);
      if (h !== raw.nameHash) {
        out.add('EXFAT_NAME_HASH', `"${escapeName(e.path)}" stores name hash 0x${raw.nameHash.toString(16)} but its name hashes to 0x${h.toString(16)}.`, e.entryOffset, { path: e.path });
      }
    }
    return e;
  }

  function problemsToAnomalies(frame: Frame, problems: (DirentProblem | ExfatProblem)[]): void {
    const dir = frame.path || '/';
    for (const p of problems) {
      const at = abs(p.offset);
      const path = dir;
      switch (p.kind) {
        case 'lfn-orphan':
          out.add('FAT_LFN_ORPHAN', `In "${escapeName(dir)}": orphan long-name entries: ${p.detail}.`, at, { path });
          break;
        case 'lfn-checksum':
          out.add('FAT_LFN_CHECKSUM', `In "${escapeName(dir)}": ${p.detail}; the long name is not used.`, at, { path });
          break;
        case 'entries-after-end':
          out.add('FAT_ENTRIES_AFTER_END', `In "${escapeName(dir)}": ${p.detail}.`, at, { path });
          break;
        case 'set-checksum':
          out.add('EXFAT_SET_CHECKSUM', `In "${escapeName(dir)}": ${p.detail}.`, at, { path });
          break;
        case 'set-incomplete':
        case 'name-length':
          out.add('EXFAT_SET_INCOMPLETE', `In "${escapeName(dir)}": ${p.detail}.`, at, { path });
          break;
        case 'orphan-secondary':
          out.add('EXFAT_ORPHAN_SECONDARY', `In "${escapeName(dir)}": ${p.detail}.`, at, { path });
          break;
      }
    }
  }

  let stopped = false;
  while (stack.length > 0 && !stopped) {
    const frame = stack.pop()!;
    let bytes: Uint8Array;
    let offsetOf: (slot: number) => number;
    if (frame.runs === null) {
      bytes = v.src.read(g.rootDirOffset, g.rootDirBytes);
      offsetOf = (slot) => g.rootDirOffset + slot * 32;
      if (bytes.length < g.rootDirBytes) out.add('FAT_VOLUME_TRUNCATED', 'The root directory region is cut off by the end of the image.', abs(g.rootDirOffset));
    } else {
      bytes = readRuns(v.src, g, frame.runs, maxDirBytes);
      offsetOf = slotMapper(frame.runs, g.dataOffset, cs);
    }
    stats.dirBytesRead += bytes.length;
    if (stats.dirBytesRead > MAX_TOTAL_DIR_BYTES) {
      limit(`more than ${MAX_TOTAL_DIR_BYTES} bytes of directories`);
      break;
    }
    const slots = bytes.length >>> 5;
    const exProblems: ExfatProblem[] = [];
    const fatProblems: DirentProblem[] = [];
    const raws = exfat
      ? parseExfatDirectory(bytes, slots, offsetOf, exProblems)
      : parseFatDirectory(bytes, slots, offsetOf, g.kind === 'FAT32', fatProblems);
    if (!frame.deleted) problemsToAnomalies(frame, [...fatProblems, ...exProblems]);
    const subdirs: Frame[] = [];
    const inRoot = frame.id === -1;
    for (const raw of raws) {
      if (entries.length >= maxEntries) {
        limit(`more than ${maxEntries} entries`);
        stopped = true;
        break;
      }
      const e = exfat ? exfatEntry(frame, raw as ExfatDirent) : fatEntry(frame, raw as RawDirent);
      assignChain(e);
      checkEntry(e, inRoot, out);
      if (!e.isDir || e.dot || e.chain.clusters === 0) continue;
      if (frame.depth + 1 >= MAX_DEPTH) {
        limit(`directory "${escapeName(e.path)}" is nested deeper than ${MAX_DEPTH}`);
        continue;
      }
      if (e.deleted) {
        // A deleted directory is entered only while its first cluster is free and still looks like a directory.
        if (e.recovery !== 'full' || visitedDirs.has(e.firstCluster) || !looksLikeDirectory(e.firstCluster)) continue;
        visitedDirs.add(e.firstCluster);
      }
      subdirs.push({ id: e.id, path: e.path, depth: frame.depth + 1, runs: e.chain.runs, deleted: e.deleted });
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }

  function looksLikeDirectory(cluster: number): boolean {
    const b = v.src.read(g.dataOffset + (cluster - 2) * cs, 64);
    if (b.length < 64) return false;
    if (exfat) return b[0] === 0x85 || b[0] === 0x05;
    return b[0] === 0x2e && b[11]! & ATTR_DIRECTORY ? true : false;
  }

  flushSlack();
  const result: WalkResult = { entries, anomalies: out.items, anomaliesDropped: 0, stats };
  const free = scanFreeSpace(v, owners, entries, options.scanUnallocated ?? false, out);
  if (free) result.unallocated = free;
  result.anomaliesDropped = out.dropped;
  return result;
}
