// Parses FAT12/16/32 directory slots: 8.3 entries, long-name sets (checksums, order) and deleted entries.

import { u16 } from '../partition/byte-source.js';

export const ATTR_READ_ONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
export const ATTR_LONG_NAME = 0x0f;

/** One 8.3 entry with the long name that belongs to it. Offsets are relative to the volume. */
export interface RawDirent {
  slot: number;
  offset: number;
  /** The 11 stored name bytes as text (`HUB001  DAT`); the first byte of a deleted entry stays 0xE5. */
  raw: string;
  shortName: string;
  longName?: string;
  lfnOffset?: number;
  attributes: number;
  size: number;
  firstCluster: number;
  deleted: boolean;
  afterEnd: boolean;
  modified?: string;
}

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

function lfnChars(b: Uint8Array, o: number): string {
  let s = '';
  const ranges: [number, number][] = [
    [1, 5],
    [14, 6],
    [28, 2],
  ];
  for (const [start, n] of ranges) {
    for (let k = 0; k < n; k++) {
      const c = b[o + start + 2 * k]! | (b[o + start + 2 * k + 1]! << 8);
      if (c === 0 || c === 0xffff) return s;
      s += String.fromCharCode(c);
    }
  }
  return s;
}

function latin(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[o + i]!);
  return s;
}

/** The 8.3 name for display: `NAME.EXT`, trailing spaces dropped, NT case bits applied (byte 12: 0x08 base, 0x10 ext). */
export function displayShortName(b: Uint8Array, o: number, deleted: boolean): string {
  let base = latin(b, o, 8).trimEnd();
  let ext = latin(b, o + 8, 3).trimEnd();
  const caseBits = b[o + 12]!;
  if (caseBits & 0x08) base = base.toLowerCase();
  if (caseBits & 0x10) ext = ext.toLowerCase();
  if (base.charCodeAt(0) === 0x05) base = `\u00e5${base.slice(1)}`;
  if (deleted) base = `_${base.slice(1)}`;
  return ext ? `${base}.${ext}` : base;
}

function dosTime(b: Uint8Array, o: number): string | undefined {
  const t = u16(b, o);
  const d = u16(b, o + 2);
  if (d === 0) return undefined;
  const y = 1980 + (d >>> 9);
  const mo = (d >>> 5) & 15;
  const da = d & 31;
  const h = t >>> 11;
  const mi = (t >>> 5) & 63;
  const s = (t & 31) * 2;
  if (mo < 1 || mo > 12 || da < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const p = (v: number) => String(v).padStart(2, '0');
  return `${y}-${p(mo)}-${p(da)}T${p(h)}:${p(mi)}:${p(s)}`;
}

interface PendingLfn {
  checksum: number;
  expect: number;
  complete: boolean;
  parts: string[];
  offset: number;
  deleted: boolean;
}

/**
 * Parses `count` slots of a directory. `offsetOf(slot)` maps a slot to its volume offset (directories span clusters).
 * `fat32` selects whether the high word of the first cluster counts. Slots after the 0x00 end marker are read too,
 * but only when they look like real entries, because that is where an entry can hide from every driver.
 */
export function parseFatDirectory(
  b: Uint8Array,
  count: number,
  offsetOf: (slot: number) => number,
  fat32: boolean,
  problems: DirentProblem[],
): RawDirent[] {
  const out: RawDirent[] = [];
  let pending: PendingLfn | null = null;
  let afterEnd = false;
  let afterEndCount = 0;
  const orphan = (p: PendingLfn, why: string): void => {
    if (!p.deleted) problems.push({ kind: 'lfn-orphan', offset: p.offset, detail: why });
  };
  for (let slot = 0; slot < count; slot++) {
    const o = slot * 32;
    const first = b[o]!;
    if (first === 0x00) {
      afterEnd = true;
      if (pending) orphan(pending, 'long-name entries end at the end-of-directory marker');
      pending = null;
      continue;
    }
    const attr = b[o + 11]!;
    const deleted = first === 0xe5;
    const isLfn = (attr & 0x3f) === ATTR_LONG_NAME;
    if (afterEnd) {
      const ok = isLfn ? b[o + 12] === 0 && u16(b, o + 26) === 0 : plausibleShortEntry(b, o);
      if (!ok) {
        pending = null;
        continue;
      }
      if (!deleted) afterEndCount++;
    }
    if (isLfn) {
      const checksum = b[o + 13]!;
      const chars = lfnChars(b, o);
      if (deleted) {
        if (pending && pending.deleted && pending.checksum === checksum) pending.parts.push(chars);
        else {
          if (pending) orphan(pending, 'long-name entries are followed by a deleted long-name entry');
          pending = { checksum, expect: 0, complete: false, parts: [chars], offset: offsetOf(slot), deleted: true };
        }
        continue;
      }
      const seq = first & 0x1f;
      if (first & 0x40) {
        if (pending) orphan(pending, 'a new long name starts before this one reached its 8.3 entry');
        pending = { checksum, expect: seq - 1, complete: seq === 1, parts: [chars], offset: offsetOf(slot), deleted: false };
        if (seq === 0) {
          orphan(pending, 'the long-name entry has sequence number 0');
          pending = null;
        }
      } else if (pending && !pending.deleted && seq === pending.expect && checksum === pending.checksum && seq > 0) {
        pending.parts.push(chars);
        pending.expect = seq - 1;
        pending.complete = seq === 1;
      } else {
        if (pending) orphan(pending, 'the long-name sequence is broken');
        problems.push({ kind: 'lfn-orphan', offset: offsetOf(slot), detail: `long-name entry ${seq} has no preceding entries` });
        pending = null;
      }
      continue;
    }
    if ((attr & ATTR_VOLUME_ID) && !(attr & ATTR_DIRECTORY)) {
      if (pending) orphan(pending, 'long-name entries precede the volume label');
      pending = null;
      continue;
    }
    const nameBytes = b.subarray(o, o + 11);
    const entry: RawDirent = {
      slot,
      offset: offsetOf(slot),
      raw: latin(b, o, 11),
      shortName: displayShortName(b, o, deleted),
      attributes: attr,
      size: (b[o + 28]! | (b[o + 29]! << 8) | (b[o + 30]! << 16) | (b[o + 31]! << 24)) >>> 0,
      firstCluster: (fat32 ? u16(b, o + 20) * 0x10000 : 0) + u16(b, o + 26),
      deleted,
      afterEnd,
    };
    const modified = dosTime(b, o + 22);
    if (modified) entry.modified = modified;
    if (pending) {
      const name = [...pending.parts].reverse().join('');
      if (!deleted && !pending.deleted) {
        if (!pending.complete) orphan(pending, 'the long name is missing parts before its 8.3 entry');
        else if (shortNameChecksum(nameBytes) !== pending.checksum) {
          problems.push({
            kind: 'lfn-checksum',
            offset: pending.offset,
            detail: `long name "${name}" carries checksum 0x${pending.checksum.toString(16)}, but its 8.3 entry "${entry.shortName}" sums to 0x${shortNameChecksum(nameBytes).toString(16)}`,
          });
        } else {
          entry.longName = name;
          entry.lfnOffset = pending.offset;
        }
      } else if (deleted && pending.deleted) {
        // The first name byte is lost (0xE5); the long name is trusted when some first byte makes the checksum agree.
        if (recoverFirstByte(nameBytes, pending.checksum, name) !== null) {
          entry.longName = name;
          entry.lfnOffset = pending.offset;
        }
      } else if (!pending.deleted) orphan(pending, 'the long name belongs to a deleted 8.3 entry');
      pending = null;
    }
    out.push(entry);
  }
  if (pending) orphan(pending, 'long-name entries run to the end of the directory');
  if (afterEndCount > 0) {
    problems.push({
      kind: 'entries-after-end',
      offset: offsetOf(0),
      detail: `${afterEndCount} entr${afterEndCount === 1 ? 'y lies' : 'ies lie'} after the end-of-directory marker, where Windows and most drivers never look`,
    });
  }
  return out;
}

/**
 * The first byte of a deleted 8.3 name that makes `checksum` agree. Only the bytes Windows would have put there are
 * tried (the long name's first letter, upper-cased, or `_`): with an 8-bit checksum, trying every byte would always
 * "succeed" and prove nothing.
 */
function recoverFirstByte(nameBytes: Uint8Array, checksum: number, longName: string): number | null {
  const bytes = Array.from(nameBytes);
  const guess = longName.replace(/^[.\s]+/, '').toUpperCase().charCodeAt(0);
  const order = Number.isFinite(guess) && guess < 0x100 ? [guess, 0x5f] : [0x5f];
  for (const c of order) {
    bytes[0] = c;
    if (shortNameChecksum(bytes) === checksum) return c;
  }
  return null;
}
