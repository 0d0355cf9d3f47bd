// Whole-file scans for file-scope features: printable strings (ASCII and UTF-16LE) and embedded, maybe XOR-ed, PE files.

/** capa's minimum file-string length. */
export const MIN_FILE_STRING = 4;
/** Strings kept per file: a hostile file full of text cannot make the feature set unbounded. */
export const MAX_FILE_STRINGS = 500_000;
/** Characters kept of one file string. */
export const MAX_FILE_STRING_CHARS = 4096;
/** Embedded PE files reported per file. */
export const MAX_EMBEDDED_PE = 64;

export interface FileString {
  value: string;
  offset: number;
}

/** ASCII and UTF-16LE runs of at least four string bytes, as capa's extract_ascii_strings/extract_unicode_strings. */
export function fileStrings(buf: Uint8Array, limit = MAX_FILE_STRINGS): FileString[] {
  const out: FileString[] = [];
  if (buf.length === 0) return out;
  // One byte per char, so regex indexes are file offsets; native regex scanning is far faster than a JS byte loop.
  const text = latin1(buf);
  const ascii = /[\x20-\x7e\t]{4,}/g;
  for (let m = ascii.exec(text); m !== null && out.length < limit; m = ascii.exec(text)) {
    out.push({ value: m[0].length > MAX_FILE_STRING_CHARS ? m[0].slice(0, MAX_FILE_STRING_CHARS) : m[0], offset: m.index });
  }
  const wide = /(?:[\x20-\x7e\t]\x00){4,}/g;
  for (let m = wide.exec(text); m !== null && out.length < limit; m = wide.exec(text)) {
    let v = '';
    const n = Math.min(m[0].length, MAX_FILE_STRING_CHARS * 2);
    for (let k = 0; k < n; k += 2) v += m[0][k];
    out.push({ value: v, offset: m.index });
  }
  return out;
}

/**
 * The bytes as a string of one char per byte. Node's Buffer does this ten times faster than TextDecoder; elsewhere
 * TextDecoder's windows-1252 is used, which also maps every byte to one char and agrees below 0x7f, the only bytes
 * strings are made of.
 */
function latin1(buf: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: ArrayBuffer, o: number, l: number): { toString(e: string): string } } }).Buffer;
  if (B) return B.from(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength).toString('latin1');
  return new TextDecoder('latin1').decode(buf);
}

/**
 * File offsets of embedded PE files, plain or XOR-ed with a one-byte key (capa's carve_pe): an `MZ` under some key
 * at offset >= 1 whose e_lfanew, under the same key, points at `PE`. One pass over the file, all 256 keys at once.
 */
export function carveEmbeddedPe(buf: Uint8Array, limit = MAX_EMBEDDED_PE): number[] {
  const out: number[] = [];
  const n = buf.length;
  for (let off = 1; off + 1 < n && out.length < limit; off++) {
    const key = buf[off]! ^ 0x4d;
    if ((buf[off + 1]! ^ key) !== 0x5a) continue;
    const e = off + 0x3c;
    if (e + 4 > n) continue;
    const lfanew = ((buf[e]! ^ key) | ((buf[e + 1]! ^ key) << 8) | ((buf[e + 2]! ^ key) << 16) | ((buf[e + 3]! ^ key) << 24)) >>> 0;
    const pe = off + lfanew;
    if (pe + 2 > n) continue;
    if ((buf[pe]! ^ key) === 0x50 && (buf[pe + 1]! ^ key) === 0x45) out.push(off);
  }
  return out;
}
