// Value data rendered as text: the one rendering that `firebreak hive` shows and IOC data-regexes match against.

import {
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_QWORD,
  REG_SZ,
} from './constants.js';
import { decodeUtf16le, decodeUtf16leZ } from './text.js';

export interface ValueText {
  text: string;
  /** False when the size does not suit the type (then `text` is hex). */
  fits: boolean;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex, no separators. */
export function toHex(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]!]!;
  return parts.join('');
}

/** REG_MULTI_SZ strings: split at NUL characters, ending at the empty string that terminates the list. */
export function multiSzStrings(bytes: Uint8Array): string[] {
  const all = decodeUtf16le(bytes, 0, bytes.length).split('\0');
  const end = all.indexOf('');
  return end === -1 ? all : all.slice(0, end);
}

/**
 * Strings up to their first NUL; REG_MULTI_SZ one string per line; REG_DWORD, REG_DWORD_BIG_ENDIAN and REG_QWORD
 * in unsigned decimal; everything else (REG_BINARY, REG_NONE, resource lists, unknown types) as lower-case hex.
 */
export function valueText(type: number, bytes: Uint8Array): ValueText {
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_LINK:
      return { text: decodeUtf16leZ(bytes, 0, bytes.length), fits: bytes.length % 2 === 0 };
    case REG_MULTI_SZ:
      return { text: multiSzStrings(bytes).join('\n'), fits: bytes.length % 2 === 0 };
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN: {
      if (bytes.length !== 4) return { text: toHex(bytes), fits: false };
      const dv = new DataView(bytes.buffer, bytes.byteOffset, 4);
      return { text: String(dv.getUint32(0, type === REG_DWORD)), fits: true };
    }
    case REG_QWORD: {
      if (bytes.length !== 8) return { text: toHex(bytes), fits: false };
      const dv = new DataView(bytes.buffer, bytes.byteOffset, 8);
      return { text: dv.getBigUint64(0, true).toString(), fits: true };
    }
    default:
      return { text: toHex(bytes), fits: true };
  }
}
