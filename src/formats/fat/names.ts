// Judges names: reserved device names, names Windows cannot open, and 8.3 names that do not derive from their long name.

/** Win32 device names (also with any extension): opening `CON.txt` opens the console. */
const DEVICE_NAME = /^(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

/** First letters of the device names (C, P, A, N, L, either case): any other name is passed over at once. */
const DEVICE_FIRST = new Uint8Array(128);
for (const ch of 'CPANLcpanl') DEVICE_FIRST[ch.charCodeAt(0)] = 1;

export function isReservedDeviceName(name: string): boolean {
  const first = name.charCodeAt(0);
  if (!(first < 0x80 && DEVICE_FIRST[first])) return false;
  const dot = name.indexOf('.');
  const base = (dot < 0 ? name : name.slice(0, dot)).trimEnd();
  return base.length >= 3 && base.length <= 7 && DEVICE_NAME.test(base);
}

/** Why Windows (Win32 paths) cannot open a file of this name, or null when it can. `.`/`..` are judged elsewhere. */
/** Characters Win32 refuses in a name: control characters and `<>:"/\\|?*`. */
const FORBIDDEN = new Uint8Array(128);
for (let c = 0; c < 0x20; c++) FORBIDDEN[c] = 1;
for (const ch of '<>:"/\\|?*') FORBIDDEN[ch.charCodeAt(0)] = 1;

export function unopenableReason(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80 || !FORBIDDEN[c]) continue;
    if (c < 0x20) return `it contains control character 0x${c.toString(16).padStart(2, '0')}`;
    return `it contains the character '${name[i]}'`;
  }
  const last = name.charCodeAt(name.length - 1);
  if (last === 0x2e || last === 0x20) return 'it ends with a dot or a space, which Win32 strips before opening';
  return null;
}

/** Characters an 8.3 name may hold besides letters and digits (FAT spec §6.1). */
const SHORT_EXTRA = "!#$%&'()@^_`{}~-";
const SHORT_VALID = new Uint8Array(128);
for (let c = 0x41; c <= 0x5a; c++) SHORT_VALID[c] = 1;
for (let c = 0x30; c <= 0x39; c++) SHORT_VALID[c] = 1;
for (const ch of SHORT_EXTRA) SHORT_VALID[ch.charCodeAt(0)] = 1;

/** The basis as codes, filled by basisCodes(): base, and extension (at most 3). Long names are at most 403 units. */
const MAX_BASIS = 1024;
const basisBase = new Uint16Array(MAX_BASIS);
const basisExt = new Uint16Array(3);
let baseLength = 0;
let extLength = 0;

/** A character of the basis: kept when valid in 8.3 names, `_` otherwise (non-ASCII included). */
const basisChar = (c: number): number => (c < 0x80 && SHORT_VALID[c] ? c : 0x5f);

/** The long name upper-cased, without a copy when it is all ASCII (the common case, checked for every entry). */
function upper(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return s.toUpperCase();
  return s;
}

/** The code of `c` upper-cased, for ASCII. */
const upperAscii = (c: number): number => (c >= 0x61 && c <= 0x7a ? c - 32 : c);

/**
 * Fills basisBase/basisExt from the long name (upper-cased by the caller when it holds non-ASCII characters, since
 * upper-casing those can change the length): spaces and leading dots dropped, split at the last dot.
 */
function basisCodes(up: string): void {
  baseLength = 0;
  extLength = 0;
  let start = 0;
  while (start < up.length && (up.charCodeAt(start) === 0x2e || up.charCodeAt(start) === 0x20)) start++;
  const lastDot = up.lastIndexOf('.');
  const baseEnd = lastDot >= start ? lastDot : up.length;
  for (let i = start; i < baseEnd; i++) {
    const c = up.charCodeAt(i);
    if (c !== 0x20 && c !== 0x2e && baseLength < MAX_BASIS) basisBase[baseLength++] = basisChar(upperAscii(c));
  }
  for (let i = baseEnd + 1; i < up.length && extLength < 3; i++) {
    const c = up.charCodeAt(i);
    if (c !== 0x20) basisExt[extLength++] = basisChar(upperAscii(c));
  }
}

/** The 8.3 basis Windows derives from a long name (FAT spec §7.1 / "basis-name generation"): base and extension. */
export function shortBasis(longName: string): { base: string; ext: string } {
  basisCodes(upper(longName));
  return { base: String.fromCharCode(...basisBase.subarray(0, baseLength)), ext: String.fromCharCode(...basisExt.subarray(0, extLength)) };
}

/** `s[from, to)`, upper-cased, against the basis codes from their start; `_` stands for a character the OEM code page could not hold. */
function prefixMatches(s: string, from: number, to: number, basis: Uint16Array, length: number): boolean {
  if (to - from > length) return false;
  for (let i = from; i < to; i++) {
    const c = upperAscii(s.charCodeAt(i));
    if (c !== 0x5f && c !== basis[i - from]) return false;
  }
  return true;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHexUpper = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46);

/**
 * Whether an 8.3 name could have been generated from this long name by Windows, Linux or mtools. Numeric tails
 * (`~1`) and Windows' hashed form (two letters, four hex digits, `~N`) are accepted.
 */
export function shortNameFits(longName: string, shortName: string): boolean {
  const s = shortName;
  basisCodes(upper(longName));
  const dot = s.indexOf('.');
  const baseEnd = dot >= 0 ? dot : s.length;
  const extStart = dot >= 0 ? dot + 1 : s.length;
  if (s.length - extStart !== extLength || !prefixMatches(s, extStart, s.length, basisExt, extLength)) return false;
  const tilde = baseEnd > 0 ? s.lastIndexOf('~', baseEnd - 1) : -1;
  if (tilde < 0) return baseEnd === Math.min(8, baseLength) && prefixMatches(s, 0, baseEnd, basisBase, baseLength);
  if (tilde + 1 >= baseEnd) return false;
  for (let i = tilde + 1; i < baseEnd; i++) if (!isDigit(s.charCodeAt(i))) return false;
  if (prefixMatches(s, 0, tilde, basisBase, baseLength)) return true;
  // Windows NT's hashed short names keep the first two characters and append four hex digits.
  if (tilde !== 6 || !prefixMatches(s, 0, 2, basisBase, baseLength)) return false;
  for (let i = 2; i < 6; i++) if (!isHexUpper(upperAscii(s.charCodeAt(i)))) return false;
  return true;
}
