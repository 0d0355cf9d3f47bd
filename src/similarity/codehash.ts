// Per-function code hashes: instructions with addresses and image pointers normalised away, so they survive relinking.

import type { PeFile } from '../formats/pe/index.js';

export interface FunctionFeature {
  /** 16 hex digits: FNV-1a 64 of the function's normalised instructions. */
  hash: string;
  /** Relative virtual address of the function's entry. */
  rva: number;
  /** Instructions hashed. */
  insns: number;
}

/** Function hashes of a PE file; empty until code recovery (src/code) is available. */
export function functionHashes(_pe: PeFile): FunctionFeature[] {
  return [];
}
