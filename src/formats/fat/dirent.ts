// Parses FAT12/16/32 directory slots: 8.3 entries, long-name sets (checksums, order) and deleted entries.

import { u16 } from '../partition/byte-source.js';
import { type EntryTable, F_AFTER_END, F_DELETED, F_DIR, F_DOT, F_FIT_CHECKED, F_LONG, F_NAME_MISMATCH } from './entry.js';
import { shortNameFitsUnits } from './names.js';

export const ATTR_READ_ONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
export const ATTR_LONG_NAME = 0x0f;

/** Problems found while pairing slots, for the walker to turn into anomalies with paths. */
export interface DirentProblem {
  kind: 'lfn-orphan' | 'lfn-checksum' | 'entries-after-end';
  offset: number;
  detail: string;
}

/** Microsoft FAT spec §7.2: the checksum a long-name entry carries of its 8.3 name. */
export function shortNameChecksum(name: Uint8Array | number[]): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = ((((sum & 1) << 7) | (sum >>> 1)) + name[i]!) & 0xff;
  return sum;
}

/** The same over the 11 name bytes at `b[o]`, with the first byte replaced by `first`. */
function checksumAt(b: Uint8Array, o: number, first: number): number {
  let sum = first;
  for (let i = 1; i < 11; i++) sum = ((((sum & 1) << 7) | (sum >>> 1)) + b[o + i]!) & 0xff;
  return sum;
}

const BAD_SHORT_CHARS = new Set([0x22, 0x2a, 0x2b, 0x2c, 0x2f, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x5b, 0x5c, 0x5d, 0x7c]);

/** Whether a slot could be a real 8.3 entry; used for slots where garbage is likely (after the end marker, deleted directories). */
export function plausibleShortEntry(b: Uint8Array, o: number): boolean {
  const attr = b[o + 11]!;
  if (attr & 0xc0) return false;
  const first = b[o]!;
  if (first === 0x20 || first === 0x00) return false;
  for (let i = 0; i < 11; i++) {
    const c = b[o + i]!;
    if (i === 0 && (c === 0xe5 || c === 0x05)) continue;
    if (c < 0x20 || BAD_SHORT_CHARS.has(c)) return false;
  }
  return true;
}

/** Long-name parts of the sequence being collected: 13 UTF-16 units each, in the order met (the name's end first). */
const MAX_LFN_PARTS = 32;
const LFN_UNIT_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
const lfnUnits = new Uint16Array(MAX_LFN_PARTS * 13);
const lfnLengths = new Uint8Array(MAX_LFN_PARTS);
const nameUnits: number[] = [];

/**
 * Stores the characters of the long-name slot at `o` as part `k`, up to a 0x0000 or 0xFFFF unit. Part k goes to
 * block MAX_LFN_PARTS - 1 - k, so a well-formed name (every part but the last full) lies in name order already.
 */
function storeLfnPart(b: Uint8Array, o: number, k: number): void {
  const at = (MAX_LFN_PARTS - 1 - k) * 13;
  let n = 0;
  for (; n < 13; n++) {
    const p = o + LFN_UNIT_OFFSETS[n]!;
    const c = b[p]! | (b[p + 1]! << 8);
    if (c === 0 || c === 0xffff) break;
    lfnUnits[at + n] = c;
  }
  lfnLengths[k] = n;
}

/** Where lfnAssemble left the name's units: `nameArray[nameFrom, nameFrom + nameLength)`. */
let nameArray: ArrayLike<number> = lfnUnits;
let nameFrom = 0;
let nameLength = 0;

/** Puts the long name from parts 0..count-1 (met from the end of the name) in name order, in place when it can. */
function lfnAssemble(count: number): void {
  let contiguous = true;
  for (let k = 1; k < count; k++) if (lfnLengths[k] !== 13) contiguous = false;
  if (contiguous) {
    nameArray = lfnUnits;
    nameFrom = (MAX_LFN_PARTS - count) * 13;
    nameLength = (count - 1) * 13 + lfnLengths[0]!;
    return;
  }
  nameUnits.length = 0;
  for (let k = count - 1; k >= 0; k--) {
    const at = (MAX_LFN_PARTS - 1 - k) * 13;
    for (let i = 0; i < lfnLengths[k]!; i++) nameUnits.push(lfnUnits[at + i]!);
  }
  nameArray = nameUnits;
  nameFrom = 0;
  nameLength = nameUnits.length;
}

/** The long name from parts 0..count-1. */
function lfnName(count: number): string {
  lfnAssemble(count);
  const units = nameArray === lfnUnits ? lfnUnits.subarray(nameFrom, nameFrom + nameLength) : nameUnits;
  return String.fromCharCode.apply(null, units as unknown as number[]);
}

/** Latin-1 lower case, as String.prototype.toLowerCase maps the range. */
const lowerLatin1 = (c: number): number => ((c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7) ? c + 32 : c);

const shortUnits = new Uint16Array(12);

/**
 * The 8.3 name for display, `NAME.EXT` (padding dropped, NT case bits applied: byte 12, 0x08 base, 0x10 ext), as
 * units in `shortUnits`; returns how many.
 */
function shortNameUnits(b: Uint8Array, o: number, deleted: boolean): number {
  let baseEnd = 8;
  while (baseEnd > 0 && b[o + baseEnd - 1] === 0x20) baseEnd--;
  let extEnd = 3;
  while (extEnd > 0 && b[o + 8 + extEnd - 1] === 0x20) extEnd--;
  const caseBits = b[o + 12]!;
  let n = 0;
  for (let i = 0; i < baseEnd; i++) {
    const c = b[o + i]!;
    if (i === 0 && deleted) shortUnits[n++] = 0x5f;
    else if (i === 0 && c === 0x05) shortUnits[n++] = 0xe5;
    else shortUnits[n++] = caseBits & 0x08 ? lowerLatin1(c) : c;
  }
  if (extEnd > 0) {
    shortUnits[n++] = 0x2e;
    for (let i = 0; i < extEnd; i++) {
      const c = b[o + 8 + i]!;
      shortUnits[n++] = caseBits & 0x10 ? lowerLatin1(c) : c;
    }
  }
  return n;
}

/** The 8.3 name for display: `NAME.EXT`, padding dropped, NT case bits applied. */
export function displayShortName(b: Uint8Array, o: number, deleted: boolean): string {
  const n = shortNameUnits(b, o, deleted);
  return String.fromCharCode.apply(null, shortUnits.subarray(0, n) as unknown as number[]);
}

/** True when the 11 name bytes are exactly `.` or `..`, space-padded. */
function isDotName(b: Uint8Array, o: number): boolean {
  if (b[o] !== 0x2e) return false;
  let i = 1;
  if (b[o + 1] === 0x2e) i = 2;
  for (; i < 11; i++) if (b[o + i] !== 0x20) return false;
  return true;
}

/**
 * Parses `count` slots of a directory, appending a row to `t` per 8.3 entry. `offsetOf(slot)` maps a slot to its image offset (directories
 * span clusters). `fat32` selects whether the high word of the first cluster counts. Slots after the 0x00 end marker
 * are read too, but only when they look like real entries, because that is where an entry can hide from every driver.
 * A `.`/`..` 8.3 entry without a long name in slot 0 or 1 gets F_DOT; the walker clears it in the root.
 */
export function parseFatDirectory(
  b: Uint8Array,
  count: number,
  offsetOf: (slot: number) => number,
  fat32: boolean,
  problems: DirentProblem[],
  t: EntryTable,
): void {
  // The long-name sequence being collected: `parts` > 0 while there is one.
  let parts = 0;
  let pDeleted = false;
  let pChecksum = 0;
  let pExpect = 0;
  let pComplete = false;
  let pOffset = 0;
  let afterEnd = false;
  let afterEndCount = 0;
  const orphan = (why: string): void => {
    if (!pDeleted) problems.push({ kind: 'lfn-orphan', offset: pOffset, detail: why });
  };
  const n = Math.min(count, b.length >>> 5);
  for (let slot = 0; slot < n; slot++) {
    const o = slot * 32;
    const first = b[o]!;
    if (first === 0x00) {
      afterEnd = true;
      if (parts > 0) orphan('long-name entries end at the end-of-directory marker');
      parts = 0;
      continue;
    }
    const attr = b[o + 11]!;
    const deleted = first === 0xe5;
    const isLfn = (attr & 0x3f) === ATTR_LONG_NAME;
    if (afterEnd) {
      const ok = isLfn ? b[o + 12] === 0 && u16(b, o + 26) === 0 : plausibleShortEntry(b, o);
      if (!ok) {
        parts = 0;
        continue;
      }
      if (!deleted) afterEndCount++;
    }
    if (isLfn) {
      const checksum = b[o + 13]!;
      if (deleted) {
        if (parts > 0 && pDeleted && pChecksum === checksum && parts < MAX_LFN_PARTS) {
          storeLfnPart(b, o, parts++);
        } else {
          if (parts > 0) orphan('long-name entries are followed by a deleted long-name entry');
          parts = 1;
          storeLfnPart(b, o, 0);
          pDeleted = true;
          pChecksum = checksum;
          pExpect = 0;
          pComplete = false;
          pOffset = offsetOf(slot);
        }
        continue;
      }
      const seq = first & 0x1f;
      if (first & 0x40) {
        if (parts > 0) orphan('a new long name starts before this one reached its 8.3 entry');
        parts = 1;
        storeLfnPart(b, o, 0);
        pDeleted = false;
        pChecksum = checksum;
        pExpect = seq - 1;
        pComplete = seq === 1;
        pOffset = offsetOf(slot);
        if (seq === 0) {
          orphan('the long-name entry has sequence number 0');
          parts = 0;
        }
      } else if (parts > 0 && !pDeleted && seq === pExpect && checksum === pChecksum && seq > 0 && parts < MAX_LFN_PARTS) {
        storeLfnPart(b, o, parts++);
        pExpect = seq - 1;
        pComplete = seq === 1;
      } else {
        if (parts > 0) orphan('the long-name sequence is broken');
        problems.push({ kind: 'lfn-orphan', offset: offsetOf(slot), detail: `long-name entry ${seq} has no preceding entries` });
        parts = 0;
      }
      continue;
    }
    if (attr & ATTR_VOLUME_ID && !(attr & ATTR_DIRECTORY)) {
      if (parts > 0) orphan('long-name entries precede the volume label');
      parts = 0;
      continue;
    }
    const sn = shortNameUnits(b, o, deleted);
    const i = t.add(
      t.addUnits(shortUnits, 0, sn),
      sn,
      true,
      (attr & ATTR_DIRECTORY ? F_DIR : 0) | (deleted ? F_DELETED : 0) | (afterEnd ? F_AFTER_END : 0),
      attr,
      (b[o + 28]! | (b[o + 29]! << 8) | (b[o + 30]! << 16) | (b[o + 31]! << 24)) >>> 0,
      (fat32 ? u16(b, o + 20) * 0x10000 : 0) + u16(b, o + 26),
      offsetOf(slot),
      slot,
      (b[o + 22]! | (b[o + 23]! << 8) | (b[o + 24]! << 16) | (b[o + 25]! << 24)) >>> 0,
    );
    let long = false;
    if (parts > 0) {
      if (!deleted && !pDeleted) {
        if (!pComplete) orphan('the long name is missing parts before its 8.3 entry');
        else {
          const sum = checksumAt(b, o, b[o]!);
          if (sum !== pChecksum) {
            problems.push({
              kind: 'lfn-checksum',
              offset: pOffset,
              detail: `long name "${lfnName(parts)}" carries checksum 0x${pChecksum.toString(16)}, but its 8.3 entry "${t.shortName(i)}" sums to 0x${sum.toString(16)}`,
            });
          } else {
            lfnAssemble(parts);
            t.setName(i, t.addUnits(nameArray, nameFrom, nameLength), nameLength);
            t.lfnOffset[i] = pOffset;
            long = true;
            // Judged here, on units at hand, rather than on strings for every entry later (FAT_NAME_MISMATCH).
            const fit = shortNameFitsUnits(nameArray, nameFrom, nameLength, shortUnits, sn);
            if (fit !== undefined) t.flags[i]! |= F_FIT_CHECKED | (fit ? 0 : F_NAME_MISMATCH);
          }
        }
      } else if (deleted && pDeleted) {
        // The first name byte is lost (0xE5); the long name is trusted when some first byte makes the checksum agree.
        const name = lfnName(parts);
        if (recoverFirstByte(b, o, pChecksum, name) !== null) {
          t.setName(i, t.addString(name), name.length);
          t.lfnOffset[i] = pOffset;
          long = true;
        }
      } else if (!pDeleted) orphan('the long name belongs to a deleted 8.3 entry');
      parts = 0;
    }
    if (long) t.flags[i]! |= F_LONG;
    else if (slot < 2 && isDotName(b, o)) t.flags[i]! |= F_DOT;
  }
  if (parts > 0) orphan('long-name entries run to the end of the directory');
  if (afterEndCount > 0) {
    problems.push({
      kind: 'entries-after-end',
      offset: offsetOf(0),
      detail: `${afterEndCount} entr${afterEndCount === 1 ? 'y lies' : 'ies lie'} after the end-of-directory marker, where Windows and most drivers never look`,
    });
  }
}

/**
 * The first byte of a deleted 8.3 name that makes `checksum` agree. Only the bytes Windows would have put there are
 * tried (the long name's first letter, upper-cased, or `_`): with an 8-bit checksum, trying every byte would always
 * "succeed" and prove nothing.
 */
function recoverFirstByte(b: Uint8Array, o: number, checksum: number, longName: string): number | null {
  const guess = longName.replace(/^[.\s]+/, '').toUpperCase().charCodeAt(0);
  if (Number.isFinite(guess) && guess < 0x100 && checksumAt(b, o, guess) === checksum) return guess;
  return checksumAt(b, o, 0x5f) === checksum ? 0x5f : null;
}
