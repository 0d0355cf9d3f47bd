// The PE image checksum (CheckSumMappedFile): 16-bit one's-complement-style sum of the file, skipping the field itself.

/**
 * `checksumOffset` is the file offset of OptionalHeader.CheckSum; the sum is taken as if that field were zero.
 * Words are summed with end-around carry; the carries are folded once at the end, which gives the same result as
 * folding after every add (the sum is taken modulo 0xFFFF either way, and both keep a non-zero total non-zero).
 * A float accumulator holds 2^53 exactly, far above 2^16 times the 2^32 words of the largest possible array.
 */
export function peChecksum(data: Uint8Array, checksumOffset: number): number {
  const n = data.length;
  let sum = 0;
  const evenEnd = n - (n % 2);
  // Sum 16-bit words in blocks; a block's partial sum stays a small integer, which keeps the loop on fast paths.
  let i = 0;
  while (i < evenEnd) {
    const blockEnd = Math.min(evenEnd, i + 0x100000);
    let part = 0;
    for (; i + 8 <= blockEnd; i += 8) {
      part += (data[i]! | (data[i + 1]! << 8)) + (data[i + 2]! | (data[i + 3]! << 8)) + (data[i + 4]! | (data[i + 5]! << 8)) + (data[i + 6]! | (data[i + 7]! << 8));
    }
    for (; i < blockEnd; i += 2) part += data[i]! | (data[i + 1]! << 8);
    sum += part;
  }
  if (n % 2 === 1) sum += data[n - 1]!;
  // Take the CheckSum field's bytes back out, as if it were zero (each byte weighs 1 or 256 by its parity).
  for (let k = 0; k < 4; k++) {
    const o = checksumOffset + k;
    if (o >= 0 && o < n) sum -= data[o]! * ((o & 1) === 0 ? 1 : 256);
  }
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return (sum + n) >>> 0;
}
