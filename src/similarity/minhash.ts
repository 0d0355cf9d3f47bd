// MinHash signatures over feature sets and their LSH band keys, so near neighbours are found without all pairs.
// Broder, "On the resemblance and containment of documents" (1997); banding as in Leskovec, Rajaraman and
// Ullman, "Mining of Massive Datasets", ch. 3.4: b bands of r rows find pairs above about (1/b)^(1/r) Jaccard.

import { mix32 } from './hash64.js';

/** Permutations per signature (one signature per feature kind). */
export const MINHASH_SIZE = 63;
/** Rows per LSH band: 21 bands of 3 rows catch Jaccard 0.5 with p = 0.94 and 0.2 with p = 0.16. */
export const LSH_ROWS = 3;
export const LSH_BANDS = MINHASH_SIZE / LSH_ROWS;

/** Fixed seeds: signatures must be identical across runs and machines, as they are stored. */
const SEEDS = Uint32Array.from({ length: MINHASH_SIZE }, (_, i) => mix32(0x9e3779b9 ^ Math.imul(i + 1, 0x7feb352d)));

/** The MinHash signature of a set of 32-bit feature hashes; all 0xffffffff for an empty set. */
export function minhash(values: Iterable<number>): Uint32Array {
  const sig = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const v of values) {
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const h = mix32((v ^ SEEDS[i]!) >>> 0);
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

export function isEmptySignature(sig: Uint32Array): boolean {
  return sig.every((v) => v === 0xffffffff);
}

/** Fraction of equal positions: an unbiased estimate of the Jaccard index of the two sets. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let eq = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) eq++;
  return eq / MINHASH_SIZE;
}

/**
 * One 32-bit key per band (a hash of the band's rows, seeded by the band number); callers store each key with its
 * band number, so only equal rows of the same band meet. Empty signatures have no keys.
 */
export function bandKeys(sig: Uint32Array): number[] {
  if (isEmptySignature(sig)) return [];
  const keys: number[] = [];
  for (let b = 0; b < LSH_BANDS; b++) {
    let h = mix32((0x51ed27 + b) >>> 0);
    for (let r = 0; r < LSH_ROWS; r++) h = mix32((h ^ sig[b * LSH_ROWS + r]!) >>> 0);
    keys.push(h);
  }
  return keys;
}
