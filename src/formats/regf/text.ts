// Name and string decoding for regf (Latin-1 "compressed" names, UTF-16LE), Windows-style upcasing, FILETIME.

/** Code units joined per String.fromCharCode call, well below engines' argument limits. */
const CHUNK = 8192;

/** Latin-1: the low byte of each UTF-16 character, which is what a "compressed" name stores. */
export function decodeLatin1(bytes: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += CHUNK) {
    const end = Math.min(length, i + CHUNK);
    out += String.fromCharCode.apply(null, Array.from(bytes.subarray(start + i, start + end)));
  }
  return out;
}

/**
 * UTF-16LE code units as they are, lone surrogates included (TextDecoder would replace them, and a name that
 * differs only there must still print differently). An odd trailing byte is dropped.
 */
export function decodeUtf16le(bytes: Uint8Array, start: number, byteLength: number): string {
  const units = byteLength >>> 1;
  let out = '';
  const buf: number[] = [];
  for (let i = 0; i < units; i++) {
    buf.push(bytes[start + 2 * i]! | (bytes[start + 2 * i + 1]! << 8));
    if (buf.length === CHUNK) {
      out += String.fromCharCode.apply(null, buf);
      buf.length = 0;
    }
  }
  if (buf.length > 0) out += String.fromCharCode.apply(null, buf);
  return out;
}

/** Like decodeUtf16le, stopping at the first NUL character. */
export function decodeUtf16leZ(bytes: Uint8Array, start: number, byteLength: number): string {
  const units = byteLength >>> 1;
  let n = 0;
  while (n < units && (bytes[start + 2 * n]! | bytes[start + 2 * n + 1]!) !== 0) n++;
  return decodeUtf16le(bytes, start, 2 * n);
}

const upcaseTable = new Uint16Array(0x10000);
/** Which 256-character pages of upcaseTable are filled: built on first use, so one odd name costs one page. */
const upcasePages = new Uint8Array(0x100);

/**
 * One UTF-16 code unit upper-cased the way the registry compares names: character by character, never changing
 * the length (so 'ß' stays 'ß', where String#toUpperCase would give 'SS').
 */
export function upcaseUnit(c: number): number {
  if (c < 0x80) return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
  const page = c >>> 8;
  if (upcasePages[page] === 0) {
    for (let i = page << 8; i < (page + 1) << 8; i++) {
      const u = String.fromCharCode(i).toUpperCase();
      upcaseTable[i] = u.length === 1 ? u.charCodeAt(0) : i;
    }
    upcasePages[page] = 1;
  }
  return upcaseTable[c]!;
}

/** The name upper-cased unit by unit (see upcaseUnit). */
export function upcaseName(name: string): string {
  let ascii = true;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) return name.toUpperCase();
  let out = '';
  for (let i = 0; i < name.length; i++) out += String.fromCharCode(upcaseUnit(name.charCodeAt(i)));
  return out;
}

/** Orders names as Windows sorts subkey lists: by upper-cased code units. */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = upcaseUnit(a.charCodeAt(i)) - upcaseUnit(b.charCodeAt(i));
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The hash an lh list stores for a name: H = 37*H + upcase(c) over UTF-16 units, modulo 2^32. */
export function lhHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 37) + upcaseUnit(name.charCodeAt(i))) >>> 0;
  return h;
}

/** The 4-byte hint an lf list stores: the first 4 characters as Latin-1, or a NUL first byte when one is wider. */
export function lfHint(name: string): Uint8Array {
  const hint = new Uint8Array(4);
  for (let i = 0; i < Math.min(4, name.length); i++) {
    const c = name.charCodeAt(i);
    if (c > 0xff) {
      hint[0] = 0;
      return hint;
    }
    hint[i] = c;
  }
  return hint;
}

const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** A FILETIME (100 ns ticks since 1601) as ISO-8601 UTC, or null for zero. */
export function filetimeToIso(ft: bigint): string | null {
  if (ft === 0n) return null;
  const ms = Number((ft - FILETIME_UNIX_EPOCH) / 10000n);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
