// A collection of features and where each was found: the context every rule is evaluated against (capa's FeatureSet).

import { featureKey, matchKey, type ExtractedFeature } from './feature.js';

/** Addresses are virtual addresses in the image; features without one (os, arch, format) have an empty set. */
export type Address = number;

export interface FeatureEntry {
  feature: ExtractedFeature;
  locations: Set<Address>;
}

export class FeatureSet {
  readonly entries = new Map<string, FeatureEntry>();
  /** Keys of `string` features, kept apart because substring and regex features scan them. */
  readonly stringKeys: string[] = [];
  /** Keys of `bytes` features, scanned by prefix. */
  readonly bytesKeys: string[] = [];

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
      e = { feature, locations: new Set() };
      this.entries.set(key, e);
      if (feature.type === 'string') this.stringKeys.push(key);
      else if (feature.type === 'bytes') this.bytesKeys.push(key);
    }
    if (address !== undefined) e.locations.add(address);
  }

  /** Adds every feature of `other` with all its locations. */
  merge(other: FeatureSet): void {
    for (const [key, e] of other.entries) {
      let mine = this.entries.get(key);
      if (!mine) {
        mine = { feature: e.feature, locations: new Set(e.locations) };
        this.entries.set(key, mine);
        if (e.feature.type === 'string') this.stringKeys.push(key);
        else if (e.feature.type === 'bytes') this.bytesKeys.push(key);
        continue;
      }
      for (const a of e.locations) mine.locations.add(a);
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
    this.addMatchName(name, locs);
    for (const ns of namespacePrefixes(namespace)) this.addMatchName(ns, locs);
  }

  private addMatchName(value: string, locs: Address[]): void {
    const key = matchKey(value);
    let e = this.entries.get(key);
    if (!e) {
      e = { feature: { type: 'match', value }, locations: new Set() };
      this.entries.set(key, e);
    }
    for (const a of locs) e.locations.add(a);
  }

  /** A shallow copy: the map and lists are new, the location sets of existing entries are copied too. */
  clone(): FeatureSet {
    const c = new FeatureSet();
    c.merge(this);
    return c;
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
