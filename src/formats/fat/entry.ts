// The walk's entries as a table of typed arrays (one row per entry), names included as UTF-16 units in one pool, with
// strings and entry objects built on demand: a walk of millions of entries keeps no objects for the collector.

import { runsFromPairs } from './chain.js';
import type { Chain, ChainEnd, ClusterRun, Recovery, VolumeEntry } from './types.js';

export const NO_CHAIN: Chain = { runs: [], clusters: 0, end: 'none' };

/** Bits of EntryTable.flags. */
export const F_DIR = 1;
export const F_DELETED = 2;
export const F_DOT = 4;
export const F_NO_FAT_CHAIN = 8;
export const F_AFTER_END = 16;
/** The name of row i is a valid long name (FAT) rather than the 8.3 name. */
export const F_LONG = 32;
/** The parser judged whether the 8.3 name fits the long name (F_NAME_MISMATCH when it does not). */
export const F_FIT_CHECKED = 1 << 11;
export const F_NAME_MISMATCH = 1 << 12;
const RECOVERY_SHIFT = 6;
const RECOVERY_MASK = 3 << RECOVERY_SHIFT;
const CHAIN_END_SHIFT = 8;
const CHAIN_END_MASK = 7 << CHAIN_END_SHIFT;

const RECOVERIES: (Recovery | undefined)[] = [undefined, 'full', 'partial', 'none'];
const CHAIN_ENDS: ChainEnd[] = ['none', 'eoc', 'free', 'bad', 'out-of-range', 'loop', 'cross-link', 'limit'];

/** `YYYY-MM-DDTHH:MM:SS` from a DOS timestamp (date << 16 | time, as FAT and exFAT store it), or undefined. */
export function formatDosTime(v: number): string | undefined {
  const d = v >>> 16;
  if (d === 0) return undefined;
  const t = v & 0xffff;
  const mo = (d >>> 5) & 15;
  const da = d & 31;
  const h = t >>> 11;
  const mi = (t >>> 5) & 63;
  const s = (t & 31) * 2;
  if (mo < 1 || mo > 12 || da < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const p = (x: number): string => (x < 10 ? `0${x}` : String(x));
  return `${1980 + (d >>> 9)}-${p(mo)}-${p(da)}T${p(h)}:${p(mi)}:${p(s)}`;
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

export class EntryTable {
  count = 0;
  private cap = 0;
  parent = new Int32Array(0);
  flags = new Uint16Array(0);
  attributes = new Uint8Array(0);
  depth = new Uint8Array(0);
  slot = new Uint32Array(0);
  mtime = new Uint32Array(0);
  firstCluster = new Uint32Array(0);
  size = new Float64Array(0);
  entryOffset = new Float64Array(0);
  /** -1 when the entry has no long name. */
  lfnOffset = new Float64Array(0);
  /** The chain's first run; any further runs (rare) are in `moreRuns`. */
  chainFirst = new Uint32Array(0);
  chainCount = new Uint32Array(0);
  chainClusters = new Uint32Array(0);
  childStart = new Int32Array(0);
  childEnd = new Int32Array(0);
  /**
   * Names as UTF-16 units in `units`: the display name of row i at `nameStart[i]` (`nameLength[i]` units; the long
   * name when F_LONG, else the 8.3 name on FAT or the name on exFAT), its 8.3 name at `shortStart[i]`.
   */
  units = new Uint16Array(0);
  unitCount = 0;
  nameStart = new Uint32Array(0);
  nameLength = new Uint16Array(0);
  shortStart = new Uint32Array(0);
  shortLength = new Uint8Array(0);
  moreRuns = new Map<number, ClusterRun[]>();
  /** Paths of directories, built once each when their entries' paths are asked for. */
  private readonly dirPaths = new Map<number, string>();

  private reserve(): void {
    if (this.count < this.cap) return;
    const cap = Math.max(1024, this.cap * 2);
    this.parent = grow(this.parent, cap);
    this.flags = grow(this.flags, cap);
    this.attributes = grow(this.attributes, cap);
    this.depth = grow(this.depth, cap);
    this.slot = grow(this.slot, cap);
    this.mtime = grow(this.mtime, cap);
    this.firstCluster = grow(this.firstCluster, cap);
    this.size = grow(this.size, cap);
    this.entryOffset = grow(this.entryOffset, cap);
    this.lfnOffset = grow(this.lfnOffset, cap);
    this.chainFirst = grow(this.chainFirst, cap);
    this.chainCount = grow(this.chainCount, cap);
    this.chainClusters = grow(this.chainClusters, cap);
    this.childStart = grow(this.childStart, cap);
    this.childEnd = grow(this.childEnd, cap);
    this.nameStart = grow(this.nameStart, cap);
    this.nameLength = grow(this.nameLength, cap);
    this.shortStart = grow(this.shortStart, cap);
    this.shortLength = grow(this.shortLength, cap);
    this.cap = cap;
  }

  /** Room for `n` more name units; returns the pool (which may have moved). */
  reserveUnits(n: number): Uint16Array {
    if (this.unitCount + n > this.units.length) this.units = grow(this.units, Math.max(4096, this.units.length * 2, this.unitCount + n));
    return this.units;
  }

  /** Appends units to the pool; returns where they start. */
  addUnits(u: ArrayLike<number>, from: number, n: number): number {
    const pool = this.reserveUnits(n);
    const at = this.unitCount;
    for (let k = 0; k < n; k++) pool[at + k] = u[from + k]!;
    this.unitCount += n;
    return at;
  }

  /** Appends a string's units to the pool; returns where they start. */
  addString(s: string): number {
    const pool = this.reserveUnits(s.length);
    const at = this.unitCount;
    for (let k = 0; k < s.length; k++) pool[at + k] = s.charCodeAt(k);
    this.unitCount += s.length;
    return at;
  }

  private text(start: number, length: number): string {
    return length === 0 ? '' : String.fromCharCode.apply(null, this.units.subarray(start, start + length) as unknown as number[]);
  }

  /** Display name of row i (a new string each call). */
  name(i: number): string {
    return this.text(this.nameStart[i]!, this.nameLength[i]!);
  }

  /** The 8.3 name of row i (`` on exFAT). */
  shortName(i: number): string {
    return this.text(this.shortStart[i]!, this.shortLength[i]!);
  }

  /** Sets the display name of row i to units already in the pool. */
  setName(i: number, start: number, length: number): void {
    this.nameStart[i] = start;
    this.nameLength[i] = length;
  }

  /**
   * Appends a row and returns its index. Its name is `nameLength` units at `nameStart` of the pool; its 8.3 name is
   * the same units (FAT rows start so, a long name replaces the display name) or none (`shortName` false, exFAT).
   */
  add(nameStart: number, nameLength: number, shortName: boolean, flags: number, attributes: number, size: number, firstCluster: number, entryOffset: number, slot: number, mtime: number): number {
    this.reserve();
    const i = this.count++;
    this.nameStart[i] = nameStart;
    this.nameLength[i] = nameLength;
    this.shortStart[i] = nameStart;
    this.shortLength[i] = shortName ? nameLength : 0;
    this.flags[i] = flags;
    this.attributes[i] = attributes;
    this.size[i] = size;
    this.firstCluster[i] = firstCluster;
    this.entryOffset[i] = entryOffset;
    this.lfnOffset[i] = -1;
    this.slot[i] = slot;
    this.mtime[i] = mtime;
    this.parent[i] = -1;
    this.childStart[i] = -1;
    this.childEnd[i] = -1;
    return i;
  }

  /** Drops rows past `n` (a limit cut the listing). */
  truncate(n: number): void {
    if (n < this.count) this.count = n;
  }

  has(i: number, flag: number): boolean {
    return (this.flags[i]! & flag) !== 0;
  }

  recovery(i: number): Recovery | undefined {
    return RECOVERIES[(this.flags[i]! & RECOVERY_MASK) >>> RECOVERY_SHIFT];
  }

  setRecovery(i: number, r: Recovery | undefined): void {
    this.flags[i] = (this.flags[i]! & ~RECOVERY_MASK) | (RECOVERIES.indexOf(r) << RECOVERY_SHIFT);
  }

  chainEnd(i: number): ChainEnd {
    return CHAIN_ENDS[(this.flags[i]! & CHAIN_END_MASK) >>> CHAIN_END_SHIFT]!;
  }

  setChain(i: number, c: Chain): void {
    const r = c.runs[0];
    this.chainFirst[i] = r ? r.first : 0;
    this.chainCount[i] = r ? r.count : 0;
    this.chainClusters[i] = c.clusters;
    this.flags[i] = (this.flags[i]! & ~CHAIN_END_MASK) | (CHAIN_ENDS.indexOf(c.end) << CHAIN_END_SHIFT);
    if (c.runs.length > 1) this.moreRuns.set(i, c.runs.slice(1));
  }

  /** The chain from first/count pairs (as chain.ts traces them). */
  setChainPairs(i: number, pairs: readonly number[], clusters: number, end: ChainEnd): void {
    this.chainFirst[i] = pairs.length > 0 ? pairs[0]! : 0;
    this.chainCount[i] = pairs.length > 1 ? pairs[1]! : 0;
    this.chainClusters[i] = clusters;
    this.flags[i] = (this.flags[i]! & ~CHAIN_END_MASK) | (CHAIN_ENDS.indexOf(end) << CHAIN_END_SHIFT);
    if (pairs.length > 2) this.moreRuns.set(i, runsFromPairs(pairs, 2));
  }

  chain(i: number): Chain {
    const count = this.chainCount[i]!;
    const end = this.chainEnd(i);
    if (count === 0 && end === 'none') return NO_CHAIN;
    const runs: ClusterRun[] = count > 0 ? [{ first: this.chainFirst[i]!, count }] : [];
    const more = this.moreRuns.get(i);
    if (more) runs.push(...more);
    return { runs, clusters: this.chainClusters[i]!, end };
  }

  /** Cluster number `k` (0-based) of the chain of entry `i`, or -1 past its end. */
  chainCluster(i: number, k: number): number {
    const count = this.chainCount[i]!;
    if (k < count) return this.chainFirst[i]! + k;
    k -= count;
    for (const r of this.moreRuns.get(i) ?? []) {
      if (k < r.count) return r.first + k;
      k -= r.count;
    }
    return -1;
  }

  /** The path of the folder holding entry `i` (`` in the root). */
  dirPath(i: number): string {
    const p = this.parent[i]!;
    if (p < 0 || p >= i) return '';
    let s = this.dirPaths.get(p);
    if (s === undefined) {
      s = `${this.dirPath(p)}/${this.name(p)}`;
      this.dirPaths.set(p, s);
    }
    return s;
  }

  path(i: number): string {
    return `${this.dirPath(i)}/${this.name(i)}`;
  }

  view(i: number): EntryView {
    return new EntryView(this, i);
  }
}

/** One row of an EntryTable as a VolumeEntry. Cheap to make; moved along a table as a cursor in hot loops. */
export class EntryView implements VolumeEntry {
  constructor(
    readonly table: EntryTable,
    public i: number,
  ) {}
  get id(): number {
    return this.i;
  }
  get parent(): number {
    return this.table.parent[this.i]!;
  }
  get dirPath(): string {
    return this.table.dirPath(this.i);
  }
  get path(): string {
    return this.table.path(this.i);
  }
  get name(): string {
    return this.table.name(this.i);
  }
  get shortName(): string {
    return this.table.shortName(this.i);
  }
  get longName(): string | undefined {
    return this.table.has(this.i, F_LONG) ? this.table.name(this.i) : undefined;
  }
  get isDir(): boolean {
    return this.table.has(this.i, F_DIR);
  }
  get deleted(): boolean {
    return this.table.has(this.i, F_DELETED);
  }
  get attributes(): number {
    return this.table.attributes[this.i]!;
  }
  get size(): number {
    return this.table.size[this.i]!;
  }
  get firstCluster(): number {
    return this.table.firstCluster[this.i]!;
  }
  get entryOffset(): number {
    return this.table.entryOffset[this.i]!;
  }
  get lfnOffset(): number | undefined {
    const v = this.table.lfnOffset[this.i]!;
    return v < 0 ? undefined : v;
  }
  get slot(): number {
    return this.table.slot[this.i]!;
  }
  get depth(): number {
    return this.table.depth[this.i]!;
  }
  get dot(): boolean {
    return this.table.has(this.i, F_DOT);
  }
  get noFatChain(): boolean {
    return this.table.has(this.i, F_NO_FAT_CHAIN);
  }
  get nameFits(): boolean | undefined {
    return this.table.has(this.i, F_FIT_CHECKED) ? !this.table.has(this.i, F_NAME_MISMATCH) : undefined;
  }
  get afterEnd(): boolean {
    return this.table.has(this.i, F_AFTER_END);
  }
  get mtime(): number {
    return this.table.mtime[this.i]!;
  }
  get modified(): string | undefined {
    return formatDosTime(this.table.mtime[this.i]!);
  }
  get chain(): Chain {
    return this.table.chain(this.i);
  }
  get recovery(): Recovery | undefined {
    return this.table.recovery(this.i);
  }
  get childStart(): number {
    return this.table.childStart[this.i]!;
  }
  get childEnd(): number {
    return this.table.childEnd[this.i]!;
  }
}
