// Judges names: reserved device names, names Windows cannot open, and 8.3 names that do not derive from their long name.

/** Win32 device names (also with any extension): opening `CON.txt` opens the console. */
const DEVICE_NAME = /^(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

/** First letters of the device names (C, P, A, N, L, either case): any other name is passed over at once. */
const DEVICE_FIRST = new Uint8Array(128);
for (const ch of 'CPANLcpanl') DEVICE_FIRST[ch.charCodeAt(0)] = 1;

/** False when a name starting with this unit cannot be a device name: most names are passed over here. */
export function mayBeDeviceName(first: number): boolean {
  return first < 0x80 && DEVICE_FIRST[first] === 1;
}

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

/** True when the name in units `u[from, from + n)` may be one Windows cannot open (unopenableReason says why). */
export function mayBeUnopenable(u: ArrayLike<number>, from: number, n: number): boolean {
  if (n === 0) return true;
  for (let i = from; i < from + n; i++) {
    const c = u[i]!;
    if (c < 0x80 && FORBIDDEN[c]) return true;
  }
  const last = u[from + n - 1];
  return last === 0x2e || last === 0x20;
}

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

/** The basis as codes, filled by basisOf(): base, and extension (at most 3). Long names are at most 403 units. */
const MAX_BASIS = 1024;
const basisBase = new Uint16Array(MAX_BASIS);
const basisExt = new Uint16Array(3);
let baseLength = 0;
let extLength = 0;

/** A character of the basis: kept when valid in 8.3 names, `_` otherwise (non-ASCII included). */
const basisChar = (c: number): number => (c < 0x80 && SHORT_VALID[c] ? c : 0x5f);

/** The code of `c` upper-cased, for ASCII. */
const upperAscii = (c: number): number => (c >= 0x61 && c <= 0x7a ? c - 32 : c);

/**
 * Fills basisBase/basisExt from the long name's units `u[from, from + n)`: spaces and leading dots dropped, split at
 * the last dot, ASCII upper-cased; at most `maxBase` base characters kept. The units must be ASCII or already
 * upper-cased (upper-casing other characters can change the length, so it is done on the string first).
 */
function basisOf(u: ArrayLike<number>, from: number, n: number, maxBase: number): void {
  baseLength = 0;
  extLength = 0;
  const end = from + n;
  let start = from;
  while (start < end && (u[start] === 0x2e || u[start] === 0x20)) start++;
  let lastDot = end - 1;
  while (lastDot >= start && u[lastDot] !== 0x2e) lastDot--;
  const baseEnd = lastDot >= start ? lastDot : end;
  const limit = Math.min(maxBase, MAX_BASIS);
  for (let i = start; i < baseEnd && baseLength < limit; i++) {
    const c = u[i]!;
    if (c !== 0x20 && c !== 0x2e) basisBase[baseLength++] = basisChar(upperAscii(c));
  }
  for (let i = baseEnd + 1; i < end && extLength < 3; i++) {
    const c = u[i]!;
    if (c !== 0x20) basisExt[extLength++] = basisChar(upperAscii(c));
  }
}

/** Units of strings given to the string forms below. */
const longScratch = new Uint16Array(MAX_BASIS);
const shortScratch = new Uint16Array(MAX_BASIS);

/** The string's units (upper-cased first when it has non-ASCII characters) in `into`; returns how many. */
function unitsOf(s: string, into: Uint16Array): number {
  let t = s;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      t = s.toUpperCase();
      break;
    }
  }
  const n = Math.min(t.length, into.length);
  for (let i = 0; i < n; i++) into[i] = t.charCodeAt(i);
  return n;
}

/** The 8.3 basis Windows derives from a long name (FAT spec §7.1 / "basis-name generation"): base and extension. */
export function shortBasis(longName: string): { base: string; ext: string } {
  basisOf(longScratch, 0, unitsOf(longName, longScratch), MAX_BASIS);
  return { base: String.fromCharCode(...basisBase.subarray(0, baseLength)), ext: String.fromCharCode(...basisExt.subarray(0, extLength)) };
}

/** `s[from, to)`, upper-cased, against the basis codes from their start; `_` stands for a character the OEM code page could not hold. */
function prefixMatches(s: ArrayLike<number>, from: number, to: number, basis: Uint16Array, length: number): boolean {
  if (to - from > length) return false;
  for (let i = from; i < to; i++) {
    const c = upperAscii(s[i]!);
    if (c !== 0x5f && c !== basis[i - from]) return false;
  }
  return true;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHexUpper = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46);

/**
 * shortNameFits over code units: the long name `long[from, from + n)` and the displayed 8.3 name `short[0, sn)`.
 * Returns undefined when the long name holds non-ASCII units (those need upper-casing as a string first).
 */
export function shortNameFitsUnits(long: ArrayLike<number>, from: number, n: number, short: ArrayLike<number>, sn: number): boolean | undefined {
  for (let i = from; i < from + n; i++) if (long[i]! >= 0x80) return undefined;
  return fits(long, from, n, short, sn);
}

function fits(long: ArrayLike<number>, from: number, n: number, s: ArrayLike<number>, sn: number): boolean {
  let dot = 0;
  while (dot < sn && s[dot] !== 0x2e) dot++;
  const baseEnd = dot;
  const extStart = dot < sn ? dot + 1 : sn;
  // One base character past the short name's is enough to compare prefixes and tell "8 or more" from fewer.
  basisOf(long, from, n, Math.max(9, baseEnd + 1));
  if (sn - extStart !== extLength || !prefixMatches(s, extStart, sn, basisExt, extLength)) return false;
  let tilde = baseEnd - 1;
  while (tilde >= 0 && s[tilde] !== 0x7e) tilde--;
  if (tilde < 0) return baseEnd === Math.min(8, baseLength) && prefixMatches(s, 0, baseEnd, basisBase, baseLength);
  if (tilde + 1 >= baseEnd) return false;
  for (let i = tilde + 1; i < baseEnd; i++) if (!isDigit(s[i]!)) return false;
  if (prefixMatches(s, 0, tilde, basisBase, baseLength)) return true;
  // Windows NT's hashed short names keep the first two characters and append four hex digits.
  if (tilde !== 6 || !prefixMatches(s, 0, 2, basisBase, baseLength)) return false;
  for (let i = 2; i < 6; i++) if (!isHexUpper(upperAscii(s[i]!))) return false;
  return true;
}

/**
 * Whether an 8.3 name could have been generated from this long name by Windows, Linux or mtools. Numeric tails
 * (`~1`) and Windows' hashed form (two letters, four hex digits, `~N`) are accepted.
 */
export function shortNameFits(longName: string, shortName: string): boolean {
  const n = unitsOf(longName, longScratch);
  const sn = Math.min(shortName.length, shortScratch.length);
  for (let i = 0; i < sn; i++) shortScratch[i] = shortName.charCodeAt(i);
  return fits(longScratch, 0, n, shortScratch, sn);
}
