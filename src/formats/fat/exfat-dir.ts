// Parses exFAT directory entry sets (File, Stream Extension, File Name; spec §6-7) and the volume's critical entries.

import { u16, u32, u64 } from '../partition/byte-source.js';
import { type EntryTable, F_AFTER_END, F_DELETED, F_DIR, F_NO_FAT_CHAIN } from './entry.js';

export const EXFAT_FILE = 0x85;
export const EXFAT_STREAM = 0xc0;
export const EXFAT_NAME = 0xc1;
export const EXFAT_BITMAP = 0x81;
export const EXFAT_UPCASE = 0x82;
export const EXFAT_LABEL = 0x83;

export interface ExfatProblem {
  kind: 'set-checksum' | 'set-incomplete' | 'orphan-secondary' | 'name-length' | 'entries-after-end' | 'name-hash';
  offset: number;
  detail: string;
  /** The entry's name, for problems of one entry. */
  name?: string;
}

/** Critical primary entries in the root: where the bitmap and up-case table live, and the label. */
export interface ExfatRootInfo {
  bitmap?: { firstCluster: number; length: number; offset: number };
  upcase?: { firstCluster: number; length: number; checksum: number; offset: number };
  label?: string;
}

/** exFAT spec §6.3.3: the 16-bit checksum over a whole entry set, skipping the checksum field itself. */
export function entrySetChecksum(b: Uint8Array, o: number, entries: number): number {
  let sum = 0;
  const n = entries * 32;
  for (let i = 0; i < n; i++) {
    if (i === 2 || i === 3) continue;
    sum = ((sum & 1 ? 0x8000 : 0) + (sum >>> 1) + b[o + i]!) & 0xffff;
  }
  return sum;
}

/** exFAT spec §7.6.4: the name hash over the up-cased name, low byte then high byte of each character. */
export function nameHash(name: string, upcase: (c: number) => number): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) {
    const c = upcase(name.charCodeAt(i));
    h = ((h & 1 ? 0x8000 : 0) + (h >>> 1) + (c & 0xff)) & 0xffff;
    h = ((h & 1 ? 0x8000 : 0) + (h >>> 1) + (c >>> 8)) & 0xffff;
  }
  return h;
}

/** Reads the critical primary entries (bitmap, up-case table, label) from the root directory's bytes. */
export function readRootInfo(b: Uint8Array, count: number, offsetOf: (slot: number) => number): ExfatRootInfo {
  const info: ExfatRootInfo = {};
  for (let slot = 0; slot < count; slot++) {
    const o = slot * 32;
    const t = b[o]!;
    if (t === 0) break;
    if (t === EXFAT_BITMAP && !info.bitmap && (b[o + 1]! & 1) === 0) {
      info.bitmap = { firstCluster: u32(b, o + 20), length: u64(b, o + 24), offset: offsetOf(slot) };
    } else if (t === EXFAT_UPCASE && !info.upcase) {
      info.upcase = { firstCluster: u32(b, o + 20), length: u64(b, o + 24), checksum: u32(b, o + 4), offset: offsetOf(slot) };
    } else if (t === EXFAT_LABEL) {
      const n = Math.min(11, b[o + 1]!);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(u16(b, o + 2 + 2 * i));
      info.label = s;
    }
  }
  return info;
}

/**
 * Parses `count` slots of an exFAT directory into file entry sets, live and deleted (in-use bit clear), appended to
 * `table`. Sets are checked for their checksum, their completeness, the name length and the name hash (against
 * `upcase`); broken ones are reported. `offsetOf(slot)` maps a slot to its image offset.
 */
export function parseExfatDirectory(
  b: Uint8Array,
  count: number,
  offsetOf: (slot: number) => number,
  upcase: (c: number) => number,
  problems: ExfatProblem[],
  table: EntryTable,
): void {
  count = Math.min(count, b.length >>> 5);
  let afterEnd = false;
  let afterEndCount = 0;
  let slot = 0;
  while (slot < count) {
    const o = slot * 32;
    const t = b[o]!;
    if (t === 0x00) {
      afterEnd = true;
      slot++;
      continue;
    }
    const typeCode = t & 0x7f;
    if (typeCode !== (EXFAT_FILE & 0x7f)) {
      // Secondary entries outside a set: stray stream/name entries of a live set are worth a word, deleted ones are not.
      if ((t === EXFAT_STREAM || t === EXFAT_NAME) && !afterEnd) {
        problems.push({ kind: 'orphan-secondary', offset: offsetOf(slot), detail: `entry type 0x${t.toString(16)} belongs to no file entry` });
      }
      slot++;
      continue;
    }
    const deleted = (t & 0x80) === 0;
    const secondaries = b[o + 1]!;
    const setStart = slot;
    if (secondaries < 2 || secondaries > 18 || slot + secondaries >= count) {
      if (!deleted && !afterEnd) {
        problems.push({ kind: 'set-incomplete', offset: offsetOf(slot), detail: `file entry declares ${secondaries} secondary entries` });
      }
      slot++;
      continue;
    }
    const so = o + 32;
    if (b[so] !== (deleted ? EXFAT_STREAM & 0x7f : EXFAT_STREAM)) {
      if (!deleted && !afterEnd) problems.push({ kind: 'set-incomplete', offset: offsetOf(slot), detail: 'file entry is not followed by a stream extension entry' });
      slot++;
      continue;
    }
    const nameLength = b[so + 3]!;
    const nameEntries = Math.ceil(nameLength / 15);
    const nameType = deleted ? EXFAT_NAME & 0x7f : EXFAT_NAME;
    let name = '';
    let complete = true;
    for (let k = 2; k <= secondaries; k++) {
      const no = o + k * 32;
      const nt = b[no]!;
      if (k <= 1 + nameEntries) {
        if (nt !== nameType) {
          complete = false;
          break;
        }
        for (let i = 0; i < 15 && name.length < nameLength; i++) name += String.fromCharCode(u16(b, no + 2 + 2 * i));
      } else if ((nt & 0x40) === 0 || (!deleted && (nt & 0x80) === 0)) {
        // Vendor secondaries may follow the names; a primary entry or an unused slot breaks the set.
        complete = false;
        break;
      }
    }
    if (!complete && !deleted) {
      problems.push({ kind: 'set-incomplete', offset: offsetOf(slot), detail: 'the entry set is cut short by an unrelated entry' });
    }
    if (!deleted && complete) {
      const sum = entrySetChecksum(b, o, secondaries + 1);
      if (sum !== u16(b, o + 2)) {
        problems.push({
          kind: 'set-checksum',
          offset: offsetOf(slot),
          detail: `entry set of "${name}" stores checksum 0x${u16(b, o + 2).toString(16)} but sums to 0x${sum.toString(16)}`,
        });
      }
    }
    if (name.length !== nameLength && !deleted) {
      problems.push({ kind: 'name-length', offset: offsetOf(slot), detail: `name "${name}" is shorter than its declared ${nameLength} characters` });
    }
    const attributes = u16(b, o + 4);
    const offset = offsetOf(setStart);
    table.add(
      table.addString(name),
      name.length,
      false,
      (attributes & 0x10 ? F_DIR : 0) | (deleted ? F_DELETED : 0) | (afterEnd ? F_AFTER_END : 0) | (b[so + 1]! & 2 ? F_NO_FAT_CHAIN : 0),
      attributes & 0xff,
      u64(b, so + 24),
      u32(b, so + 20),
      offset,
      setStart,
      u32(b, o + 12),
    );
    if (afterEnd && !deleted) afterEndCount++;
    if (!deleted && name.length > 0) {
      const stored = u16(b, so + 4);
      const h = nameHash(name, upcase);
      if (h !== stored) {
        problems.push({ kind: 'name-hash', offset, name, detail: `stores name hash 0x${stored.toString(16)} but its name hashes to 0x${h.toString(16)}` });
      }
    }
    slot += complete ? secondaries + 1 : 1;
  }
  if (afterEndCount > 0) {
    problems.push({
      kind: 'entries-after-end',
      offset: offsetOf(0),
      detail: `${afterEndCount} entry set(s) lie after the end-of-directory marker, where drivers never look`,
    });
  }
}

/** Decodes the up-case table (spec §7.2.5): 0xFFFF followed by N means N characters map to themselves. */
export function decodeUpcase(b: Uint8Array): Uint16Array {
  const table = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = i;
  let c = 0;
  for (let i = 0; i + 1 < b.length && c < 65536; i += 2) {
    const v = u16(b, i);
    if (v === 0xffff && i + 3 < b.length) {
      c += u16(b, i + 2);
      i += 2;
    } else table[c++] = v;
  }
  return table;
}
