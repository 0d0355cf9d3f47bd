// A collection of features and where each was found: the context every rule is evaluated against (capa's FeatureSet).

import { featureKey, matchKey, type ExtractedFeature } from './feature.js';

/**
 * Where a feature was found: a virtual address in the image (>= 0), or, for what lies outside the image (an overlay),
 * a file offset encoded by fileOffsetAddress (<= -2), as capa's FileOffsetAddress. -1 is kept for the file scope
 * itself (capabilities' FILE_ADDRESS). Features without a place (os, arch, format) have none.
 */
export type Address = number;

const FILE_OFFSET_BIAS = 2;

/** The Address of a file offset: kept apart from virtual addresses by sign, so locations stay plain numbers. */
export function fileOffsetAddress(offset: number): Address {
  return -FILE_OFFSET_BIAS - offset;
}

export function isFileOffset(a: Address): boolean {
  return a <= -FILE_OFFSET_BIAS;
}

/** The file offset a fileOffsetAddress stands for. */
export function fileOffsetOf(a: Address): number {
  return -FILE_OFFSET_BIAS - a;
}

/**
 * One feature and its locations. Locations are a plain array (most features have one) that may hold repeats;
 * `uniqueLocations` gives the distinct ones, which is what counts and evidence use.
 */
export interface FeatureEntry {
  feature: ExtractedFeature;
  locations: Address[];
}

export function uniqueLocations(e: FeatureEntry): Address[] {
  const l = e.locations;
  if (l.length < 2) return l;
  const u = [...new Set(l)];
  if (u.length !== l.length) e.locations = u;
  return e.locations;
}

export class FeatureSet {
  readonly entries = new Map<string, FeatureEntry>();
  /** `string` features (their values and entries), kept apart because substring and regex features scan them. */
  readonly strings: string[] = [];
  readonly stringEntries: FeatureEntry[] = [];
  /** `bytes` features, scanned by prefix. */
  readonly bytesEntries: FeatureEntry[] = [];

  get size(): number {
    return this.entries.size;
  }

  /** Adds a feature at an address (or with no address, for global features). */
  add(feature: ExtractedFeature, address?: Address): void {
    this.addKeyed(featureKey(feature), feature, address);
  }

  addKeyed(key: string, feature: ExtractedFeature, address?: Address): void {
    let e = this.entries.get(key);
    if (!e) {
      e = { feature, locations: [] };
      this.entries.set(key, e);
      if (feature.type === 'string') {
        this.strings.push(feature.value);
        this.stringEntries.push(e);
      } else if (feature.type === 'bytes') this.bytesEntries.push(e);
    }
    if (address !== undefined) {
      const l = e.locations;
      if (l.length === 0 || l[l.length - 1] !== address) l.push(address);
    }
  }

  get(key: string): FeatureEntry | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Records that a rule matched at `locations`, under its name and under every prefix of its namespace. */
  addMatch(name: string, namespace: string | undefined, locations: Iterable<Address>): void {
    const locs = [...locations];
    for (const value of [name, ...namespacePrefixes(namespace)]) {
      const key = matchKey(value);
      let e = this.entries.get(key);
      if (!e) {
        e = { feature: { type: 'match', value }, locations: [] };
        this.entries.set(key, e);
      }
      for (const a of locs) e.locations.push(a);
    }
  }
}

/** `a/b/c` gives `a/b/c`, `a/b`, `a`: a match on a rule is also a match on each enclosing namespace. */
export function namespacePrefixes(namespace: string | undefined): string[] {
  const out: string[] = [];
  let ns = namespace ?? '';
  for (let i = 0; i < 64 && ns; i++) {
    out.push(ns);
    const cut = ns.lastIndexOf('/');
    ns = cut < 0 ? '' : ns.slice(0, cut);
  }
  return out;
}

/**
 * A function's features in flat arrays, in extraction order, so that an instruction's or a block's features are a
 * suffix range `[from, length)`. A FeatureSet is built only for ranges the matcher might match: most instructions
 * and blocks match no rule of their scope, and a map per instruction was the main cost of matching.
 */
export class PendingFeatures {
  keys: string[] = [];
  feats: ExtractedFeature[] = [];
  addrs: (Address | undefined)[] = [];
  /** Positions of `string` and `bytes` features. */
  stringPos: number[] = [];
  bytesPos: number[] = [];

  get length(): number {
    return this.keys.length;
  }

  push(feature: ExtractedFeature, address?: Address, key?: string): void {
    const pos = this.keys.length;
    this.keys.push(key ?? featureKey(feature));
    this.feats.push(feature);
    this.addrs.push(address);
    if (feature.type === 'string') this.stringPos.push(pos);
    else if (feature.type === 'bytes') this.bytesPos.push(pos);
  }

  clear(): void {
    this.keys.length = 0;
    this.feats.length = 0;
    this.addrs.length = 0;
    this.stringPos.length = 0;
    this.bytesPos.length = 0;
  }

  /** Values of the `string` features at positions >= from. */
  *stringsFrom(from: number): Generator<string> {
    const p = this.stringPos;
    let k = p.length - 1;
    while (k >= 0 && p[k]! >= from) k--;
    for (k++; k < p.length; k++) yield (this.feats[p[k]!] as { value: string }).value;
  }

  *bytesFrom(from: number): Generator<Uint8Array> {
    const p = this.bytesPos;
    let k = p.length - 1;
    while (k >= 0 && p[k]! >= from) k--;
    for (k++; k < p.length; k++) yield (this.feats[p[k]!] as { value: Uint8Array }).value;
  }

  hasStringsFrom(from: number): boolean {
    const p = this.stringPos;
    return p.length > 0 && p[p.length - 1]! >= from;
  }

  hasBytesFrom(from: number): boolean {
    const p = this.bytesPos;
    return p.length > 0 && p[p.length - 1]! >= from;
  }

  /** A FeatureSet of the features at positions >= from. */
  toFeatureSet(from = 0): FeatureSet {
    const fs = new FeatureSet();
    for (let i = from; i < this.keys.length; i++) fs.addKeyed(this.keys[i]!, this.feats[i]!, this.addrs[i]);
    return fs;
  }
}
