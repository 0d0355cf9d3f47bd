// Follows cluster chains through the FAT, detecting loops, cross-links, free or bad links and out-of-range clusters.

import { FAT_BAD, FAT_EOC, FAT_FREE, type FatTable } from './fat-table.js';
import { MAX_TRACKED_CLUSTERS } from './limits.js';
import type { Chain, ChainEnd, ClusterRun } from './types.js';

/** Which entry first claimed each cluster, so a second claim is a cross-link and a repeat is a loop. */
export class ClusterOwners {
  private readonly owner: Int32Array | null;
  /** Tracks clusters `[0, slots)`, or none when that is more than MAX_TRACKED_CLUSTERS. */
  constructor(slots: number) {
    this.owner = slots <= MAX_TRACKED_CLUSTERS ? new Int32Array(Math.max(0, slots)) : null;
  }
  /** Clusters below this number are tracked. */
  get size(): number {
    return this.owner ? this.owner.length : 0;
  }
  get tracking(): boolean {
    return this.owner !== null;
  }
  /** Claims `cluster` for `id`; returns the previous owner's id, or -1 when it was unclaimed (or untracked). */
  claim(cluster: number, id: number): number {
    const o = this.owner;
    if (!o || cluster >= o.length) return -1;
    const prev = o[cluster]!;
    if (prev === 0) {
      o[cluster] = id + 1;
      return -1;
    }
    return prev - 1;
  }
  ownerOf(cluster: number): number {
    const o = this.owner;
    return o && cluster < o.length ? o[cluster]! - 1 : -1;
  }
}

export interface ChainResult extends Chain {
  /** The cluster where the chain went wrong, and the other owner on a cross-link. */
  at?: number;
  otherOwner?: number;
}

/** The chain last traced. One object, reused by every call: copy out what you keep before the next one. */
export interface ChainTrace {
  clusters: number;
  end: ChainEnd;
  /** The cluster where the chain went wrong (-1 when it did not), and the other owner on a cross-link (-1). */
  at: number;
  otherOwner: number;
  /** The runs as first/count pairs. */
  pairs: number[];
}

const trace: ChainTrace = { clusters: 0, end: 'none', at: -1, otherOwner: -1, pairs: [] };

/** traceChain with its result copied out into a Chain of its own (for callers that keep it). */
export function followChain(...args: Parameters<typeof traceChain>): ChainResult {
  const t = traceChain(...args);
  const result: ChainResult = { runs: runsFromPairs(t.pairs), clusters: t.clusters, end: t.end };
  if (t.at >= 0) result.at = t.at;
  if (t.otherOwner >= 0) result.otherOwner = t.otherOwner;
  return result;
}

/** Runs from first/count pairs, from pair index `from / 2` on. */
export function runsFromPairs(pairs: readonly number[], from = 0): ClusterRun[] {
  const runs: ClusterRun[] = [];
  for (let k = from; k + 1 < pairs.length; k += 2) runs.push({ first: pairs[k]!, count: pairs[k + 1]! });
  return runs;
}

/**
 * Follows the chain from `first`, at most `maxClusters` clusters (one past what the size needs is enough to see that
 * a chain is too long). With `owners`, each cluster is claimed for `id`. Without tracking, Brent's cycle check finds
 * loops. The result is the one shared ChainTrace: the walk copies the runs straight into its table.
 */
export function traceChain(
  fat: FatTable,
  first: number,
  clusterCount: number,
  maxClusters: number,
  owners: ClusterOwners | null,
  id: number,
): ChainTrace {
  const pairs = trace.pairs;
  pairs.length = 0;
  trace.clusters = 0;
  trace.at = -1;
  trace.otherOwner = -1;
  if (first === 0) {
    trace.end = 'none';
    return trace;
  }
  const limitCluster = clusterCount + 2;
  let c = first;
  let n = 0;
  // Brent's algorithm state, used only when ownership is not tracked.
  let power = 1;
  let lam = 0;
  let tortoise = -1;
  const tracked = owners !== null && owners.tracking;
  let end: ChainEnd = 'limit';
  let at = -1;
  let otherOwner = -1;
  while (n < maxClusters) {
    if (c < 2 || c >= limitCluster) {
      end = 'out-of-range';
      at = c;
      break;
    }
    if (tracked) {
      const prev = owners.claim(c, id);
      if (prev === id) {
        end = 'loop';
        at = c;
        break;
      }
      if (prev >= 0) {
        end = 'cross-link';
        at = c;
        otherOwner = prev;
        break;
      }
    } else {
      if (c === tortoise) {
        end = 'loop';
        at = c;
        break;
      }
      if (++lam === power) {
        tortoise = c;
        power *= 2;
        lam = 0;
      }
    }
    const last = pairs.length - 2;
    if (last >= 0 && pairs[last]! + pairs[last + 1]! === c) pairs[last + 1]!++;
    else pairs.push(c, 1);
    n++;
    const next = fat.next(c);
    if (next === FAT_EOC) {
      end = 'eoc';
      break;
    }
    if (next === FAT_FREE) {
      end = 'free';
      at = c;
      break;
    }
    if (next === FAT_BAD) {
      end = 'bad';
      at = c;
      break;
    }
    c = next;
  }
  trace.clusters = n;
  trace.end = end;
  trace.at = at;
  trace.otherOwner = otherOwner;
  return trace;
}

/** The contiguous run a file without a usable chain most likely occupied (deleted files, exFAT NoFatChain). */
export function contiguousRun(first: number, clusters: number, clusterCount: number): Chain {
  if (first < 2 || clusters === 0) return { runs: [], clusters: 0, end: 'none' };
  const last = clusterCount + 2;
  if (first >= last) return { runs: [], clusters: 0, end: 'out-of-range' };
  const count = Math.min(clusters, last - first);
  return { runs: [{ first, count }], clusters: count, end: count < clusters ? 'out-of-range' : 'eoc' };
}
