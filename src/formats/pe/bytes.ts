// Little-endian reads over a Uint8Array that never throw: a read past the end yields zeros, as unmapped memory would.

export function u8(d: Uint8Array, o: number): number {
  return o >= 0 && o < d.length ? d[o]! : 0;
}

export function u16(d: Uint8Array, o: number): number {
  if (o >= 0 && o + 2 <= d.length) return d[o]! | (d[o + 1]! << 8);
  return u8(d, o) | (u8(d, o + 1) << 8);
}

export function u32(d: Uint8Array, o: number): number {
  if (o >= 0 && o + 4 <= d.length) return (d[o]! | (d[o + 1]! << 8) | (d[o + 2]! << 16) | (d[o + 3]! << 24)) >>> 0;
  return (u8(d, o) | (u8(d, o + 1) << 8) | (u8(d, o + 2) << 16) | (u8(d, o + 3) << 24)) >>> 0;
}

export function u64(d: Uint8Array, o: number): bigint {
  return (BigInt(u32(d, o + 4)) << 32n) | BigInt(u32(d, o));
}

/** True when [o, o+len) lies inside d. */
export function has(d: Uint8Array, o: number, len: number): boolean {
  return o >= 0 && len >= 0 && o + len <= d.length;
}

const asciiDecoder = new TextDecoder('utf-8');
/** Short strings are cheapest through fromCharCode on a plain array; longer ASCII ones through the native decoder. */
const SHORT_STRING = 16;

/** Bytes [start, end) as one code point per byte. */
export function latin1(d: Uint8Array, start: number, end: number): string {
  const s = Math.max(0, start);
  const e = Math.min(d.length, end);
  const n = e - s;
  if (n <= 0) return '';
  if (n <= SHORT_STRING) {
    const codes: number[] = new Array(n);
    for (let i = 0; i < n; i++) codes[i] = d[s + i]!;
    return String.fromCharCode.apply(null, codes);
  }
  let high = 0;
  for (let i = s; i < e; i++) high |= d[i]!;
  // For bytes below 0x80, UTF-8 and Latin-1 agree, and the native decoder is much faster than fromCharCode.
  if (high < 0x80) return asciiDecoder.decode(d.subarray(s, e));
  // Chunked so a long string does not overflow the argument list of fromCharCode.
  let out = '';
  for (let i = s; i < e; i += 0x2000) {
    out += String.fromCharCode.apply(null, d.subarray(i, Math.min(e, i + 0x2000)) as unknown as number[]);
  }
  return out;
}

/** UTF-16LE code units from `o` until a NUL unit, `maxUnits` units or the end of `d`. */
export function utf16z(d: Uint8Array, o: number, maxUnits: number): { text: string; units: number; terminated: boolean } {
  let units = 0;
  let out = '';
  let chunk: number[] = [];
  let p = o;
  while (units < maxUnits && p >= 0 && p + 2 <= d.length) {
    const c = d[p]! | (d[p + 1]! << 8);
    if (c === 0) return { text: out + String.fromCharCode.apply(null, chunk), units, terminated: true };
    chunk.push(c);
    if (chunk.length === 0x2000) {
      out += String.fromCharCode.apply(null, chunk);
      chunk = [];
    }
    units++;
    p += 2;
  }
  return { text: out + String.fromCharCode.apply(null, chunk), units, terminated: false };
}

/** Exactly `units` UTF-16LE code units (fewer if the data ends). */
export function utf16n(d: Uint8Array, o: number, units: number): string {
  const n = Math.max(0, Math.min(units, Math.floor((d.length - o) / 2)));
  if (o < 0 || n <= 0) return '';
  const codes: number[] = new Array(n);
  for (let i = 0; i < n; i++) codes[i] = d[o + 2 * i]! | (d[o + 2 * i + 1]! << 8);
  let out = '';
  for (let i = 0; i < n; i += 0x2000) out += String.fromCharCode.apply(null, codes.slice(i, i + 0x2000));
  return out;
}

/** Decodes UTF-8, replacing malformed sequences (no Node APIs: TextDecoder is a web standard). */
const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
export function utf8(d: Uint8Array): string {
  return utf8Decoder.decode(d);
}

export function alignUp(v: number, a: number): number {
  if (a <= 1) return v;
  return Math.ceil(v / a) * a;
}

export function alignDown(v: number, a: number): number {
  if (a <= 1) return v;
  return Math.floor(v / a) * a;
}

export function isPowerOfTwo(v: number): boolean {
  return v > 0 && v <= 0x80000000 && (v & (v - 1)) === 0;
}
