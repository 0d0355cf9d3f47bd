// The Rich header: the masked list of Microsoft tool versions a linker leaves between the DOS stub and the PE header.
// Layout and checksum as documented by Pistelli ("Microsoft's Rich Signature") and bytepointer.com.

import { u32 } from './bytes.js';
import { md5Hex } from './md5.js';
import type { RichEntry, RichHeader } from './types.js';

const DANS = 0x536e6144;
const RICH = 0x68636952;
/** The stub begins after the 64-byte DOS header; the Rich header cannot start before it. */
const MIN_START = 0x40;
const E_LFANEW_OFFSET = 0x3c;

const rol32 = (v: number, n: number): number => {
  const s = n % 32;
  return s === 0 ? v >>> 0 : ((v << s) | (v >>> (32 - s))) >>> 0;
};

/** The checksum the linker writes as the key: over the DOS header and stub (e_lfanew left out) and each entry. */
export function richChecksum(d: Uint8Array, start: number, entries: readonly RichEntry[]): number {
  let sum = start >>> 0;
  for (let i = 0; i < start; i++) {
    if (i >= E_LFANEW_OFFSET && i < E_LFANEW_OFFSET + 4) continue;
    sum = (sum + rol32(d[i]!, i)) >>> 0;
  }
  for (const e of entries) sum = (sum + rol32(((e.productId << 16) | e.build) >>> 0, e.count)) >>> 0;
  return sum;
}

/** Finds and decodes the Rich header before `limit` (the PE header offset), or null. */
export function parseRich(d: Uint8Array, limit: number): RichHeader | null {
  const end = Math.min(limit, d.length) - 8;
  let rich = -1;
  for (let p = 0x80; p <= end; p += 4) {
    if (u32(d, p) === RICH) {
      rich = p;
      break;
    }
  }
  if (rich < 0) return null;
  const key = u32(d, rich + 4);
  let start = -1;
  for (let p = rich - 16; p >= MIN_START; p -= 4) {
    if ((u32(d, p) ^ key) >>> 0 === DANS) {
      start = p;
      break;
    }
  }
  if (start < 0) return null;
  // DanS is followed by three zero dwords (masked: equal to the key).
  if (u32(d, start + 4) !== key || u32(d, start + 8) !== key || u32(d, start + 12) !== key) return null;
  const entries: RichEntry[] = [];
  for (let p = start + 16; p + 8 <= rich; p += 8) {
    const compId = (u32(d, p) ^ key) >>> 0;
    entries.push({ productId: compId >>> 16, build: compId & 0xffff, count: (u32(d, p + 4) ^ key) >>> 0 });
  }
  const clear = new Uint8Array(rich - start);
  for (let i = 0; i < clear.length; i++) clear[i] = d[start + i]! ^ ((key >>> (8 * (i % 4))) & 0xff);
  const computed = richChecksum(d, start, entries);
  return { offset: start, end: rich + 8, key, computedChecksum: computed, checksumValid: computed === key, entries, hash: md5Hex(clear) };
}
