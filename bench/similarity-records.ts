// Shared by the similarity benchmarks: real feature records of the Wine corpus (extracted once, cached) and
// synthetic records made by perturbing them, each labelled with the real record it came from.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CACHE_DIR } from '../test/helpers/paths.js';
import { wineCorpusFiles } from '../test/helpers/corpus.js';
import { extractFeatures, FEATURES_VERSION, type SampleFeatures } from '../src/similarity/features.js';
import { fnv64Hex } from '../src/similarity/hash64.js';

const CACHE_FILE = join(CACHE_DIR, 'similarity', `wine-features-v${FEATURES_VERSION}.json`);

export interface ExtractionFigures {
  files: number;
  bytes: number;
  seconds: number;
}

/** Extracts every corpus file's features (timed), writing the cache. */
export function extractWine(onProgress?: (done: number, total: number) => void): { records: SampleFeatures[]; figures: ExtractionFigures } {
  const files = wineCorpusFiles();
  const records: SampleFeatures[] = [];
  let bytes = 0;
  const t0 = performance.now();
  files.forEach((f, i) => {
    const data = readFileSync(f);
    bytes += data.length;
    records.push(extractFeatures(data, { name: basename(f) }));
    onProgress?.(i + 1, files.length);
  });
  const seconds = (performance.now() - t0) / 1000;
  mkdirSync(join(CACHE_DIR, 'similarity'), { recursive: true });
  writeFileSync(CACHE_FILE, JSON.stringify({ figures: { files: files.length, bytes, seconds }, records }));
  return { records, figures: { files: files.length, bytes, seconds } };
}

/** The cached records (and the extraction figures measured when they were made), extracting them if needed. */
export function wineRecords(): { records: SampleFeatures[]; figures: ExtractionFigures } {
  if (existsSync(CACHE_FILE)) return JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as { records: SampleFeatures[]; figures: ExtractionFigures };
  return extractWine();
}

/** xorshift32: the synthetic records are the same on every run. */
export class Rng {
  private x: number;
  constructor(seed: number) {
    this.x = seed >>> 0 || 1;
  }
  next(): number {
    this.x ^= this.x << 13;
    this.x ^= this.x >>> 17;
    this.x ^= this.x << 5;
    return (this.x >>> 0) / 0x100000000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

const HEX = '0123456789ABCDEF';

function perturbDigest(d: string | null, rng: Rng, changes: number): string | null {
  if (!d) return d;
  const chars = d.split('');
  for (let k = 0; k < changes; k++) {
    const i = 6 + rng.int(chars.length - 6);
    chars[i] = HEX[rng.int(16)]!;
  }
  return chars.join('');
}

/**
 * A variant of `base`: a share `rate` of its functions and strings replaced by new ones (new code, new text), its
 * TLSH body and ssdeep chunks slightly changed, and a new identity.
 */
export function perturb(base: SampleFeatures, rng: Rng, rate: number, tag: string): SampleFeatures {
  const fresh = (kind: string, i: number): string => fnv64Hex(`${tag}:${kind}:${i}`);
  const functions = base.functions.map((f, i) => (rng.next() < rate ? { hash: fresh('f', i), rva: f.rva + 16 * rng.int(64), insns: f.insns } : { ...f, rva: f.rva + 16 * rng.int(4) }));
  const strings = base.strings.map((s, i) => (rng.next() < rate ? `${s.slice(0, 12)} ${fresh('s', i)}` : s));
  const sha = fnv64Hex(`${tag}:sha`);
  let ssdeep = base.ssdeep;
  if (ssdeep) {
    const parts = ssdeep.split(':');
    const mutate = (p: string): string => p.split('').map((c) => (rng.next() < rate / 2 ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[rng.int(52)]! : c)).join('');
    ssdeep = `${parts[0]}:${mutate(parts[1] ?? '')}:${mutate(parts[2] ?? '')}`;
  }
  return {
    ...base,
    name: `${base.name}~${tag}`,
    sha256: sha.repeat(4),
    md5: sha.repeat(2),
    tlsh: perturbDigest(base.tlsh, rng, Math.round(rate * 40)),
    ssdeep,
    functions,
    strings,
  };
}

/** Real records with enough content to be worth perturbing. */
export function usableOrigins(real: SampleFeatures[]): number[] {
  return real.map((r, i) => ({ r, i })).filter((x) => x.r.functions.length + x.r.strings.length >= 20).map((x) => x.i);
}

/**
 * `count` synthetic records, each a perturbation (5-25 % of its content replaced) of a random usable real record,
 * with the index of that record; generated lazily so 100,000 of them need not sit in memory at once.
 */
export function* synthesize(real: SampleFeatures[], count: number, seed: number, rate = 0.15): Generator<{ record: SampleFeatures; origin: number }> {
  const rng = new Rng(seed);
  const usable = usableOrigins(real);
  for (let k = 0; k < count; k++) {
    const i = usable[rng.int(usable.length)]!;
    yield { record: perturb(real[i]!, rng, rate * (0.33 + 1.33 * rng.next()), `${seed}-${k}`), origin: i };
  }
}
