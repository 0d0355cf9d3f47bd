// A minimal bounded DER reader: enough of X.690 to walk PKCS#7 SignedData and X.509 names, nothing more.
// Hand-written because the npm ASN.1 libraries pull in Node's Buffer or far more than this needs; this one only
// reads definite lengths, counts every element against a budget and never recurses without a depth limit.

export interface Der {
  /** Identifier octet (class, constructed bit and tag number for tags below 31). */
  tag: number;
  /** Offsets of the contents in the underlying bytes. */
  start: number;
  end: number;
  /** One past the element's last byte. */
  next: number;
}

export class DerReader {
  private left: number;
  constructor(
    readonly bytes: Uint8Array,
    budget: number,
  ) {
    this.left = budget;
  }

  /** The element starting at `at`, if it lies within `limit`; null for anything malformed or over budget. */
  read(at: number, limit: number): Der | null {
    const d = this.bytes;
    if (this.left <= 0 || at < 0 || at + 2 > limit || limit > d.length) return null;
    this.left--;
    const tag = d[at]!;
    if ((tag & 0x1f) === 0x1f) return null; // high tag numbers do not occur in these structures
    let p = at + 1;
    let len = d[p++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || p + n > limit) return null; // indefinite length is BER, not DER
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + d[p++]!;
    }
    if (p + len > limit) return null;
    return { tag, start: p, end: p + len, next: p + len };
  }

  /** The children of a constructed element, in order (stops at the first malformed one). */
  children(e: Der, max = 1 << 16): Der[] {
    const out: Der[] = [];
    for (let at = e.start; at < e.end && out.length < max; ) {
      const c = this.read(at, e.end);
      if (c === null) break;
      out.push(c);
      at = c.next;
    }
    return out;
  }

  bytesOf(e: Der): Uint8Array {
    return this.bytes.subarray(e.start, e.end);
  }
}

export const TAG_INTEGER = 0x02;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;
export const TAG_SET = 0x31;
export const TAG_CONTEXT_0 = 0xa0;

export function oidText(b: Uint8Array): string {
  if (b.length === 0) return '';
  const parts: number[] = [];
  const first = b[0]!;
  parts.push(first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80);
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function hexOf(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** The text of a directory string (PrintableString, UTF8String, BMPString...). */
export function stringOf(tag: number, b: Uint8Array): string {
  switch (tag) {
    case 0x0c: // UTF8String
      return new TextDecoder('utf-8').decode(b);
    case 0x1e: {
      // BMPString: UTF-16BE
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    case 0x1c: {
      // UniversalString: UTF-32BE
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4) {
        const cp = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default: {
      // PrintableString, IA5String, T61String, VisibleString, NumericString: one byte per character.
      let s = '';
      for (const x of b) s += String.fromCharCode(x);
      return s;
    }
  }
}
