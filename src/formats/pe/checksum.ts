// The PE image checksum (CheckSumMappedFile): 16-bit one's-complement-style sum of the file, skipping the field itself.

import { checksumFromWordSum, scanFile } from './scan.js';

/**
 * `checksumOffset` is the file offset of OptionalHeader.CheckSum; the sum is taken as if that field were zero.
 * Words are summed with end-around carry; the carries are folded once at the end, which gives the same result as
 * folding after every add (the sum is taken modulo 0xFFFF either way, and both keep a non-zero total non-zero).
 */
export function peChecksum(data: Uint8Array, checksumOffset: number): number {
  return checksumFromWordSum(data, scanFile(data, []).wordSum, checksumOffset);
}
