// Walks every directory of a FAT or exFAT volume, live and deleted, following and checking each entry's clusters.

import { type FatAnomalyCode, VolumeAnomalies } from './anomaly-codes.js';
import { type ChainTrace, ClusterOwners, contiguousRun, runsFromPairs, traceChain } from './chain.js';
import { checkEntry, escapeName } from './checks.js';
import { ATTR_DIRECTORY, type DirentProblem, parseFatDirectory } from './dirent.js';
import { EntryTable, F_DELETED, F_DIR, F_DOT, F_NO_FAT_CHAIN } from './entry.js';
import { type ExfatProblem, parseExfatDirectory } from './exfat-dir.js';
import {
  MAX_ANOMALIES,
  MAX_CHAIN_STEPS,
  MAX_DEPTH,
  MAX_ENTRIES,
  MAX_EXFAT_DIR_BYTES,
  MAX_FAT_DIR_BYTES,
  MAX_RECOVERY_CHECKS,
  MAX_SLACK_READ_BYTES,
  SLACK_READ_BYTES,
  MAX_TOTAL_DIR_BYTES,
  MAX_TRACKED_CLUSTERS,
  SLACK_GAP_BYTES,
} from './limits.js';
import { Scratch } from './scratch.js';
import type { ClusterRun, VolumeEntry, WalkResult, WalkStats } from './types.js';
import { scanFreeSpace } from './unallocated.js';
import type { FatVolume } from './volume.js';

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
/** Slack queue keys pack cluster and entry id as cluster * 2^22 + id (MAX_ENTRIES < 2^22). */
const ID_SPAN = 4194304;

/** How the parsers' directory-level problems read as anomalies: code, and text around the detail. */
const PROBLEMS: Record<Exclude<DirentProblem['kind'] | ExfatProblem['kind'], 'name-hash'>, [FatAnomalyCode, string, string]> = {
  'lfn-orphan': ['FAT_LFN_ORPHAN', 'orphan long-name entries: ', '.'],
  'lfn-checksum': ['FAT_LFN_CHECKSUM', '', '; the long name is not used.'],
  'entries-after-end': ['FAT_ENTRIES_AFTER_END', '', '.'],
  'set-checksum': ['EXFAT_SET_CHECKSUM', '', '.'],
  'set-incomplete': ['EXFAT_SET_INCOMPLETE', '', '.'],
  'name-length': ['EXFAT_SET_INCOMPLETE', '', '.'],
  'orphan-secondary': ['EXFAT_ORPHAN_SECONDARY', '', '.'],
};

interface Frame {
  id: number;
  /** The directory's own path (`` for the root): its entries' dirPath. */
  path: string;
  depth: number;
  runs: ClusterRun[] | null;
  deleted: boolean;
}

/** Maps a directory slot to its image offset across the directory's cluster runs, walking forward with a cursor. */
function slotMapper(runs: ClusterRun[], base: number, clusterSize: number): (slot: number) => number {
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
    return base + (r.first - 2) * clusterSize + (slot - runStartSlot) * 32;
  };
}

/** Walks the whole volume. Never throws on malformed bytes; every limit that cut the walk short is reported. */
export function walkVolume(v: FatVolume, options: WalkOptions = {}): WalkResult {
  const g = v.geometry;
  const cs = g.clusterSize;
  const exfat = g.kind === 'exFAT';
  const out = new VolumeAnomalies(MAX_ANOMALIES);
  const t = new EntryTable();
  // Every cluster a chain can step through is tracked: FAT entries past fat.entryCount read as free, so a chain
  // ends at most one cluster past them.
  const owners = new ClusterOwners(Math.min(g.clusterCount + 2, Math.max(v.fat.entryCount + 1, g.usableClusters + 2)));
  const visitedDirs = new Set<number>();
  const maxEntries = Math.min(options.maxEntries ?? MAX_ENTRIES, MAX_ENTRIES);
  const checkSlack = options.checkSlack ?? true;
  const stats: WalkStats = {
    entries: 0,
    files: 0,
    directories: 0,
    deleted: 0,
    dirBytesRead: 0,
    chainSteps: 0,
    slackBytesRead: 0,
    truncated: false,
  };
  const maxDirBytes = exfat ? MAX_EXFAT_DIR_BYTES : MAX_FAT_DIR_BYTES;
  const maxDirClusters = Math.max(1, Math.ceil(maxDirBytes / cs));
  /** Clusters whose bytes are in the source: the data of any other cluster cannot be read or recovered. */
  const readableEnd = g.usableClusters + 2;
  const dataBase = v.base + g.dataOffset;
  // Each live directory cluster is read once; deleted directories may overlap live ones, so twice the data area (and
  // the fixed root) bounds any honest volume. Past it, a crafted volume is only making the walk re-read itself.
  const dirBudget = Math.min(MAX_TOTAL_DIR_BYTES, 2 * (g.usableClusters * cs + g.rootDirBytes) + MAX_FAT_DIR_BYTES);
  const upcase = v.upcase ?? ((c: number) => (c >= 0x61 && c <= 0x7a ? c - 32 : c));
  const limitsHit = new Set<string>();
  const limit = (what: string): void => {
    stats.truncated = true;
    if (limitsHit.has(what)) return;
    limitsHit.add(what);
    out.add('FAT_LIMIT', `Stopped early: ${what}. The listing is incomplete.`);
  };
  const abs = (off: number): number => v.base + off;
  const pathOf = (id: number): string => (id >= 0 && id < t.count ? t.path(id) : '/');

  for (const run of v.systemRuns) for (let c = run.first; c < run.first + run.count; c++) owners.claim(c, SYSTEM_ID);

  /** Follows a chain within the walk's step budget; null when the budget is spent (reported once). */
  function follow(first: number, max: number, id: number): ChainTrace | null {
    const left = MAX_CHAIN_STEPS - stats.chainSteps;
    if (left <= 0) {
      limit(`more than ${MAX_CHAIN_STEPS} cluster chain steps`);
      return null;
    }
    const r = traceChain(v.fat, first, g.clusterCount, Math.min(max, left), owners, id);
    stats.chainSteps += r.clusters;
    if (r.end === 'limit' && max > left) {
      limit(`more than ${MAX_CHAIN_STEPS} cluster chain steps`);
      return null;
    }
    return r;
  }

  // The root directory: a fixed region on FAT12/16, a cluster chain on FAT32 and exFAT.
  const stack: Frame[] = [];
  if (g.kind === 'FAT12' || g.kind === 'FAT16') {
    stack.push({ id: -1, path: '', depth: 0, runs: null, deleted: false });
  } else {
    const rc = follow(g.rootCluster, maxDirClusters, ROOT_ID);
    if (rc && rc.clusters === 0) out.add('FAT_ROOT_INVALID', `The root directory's first cluster ${g.rootCluster} is outside the volume.`, abs(0));
    else if (rc) {
      const runs = runsFromPairs(rc.pairs);
      reportChainEnd(rc, -1, true, undefined);
      visitedDirs.add(g.rootCluster);
      stack.push({ id: -1, path: '', depth: 0, runs, deleted: false });
    }
  }

  function reportChainEnd(r: Omit<ChainTrace, 'pairs'>, i: number, isDir: boolean, needed: number | undefined): void {
    if (r.end === 'eoc' && (needed === undefined || r.clusters === needed)) return;
    const at = i >= 0 ? t.entryOffset[i]! : abs(0);
    const path = i >= 0 ? t.path(i) : '/';
    const size = i >= 0 ? t.size[i]! : 0;
    const who = `"${escapeName(path)}"`;
    switch (r.end) {
      case 'out-of-range':
        out.add('FAT_CLUSTER_OUT_OF_RANGE', `${who}'s cluster chain points to cluster ${r.at}, outside the volume (clusters 2-${g.clusterCount + 1}).`, at, { path });
        break;
      case 'loop':
        out.add('FAT_CHAIN_LOOP', `${who}'s cluster chain loops back to cluster ${r.at}.`, at, { path });
        break;
      case 'cross-link': {
        const other = r.otherOwner === ROOT_ID ? '/' : r.otherOwner === SYSTEM_ID ? '(exFAT system data)' : pathOf(r.otherOwner);
        out.add('FAT_CROSS_LINK', `${who} shares cluster ${r.at} with "${escapeName(other)}".`, at, { path });
        break;
      }
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
          `${who} is ${size} bytes, needing ${needed} clusters, but its chain ${r.end === 'free' ? 'runs into a free cluster' : 'ends'} after ${r.clusters}.`,
          at,
          { path },
        );
      } else if (r.clusters > needed && (r.end === 'eoc' || r.end === 'limit' || r.end === 'free')) {
        out.add(
          'FAT_CHAIN_LONG',
          `${who} is ${size} bytes, needing ${needed} clusters, but its chain holds ${r.clusters}: ${(r.clusters - needed) * cs} bytes past the end of the file can hold hidden data.`,
          at,
          { path, size: (r.clusters - needed) * cs },
        );
      }
    }
  }

  // Deleted-file recovery asks how many clusters of a run are allocated: a prefix count answers in O(1).
  let allocPrefix: Int32Array | null | undefined;
  let recoveryChecks = 0;
  /** Clusters of `[first, first + count)` that are allocated or not readable; -1 when the check budget ran out. */
  function unavailableIn(first: number, count: number): number {
    if (allocPrefix === undefined) {
      const n = Math.min(g.clusterCount + 2, readableEnd);
      allocPrefix = n <= MAX_TRACKED_CLUSTERS ? new Int32Array(n + 1) : null;
      if (allocPrefix) for (let c = 0; c < n; c++) allocPrefix[c + 1] = allocPrefix[c]! + (c >= 2 && v.alloc.isAllocated(c) ? 1 : 0);
    }
    const end = first + count;
    const inside = Math.max(first, Math.min(end, readableEnd));
    const outside = end - inside;
    if (allocPrefix) return allocPrefix[inside]! - allocPrefix[first]! + outside;
    if (recoveryChecks + (inside - first) > MAX_RECOVERY_CHECKS) {
      limit('too many clusters of deleted files to check');
      return -1;
    }
    recoveryChecks += inside - first;
    let taken = outside;
    for (let c = first; c < inside; c++) if (v.alloc.isAllocated(c)) taken++;
    return taken;
  }

  function assignChain(i: number): void {
    const flags = t.flags[i]!;
    if (flags & F_DOT) return;
    const isDir = (flags & F_DIR) !== 0;
    const deleted = (flags & F_DELETED) !== 0;
    const size = t.size[i]!;
    const needed = isDir && !exfat ? undefined : Math.ceil(size / cs);
    const first = t.firstCluster[i]!;
    const at = t.entryOffset[i]!;
    if (first === 0) {
      if (!deleted && size > 0) {
        out.add('FAT_CHAIN_SHORT', `"${escapeName(t.path(i))}" is ${size} bytes but has no first cluster.`, at, { path: t.path(i) });
      }
      if (!deleted && isDir) {
        out.add('FAT_DIR_LOOP', `Directory "${escapeName(t.path(i))}" points to cluster 0, which stands for the root directory.`, at, { path: t.path(i) });
      }
      if (deleted) t.setRecovery(i, size === 0 ? 'full' : 'none');
      return;
    }
    if (first < 2 || first >= g.clusterCount + 2) {
      if (!deleted) {
        out.add(
          'FAT_CLUSTER_OUT_OF_RANGE',
          `"${escapeName(t.path(i))}" starts at cluster ${first}, outside the volume (clusters 2-${g.clusterCount + 1}).`,
          at,
          { path: t.path(i) },
        );
      } else t.setRecovery(i, 'none');
      return;
    }
    if (deleted) {
      const chain = contiguousRun(first, needed ?? 1, g.clusterCount);
      t.setChain(i, chain);
      const run = chain.runs[0];
      if (needed === 0) t.setRecovery(i, 'full');
      else if (!run) t.setRecovery(i, 'none');
      else {
        const taken = unavailableIn(run.first, run.count);
        if (taken < 0) t.setRecovery(i, undefined);
        else if (taken === 0 && chain.end !== 'out-of-range') t.setRecovery(i, 'full');
        else t.setRecovery(i, taken < run.count ? 'partial' : 'none');
      }
      return;
    }
    if (isDir && visitedDirs.has(first)) {
      out.add('FAT_DIR_LOOP', `Directory "${escapeName(t.path(i))}" points to cluster ${first}, a directory already walked (a loop or a shared directory).`, at, { path: t.path(i) });
      return;
    }
    if (flags & F_NO_FAT_CHAIN) {
      const run = contiguousRun(first, needed ?? 0, g.clusterCount);
      t.setChain(i, run);
      if (run.end === 'out-of-range') {
        out.add('FAT_CLUSTER_OUT_OF_RANGE', `"${escapeName(t.path(i))}" runs past the last cluster of the volume.`, at, { path: t.path(i) });
      }
      let unallocated = 0;
      const r = run.runs[0];
      if (r) {
        // Contiguous runs cannot loop; each cluster is still claimed so cross-links show, within the step budget.
        const count = Math.min(r.count, Math.max(0, MAX_CHAIN_STEPS - stats.chainSteps));
        if (count < r.count) limit(`more than ${MAX_CHAIN_STEPS} cluster chain steps`);
        stats.chainSteps += count;
        for (let c = r.first; c < r.first + count; c++) {
          if (!v.alloc.isAllocated(c)) unallocated++;
          const prev = owners.claim(c, i);
          if (prev >= 0 && prev !== i) {
            reportChainEnd({ clusters: 0, end: 'cross-link', at: c, otherOwner: prev }, i, isDir, undefined);
            break;
          }
        }
      }
      if (unallocated > 0) {
        out.add('EXFAT_BITMAP_MISMATCH', `${unallocated} clusters of "${escapeName(t.path(i))}" are free in the allocation bitmap.`, at, { path: t.path(i) });
      }
    } else {
      const max = isDir ? maxDirClusters : owners.tracking ? owners.size + 1 : (needed ?? 0) + 1;
      const r = follow(first, max, i);
      if (!r) return;
      t.setChainPairs(i, r.pairs, r.clusters, r.end);
      reportChainEnd(r, i, isDir, needed);
    }
    if (isDir) visitedDirs.add(first);
    else if (checkSlack && needed !== undefined) queueSlack(i, needed);
  }

  // Slack checks read the last cluster of every file: queued, then read in cluster order with coalesced reads.
  let slackKeys = new Float64Array(1024);
  let slackCount = 0;
  let slackWide = false;
  function queueSlack(i: number, needed: number): void {
    const tail = t.size[i]! % cs;
    if (tail === 0 || t.chainClusters[i]! < needed) return;
    const cluster = t.chainCluster(i, needed - 1);
    if (cluster < 2 || cluster >= readableEnd) return;
    if (slackCount === slackKeys.length) {
      const grown = new Float64Array(slackKeys.length * 2);
      grown.set(slackKeys);
      slackKeys = grown;
    }
    if (cluster >= 0x80000000) slackWide = true;
    slackKeys[slackCount++] = cluster * ID_SPAN + i;
  }

  function flushSlack(): void {
    const keys = slackKeys.subarray(0, slackCount);
    // Numeric sort of packed keys; keys past 2^53 would lose the id, so huge cluster numbers sort by comparator.
    if (slackWide) keys.sort((a, b) => Math.floor(a / ID_SPAN) - Math.floor(b / ID_SPAN));
    else keys.sort();
    const n = slackCount;
    const ids = new Uint32Array(n);
    // Byte offsets (in the image) of each file's slack and of the end of its last cluster.
    const from = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const cluster = Math.floor(keys[k]! / ID_SPAN);
      const id = keys[k]! - cluster * ID_SPAN;
      ids[k] = id;
      from[k] = dataBase + (cluster - 2) * cs + (t.size[id]! % cs);
    }
    const endOf = (k: number): number => from[k]! - (t.size[ids[k]!]! % cs) + cs;
    const readMax = Math.max(SLACK_READ_BYTES, cs);
    const scratch = new Scratch(Math.min(readMax, n * cs), readMax);
    let k0 = 0;
    while (k0 < n) {
      const start = from[k0]!;
      let end = endOf(k0);
      let k1 = k0 + 1;
      for (; k1 < n; k1++) {
        const to = endOf(k1);
        if (from[k1]! - end > SLACK_GAP_BYTES || to - start > readMax) break;
        if (to > end) end = to;
      }
      if (stats.slackBytesRead + (end - start) > MAX_SLACK_READ_BYTES) {
        limit(`more than ${MAX_SLACK_READ_BYTES} bytes of file slack to read`);
        break;
      }
      const got = scratch.read(v.src, start - v.base, end - start);
      stats.slackBytesRead += got;
      for (let k = k0; k < k1; k++) {
        const a = from[k]! - start;
        const b = Math.min(got, endOf(k) - start);
        const firstNz = scratch.firstNonZero(a, b);
        if (firstNz < 0) continue;
        const i = ids[k]!;
        const size = scratch.lastNonZero(firstNz, b) - firstNz + 1;
        const path = t.path(i);
        out.add(
          'FAT_SLACK_DATA',
          `"${escapeName(path)}" has ${size} bytes of data in its slack (the ${cs - (t.size[i]! % cs)} bytes after its end in its last cluster).`,
          start + firstNz,
          { path, size },
        );
      }
      k0 = k1;
    }
    slackCount = 0;
  }

  function problemsToAnomalies(frame: Frame, problems: (DirentProblem | ExfatProblem)[]): void {
    const dir = frame.path || '/';
    for (const p of problems) {
      if (p.kind === 'name-hash') {
        const entryPath = `${frame.path}/${(p as ExfatProblem).name ?? ''}`;
        out.add('EXFAT_NAME_HASH', `"${escapeName(entryPath)}" ${p.detail}.`, p.offset, { path: entryPath });
        continue;
      }
      const [code, before, after] = PROBLEMS[p.kind];
      out.add(code, `In "${escapeName(dir)}": ${before}${p.detail}${after}`, p.offset, { path: dir });
    }
  }

  function looksLikeDirectory(cluster: number): boolean {
    if (cluster >= readableEnd) return false;
    const b = v.src.read(g.dataOffset + (cluster - 2) * cs, 64);
    if (b.length < 64) return false;
    if (exfat) return b[0] === 0x85 || b[0] === 0x05;
    return b[0] === 0x2e && b[11]! & ATTR_DIRECTORY ? true : false;
  }

  const dirScratch = new Scratch(64 * 1024, maxDirBytes);
  /** Reads the directory's clusters (or the fixed root region) into the scratch buffer; returns the bytes. */
  function readDirectory(frame: Frame): { bytes: Uint8Array; offsetOf: (slot: number) => number } {
    if (frame.runs === null) {
      const got = dirScratch.read(v.src, g.rootDirOffset, g.rootDirBytes);
      if (got < g.rootDirBytes) out.add('FAT_VOLUME_TRUNCATED', 'The root directory region is cut off by the end of the image.', abs(g.rootDirOffset));
      const base = v.base + g.rootDirOffset;
      return { bytes: dirScratch.bytes.subarray(0, got), offsetOf: (slot) => base + slot * 32 };
    }
    let total = 0;
    for (const r of frame.runs) total += r.count * cs;
    total = Math.min(total, maxDirBytes);
    const into = dirScratch.ensure(total);
    let at = 0;
    for (const r of frame.runs) {
      if (at >= total) break;
      const want = Math.min(r.count * cs, total - at);
      const got = dirScratch.readAt(v.src, g.dataOffset + (r.first - 2) * cs, want, at);
      at += got;
      if (got < want) break;
    }
    return { bytes: into.subarray(0, at), offsetOf: slotMapper(frame.runs, dataBase, cs) };
  }

  const fatProblems: DirentProblem[] = [];
  const exProblems: ExfatProblem[] = [];
  let stopped = false;
  while (stack.length > 0 && !stopped) {
    const frame = stack.pop()!;
    const { bytes, offsetOf } = readDirectory(frame);
    stats.dirBytesRead += bytes.length;
    if (stats.dirBytesRead > dirBudget) {
      limit(`more than ${dirBudget} bytes of directories (twice the volume's data)`);
      break;
    }
    const start = t.count;
    fatProblems.length = 0;
    exProblems.length = 0;
    if (exfat) parseExfatDirectory(bytes, bytes.length >>> 5, offsetOf, upcase, exProblems, t);
    else parseFatDirectory(bytes, bytes.length >>> 5, offsetOf, g.kind === 'FAT32', fatProblems, t);
    if (t.count > maxEntries) {
      t.truncate(maxEntries);
      limit(`more than ${maxEntries} entries`);
      stopped = true;
    }
    if (!frame.deleted) {
      problemsToAnomalies(frame, fatProblems);
      problemsToAnomalies(frame, exProblems);
    }
    if (frame.id >= 0) {
      t.childStart[frame.id] = start;
      t.childEnd[frame.id] = t.count;
    }
    const subdirs: Frame[] = [];
    const inRoot = frame.id === -1;
    for (let i = start; i < t.count; i++) {
      t.parent[i] = frame.id;
      t.depth[i] = frame.depth;
      if (frame.deleted) t.flags[i]! |= F_DELETED;
      if (inRoot) t.flags[i]! &= ~F_DOT;
      const flags = t.flags[i]!;
      stats.entries++;
      if (!(flags & F_DOT)) {
        if (flags & F_DELETED) stats.deleted++;
        if (flags & F_DIR) stats.directories++;
        else stats.files++;
      }
      assignChain(i);
      checkEntry(t, i, inRoot, out);
      if (!(flags & F_DIR) || flags & F_DOT || t.chainClusters[i] === 0) continue;
      if (frame.depth + 1 >= MAX_DEPTH) {
        limit(`directories are nested deeper than ${MAX_DEPTH}`);
        continue;
      }
      if (flags & F_DELETED) {
        // A deleted directory is entered only while its first cluster is free and still looks like a directory.
        const first = t.firstCluster[i]!;
        if (t.recovery(i) !== 'full' || visitedDirs.has(first) || !looksLikeDirectory(first)) continue;
        visitedDirs.add(first);
      }
      subdirs.push({ id: i, path: t.path(i), depth: frame.depth + 1, runs: t.chain(i).runs, deleted: (flags & F_DELETED) !== 0 });
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }

  flushSlack();
  const free = scanFreeSpace(v, owners, t, options.scanUnallocated ?? false, out);
  let views: VolumeEntry[] | undefined;
  const result: WalkResult = {
    table: t,
    get entries(): VolumeEntry[] {
      if (!views) {
        views = new Array<VolumeEntry>(t.count);
        for (let i = 0; i < t.count; i++) views[i] = t.view(i);
      }
      return views;
    },
    anomalies: out.items,
    anomaliesDropped: out.dropped,
    stats,
  };
  if (free) result.unallocated = free;
  return result;
}
