// A parsed regf hive: read-only navigation over keys, values and data, every offset checked against the cell map.

import type { Anomaly } from '../../core/anomaly.js';
import type { RegfAnomalies } from './anomalies.js';
import type { RegfBaseBlock } from './base-block.js';
import { cellState, type CellMap } from './bins.js';
import {
  BIG_DATA_SEGMENT,
  DATA_BUDGET_FACTOR,
  DATA_BUDGET_FLOOR,
  DB_FIXED_SIZE,
  DEFAULT_LIMITS,
  HBINS_START,
  KEY_COMP_NAME,
  KEY_HIVE_ENTRY,
  KEY_PREDEF_HANDLE,
  MAX_BIG_DATA_SEGMENTS,
  MAX_KEY_NAME_CHARS,
  MAX_VALUE_NAME_CHARS,
  NK_FIXED_SIZE,
  NO_OFFSET,
  SK_FIXED_SIZE,
  VALUE_COMP_NAME,
  VK_FIXED_SIZE,
  regTypeName,
  type RegfLimits,
} from './constants.js';
import { valueText } from './value-text.js';
import { compareNames, decodeLatin1, decodeUtf16le, filetimeToIso, lfHint, lhHash, upcaseName, upcaseUnit } from './text.js';

export interface RegfKey {
  /** Cell offset relative to the first hive bin: the key's identity within the hive. */
  offset: number;
  name: string;
  flags: number;
  /** ISO-8601 UTC, or null when the timestamp is zero. */
  lastWritten: string | null;
  parentOffset: number;
  /** Counts as the key node declares them; the lists may disagree (REGF_SUBKEY_COUNT). */
  subkeyCount: number;
  valueCount: number;
  subkeyListOffset: number;
  valueListOffset: number;
  securityOffset: number;
  classNameOffset: number;
  classNameLength: number;
  /** The name is stored one byte per character (Latin-1) rather than UTF-16LE. */
  compressedName: boolean;
}

export interface RegfValue {
  offset: number;
  /** '' for the key's default value. */
  name: string;
  type: number;
  /** Data size in bytes as declared (without the inline flag). */
  size: number;
  /** The data (4 bytes or fewer) sits in the data-offset field itself. */
  inline: boolean;
  dataOffset: number;
  flags: number;
  compressedName: boolean;
}

export interface RegfData {
  bytes: Uint8Array;
  /** The size the value declares. */
  size: number;
  /** Fewer bytes than declared came back (damage, a limit or the budget; see the hive's anomalies). */
  truncated: boolean;
}

export interface RegfSecurity {
  offset: number;
  referenceCount: number;
  /** The self-relative security descriptor. */
  descriptor: Uint8Array;
}

/** Called for each key in a walk, with its hive-relative path and depth below the walk's start. */
export type KeyVisitor = (key: RegfKey, path: string, depth: number) => void;

export interface WalkedKey {
  key: RegfKey;
  path: string;
  depth: number;
}

interface Cell {
  /** Absolute offset of the cell's data (after the size field). */
  start: number;
  length: number;
}

interface ListEntry {
  offset: number;
  /** Where the entry sits in the file, for anomalies. */
  at: number;
  kind: 'li' | 'lf' | 'lh';
  /** The lh hash or the lf hint (as read, little-endian), unused for li. */
  check: number;
}

const SIG_NK = 0x6b6e;
const SIG_VK = 0x6b76;
const SIG_SK = 0x6b73;
const SIG_LI = 0x696c;
const SIG_LF = 0x666c;
const SIG_LH = 0x686c;
const SIG_RI = 0x6972;
const SIG_DB = 0x6264;

const hex = (n: number) => `0x${n.toString(16)}`;

export class RegfHive {
  readonly isRegf = true as const;
  private readonly dv: DataView;
  private budget: number;
  readonly limits: Readonly<RegfLimits>;
  private readonly checkedSecurity = new Set<number>();

  constructor(
    readonly bytes: Uint8Array,
    readonly base: RegfBaseBlock,
    readonly cells: CellMap,
    private readonly found: RegfAnomalies,
    limits: Partial<RegfLimits> = {},
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.budget = this.limits.dataBudget ?? DATA_BUDGET_FACTOR * bytes.length + DATA_BUDGET_FLOOR;
  }

  /** Anomalies found so far: all structural ones after a full walk, plus those of whatever was read. */
  get anomalies(): readonly Anomaly[] {
    return this.found.items;
  }

  get anomaliesDropped(): number {
    return this.found.dropped;
  }

  /** The root key, or null when the base block's root offset leads nowhere usable (REGF_ROOT). */
  root(): RegfKey | null {
    const key = this.readKey(this.base.rootCellOffset, 0x24, true);
    if (key === null) {
      this.found.add('REGF_ROOT', `root cell offset ${hex(this.base.rootCellOffset)} does not lead to a key node`, 0x24);
      return null;
    }
    if ((key.flags & KEY_HIVE_ENTRY) === 0) {
      this.found.add('REGF_ROOT_FLAGS', `root key '${key.name}' lacks the hive-entry flag (flags ${hex(key.flags)})`, abs(key.offset));
    }
    return key;
  }

  /** The key at a cell offset (relative to the first hive bin), or null. */
  keyAt(offset: number): RegfKey | null {
    return this.readKey(offset, abs(offset), false);
  }

  /** The subkeys of a key, in list order (sorted by name in a sound hive). */
  subkeys(key: RegfKey): RegfKey[] {
    const entries = this.subkeyEntries(key);
    const out: RegfKey[] = [];
    let prev: RegfKey | undefined;
    for (const e of entries) {
      const child = this.readKey(e.offset, e.at, false);
      if (child === null) continue;
      this.checkEntry(e, child);
      if (child.parentOffset !== key.offset) {
        this.found.add(
          'REGF_KEY_PARENT',
          `key '${child.name}' is listed under the key at ${hex(key.offset)} but names ${hex(child.parentOffset)} as its parent`,
          abs(child.offset) + 0x10,
        );
      }
      if (prev !== undefined && compareNames(prev.name, child.name) >= 0) {
        this.found.add(
          'REGF_SUBKEY_ORDER',
          `subkeys of '${key.name}' are out of order or repeat a name: '${prev.name}' then '${child.name}'`,
          e.at,
        );
      }
      prev = child;
      out.push(child);
    }
    if (entries.length !== key.subkeyCount && entries.length < this.limits.maxSubkeysPerKey) {
      this.found.add(
        'REGF_SUBKEY_COUNT',
        `key '${key.name}' declares ${key.subkeyCount} subkeys, its lists hold ${entries.length}`,
        abs(key.offset) + 0x14,
      );
    }
    return out;
  }

  /** The values of a key, in list order. */
  values(key: RegfKey): RegfValue[] {
    if (key.valueCount === 0) return [];
    // A predefined-handle key stores a handle in the value count, not values.
    if ((key.flags & KEY_PREDEF_HANDLE) !== 0) return [];
    const listAt = abs(key.offset) + 0x28;
    const cell = this.cell(key.valueListOffset, listAt);
    if (cell === null) {
      this.found.add('REGF_VALUE_LIST', `value list of key '${key.name}' at ${hex(key.valueListOffset)} cannot be read`, listAt);
      return [];
    }
    let count = key.valueCount;
    if (count > this.limits.maxValuesPerKey) {
      this.found.add('REGF_VALUE_LIMIT', `key '${key.name}' declares ${count} values; reading ${this.limits.maxValuesPerKey}`, listAt);
      count = this.limits.maxValuesPerKey;
    }
    if (count * 4 > cell.length) {
      this.found.add(
        'REGF_VALUE_LIST',
        `value list of key '${key.name}' holds ${cell.length >>> 2} entries, the key declares ${key.valueCount}`,
        cell.start - 4,
      );
      count = cell.length >>> 2;
    }
    const out: RegfValue[] = [];
    const names = count > 1 ? new Set<string>() : undefined;
    for (let i = 0; i < count; i++) {
      const at = cell.start + 4 * i;
      const v = this.readValue(this.dv.getUint32(at, true), at);
      if (v === null) continue;
      if (names !== undefined) {
        const upper = upcaseName(v.name);
        if (names.has(upper)) {
          this.found.add('REGF_VALUE_DUPLICATE', `key '${key.name}' has two values named '${v.name}'`, abs(v.offset));
        }
        names.add(upper);
      }
      out.push(v);
    }
    return out;
  }

  /**
   * A value's data, assembled from big-data segments when needed, at most `maxBytes` long. Reads count against the
   * hive's data budget (see DATA_BUDGET_FACTOR).
   */
  data(value: RegfValue, maxBytes: number = this.limits.maxValueBytes): RegfData {
    const vkAt = abs(value.offset);
    const want = Math.min(value.size, maxBytes, this.limits.maxValueBytes);
    if (value.size > this.limits.maxValueBytes && maxBytes >= this.limits.maxValueBytes) {
      this.found.add('REGF_VALUE_DATA_LIMIT', `value '${value.name}' declares ${value.size} bytes; reading ${this.limits.maxValueBytes}`, vkAt);
    }
    let bytes: Uint8Array;
    if (value.inline) {
      let n = value.size;
      if (n > 4) {
        this.found.add('REGF_VALUE_DATA', `value '${value.name}' is marked inline but declares ${n} bytes`, vkAt + 4);
        n = 4;
      }
      bytes = this.bytes.subarray(vkAt + 8, vkAt + 8 + Math.min(n, want));
    } else if (value.size === 0) {
      bytes = new Uint8Array(0);
    } else {
      bytes = this.dataCells(value, want, vkAt);
    }
    if (bytes.length > this.budget) {
      this.found.add('REGF_DATA_BUDGET', `the value-data budget ran out at value '${value.name}'`, vkAt);
      bytes = bytes.subarray(0, Math.max(0, this.budget));
    }
    this.budget -= bytes.length;
    return { bytes, size: value.size, truncated: bytes.length < value.size };
  }

  /** The value's data as text (see valueText), flagging a size that does not suit the type. */
  text(value: RegfValue, maxBytes?: number): string {
    return this.render(value, maxBytes).text;
  }

  /** Like text(), also saying whether fewer bytes than declared were rendered. */
  render(value: RegfValue, maxBytes?: number): { text: string; truncated: boolean } {
    const data = this.data(value, maxBytes);
    const rendered = valueText(value.type, data.bytes);
    if (!rendered.fits && !data.truncated) {
      this.found.add(
        'REGF_VALUE_DATA_SIZE',
        `value '${value.name}' of type ${regTypeName(value.type)} has ${data.bytes.length} bytes`,
        abs(value.offset) + 4,
      );
    }
    return { text: rendered.text, truncated: data.truncated };
  }

  /** The key's class name, or null when it has none. */
  className(key: RegfKey): string | null {
    if (key.classNameOffset === NO_OFFSET || key.classNameLength === 0) return null;
    const at = abs(key.offset) + 0x30;
    const cell = this.cell(key.classNameOffset, at);
    if (cell === null) {
      this.found.add('REGF_CLASS_NAME', `class name of key '${key.name}' at ${hex(key.classNameOffset)} cannot be read`, at);
      return null;
    }
    let n = key.classNameLength;
    if (n > cell.length) {
      this.found.add('REGF_CLASS_NAME', `class name of key '${key.name}' (${n} bytes) runs past its cell`, at);
      n = cell.length;
    }
    return decodeUtf16le(this.bytes, cell.start, n);
  }

  /** The key's security record, or null when it has none or it is damaged (REGF_SECURITY). */
  security(key: RegfKey): RegfSecurity | null {
    if (key.securityOffset === NO_OFFSET) return null;
    const at = abs(key.offset) + 0x2c;
    const cell = this.cell(key.securityOffset, at);
    const bad = (why: string): null => {
      this.found.add('REGF_SECURITY', `security record of key '${key.name}' at ${hex(key.securityOffset)} ${why}`, at);
      return null;
    };
    if (cell === null) return bad('cannot be read');
    if (cell.length < SK_FIXED_SIZE || this.dv.getUint16(cell.start, true) !== SIG_SK) return bad('is not an sk record');
    const size = this.dv.getUint32(cell.start + 0x10, true);
    if (SK_FIXED_SIZE + size > cell.length) return bad(`declares a ${size}-byte descriptor that runs past its cell`);
    return {
      offset: key.securityOffset,
      referenceCount: this.dv.getUint32(cell.start + 0x0c, true),
      descriptor: this.bytes.subarray(cell.start + SK_FIXED_SIZE, cell.start + SK_FIXED_SIZE + size),
    };
  }

  /** Checks a key's security record once per distinct record (walks call this for every key). */
  checkSecurity(key: RegfKey): void {
    if (key.securityOffset === NO_OFFSET || this.checkedSecurity.has(key.securityOffset)) return;
    this.checkedSecurity.add(key.securityOffset);
    this.security(key);
  }

  /** The key at a hive-relative path (names compared as Windows does, ignoring case), or null. */
  findKey(names: readonly string[]): RegfKey | null {
    let key = this.root();
    for (const name of names) {
      if (key === null) return null;
      const want = upcaseName(name);
      key = this.subkeys(key).find((k) => k.name.length === name.length && upcaseName(k.name) === want) ?? null;
    }
    return key;
  }

  /**
   * Yields `start` (the root by default) and every key below it, depth first in list order, each key once: a key
   * reached again (a cycle or a shared subtree) is flagged and not walked twice. Paths are hive-relative, joined by
   * backslashes, `startPath` ('' by default) for the start key. Subkeys are read when their parent is resumed.
   */
  *keys(start?: RegfKey, startPath = ''): Generator<WalkedKey> {
    const first = start ?? this.root();
    if (first === null) return;
    const seen = new Set<number>([first.offset]);
    const stack: WalkedKey[] = [{ key: first, path: startPath, depth: 0 }];
    let visited = 0;
    while (stack.length > 0) {
      const item = stack.pop()!;
      const { key, path, depth } = item;
      if (visited >= this.limits.maxWalkKeys) {
        this.found.add('REGF_WALK_LIMIT', `the walk stopped after ${this.limits.maxWalkKeys} keys`);
        return;
      }
      visited++;
      this.checkSecurity(key);
      yield item;
      if (key.subkeyCount === 0 && key.subkeyListOffset === NO_OFFSET) continue;
      if (depth >= this.limits.maxKeyDepth) {
        this.found.add('REGF_KEY_DEPTH', `keys below '${path}' are deeper than ${this.limits.maxKeyDepth} levels`, abs(key.offset));
        continue;
      }
      const children = this.subkeys(key);
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i]!;
        if (seen.has(child.offset)) {
          this.found.add('REGF_KEY_LOOP', `key '${child.name}' at ${hex(child.offset)} is reached again below '${path}'`, abs(child.offset));
          continue;
        }
        seen.add(child.offset);
        stack.push({ key: child, path: path === '' ? child.name : `${path}\\${child.name}`, depth: depth + 1 });
      }
    }
  }

  /** Calls `visit` for each key `keys()` yields; returns how many there were. */
  walk(visit: KeyVisitor, start?: RegfKey, startPath = ''): number {
    let n = 0;
    for (const { key, path, depth } of this.keys(start, startPath)) {
      visit(key, path, depth);
      n++;
    }
    return n;
  }

  // ---- cells and records ----

  /**
   * The cell at a relative offset, or null (with an anomaly placed at `from`, the field that holds the offset).
   * A free cell is returned too: Windows does not check allocation when it follows a pointer, and what a hostile
   * hive hides there is worth seeing.
   */
  private cell(rel: number, from: number): Cell | null {
    const at = HBINS_START + rel;
    if (rel === NO_OFFSET || at + 8 > this.cells.end) {
      this.found.add('REGF_OFFSET_OUT_OF_RANGE', `offset ${hex(rel)} is outside the hive bins`, from);
      return null;
    }
    if (rel % 4 !== 0) {
      this.found.add('REGF_OFFSET_NOT_CELL', `offset ${hex(rel)} is not at a cell boundary`, from);
      return null;
    }
    const state = cellState(this.cells, at);
    if (state === 'none') {
      this.found.add('REGF_OFFSET_NOT_CELL', `offset ${hex(rel)} does not start a cell`, from);
      return null;
    }
    if (state === 'free') this.found.add('REGF_CELL_UNALLOCATED', `offset ${hex(rel)} points to a free cell`, from);
    const size = Math.abs(this.dv.getInt32(at, true));
    return { start: at + 4, length: size - 4 };
  }

  private readKey(rel: number, from: number, isRoot: boolean): RegfKey | null {
    const cell = this.cell(rel, from);
    if (cell === null) return null;
    const s = cell.start;
    if (cell.length < 2 || this.dv.getUint16(s, true) !== SIG_NK) {
      this.found.add('REGF_KEY_SIGNATURE', `no key node at ${hex(rel)}`, s);
      return null;
    }
    if (cell.length < NK_FIXED_SIZE) {
      this.found.add('REGF_CELL_TOO_SMALL', `key node at ${hex(rel)} has a ${cell.length}-byte cell`, s);
      return null;
    }
    const dv = this.dv;
    const flags = dv.getUint16(s + 0x02, true);
    let nameLength = dv.getUint16(s + 0x48, true);
    if (NK_FIXED_SIZE + nameLength > cell.length) {
      this.found.add('REGF_KEY_NAME', `name of the key at ${hex(rel)} (${nameLength} bytes) runs past its cell`, s + 0x48);
      nameLength = cell.length - NK_FIXED_SIZE;
    }
    const compressedName = (flags & KEY_COMP_NAME) !== 0;
    const name = compressedName
      ? decodeLatin1(this.bytes, s + NK_FIXED_SIZE, nameLength)
      : decodeUtf16le(this.bytes, s + NK_FIXED_SIZE, nameLength);
    this.checkName(name, 'key', s, isRoot);
    return {
      offset: rel,
      name,
      flags,
      lastWritten: filetimeToIso(dv.getBigUint64(s + 0x04, true)),
      parentOffset: dv.getUint32(s + 0x10, true),
      subkeyCount: dv.getUint32(s + 0x14, true),
      valueCount: dv.getUint32(s + 0x24, true),
      subkeyListOffset: dv.getUint32(s + 0x1c, true),
      valueListOffset: dv.getUint32(s + 0x28, true),
      securityOffset: dv.getUint32(s + 0x2c, true),
      classNameOffset: dv.getUint32(s + 0x30, true),
      classNameLength: dv.getUint16(s + 0x4a, true),
      compressedName,
    };
  }

  private checkName(name: string, what: 'key' | 'value', at: number, isRoot: boolean): void {
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c === 0) {
        this.found.add('REGF_NAME_NUL', `${what} name ${JSON.stringify(name)} contains a NUL character`, at);
      } else if (c === 0x5c && what === 'key' && !isRoot) {
        this.found.add('REGF_KEY_NAME_BACKSLASH', `key name ${JSON.stringify(name)} contains a backslash`, at);
      }
    }
    if (what === 'key' && !isRoot && (name.length === 0 || name.length > MAX_KEY_NAME_CHARS)) {
      this.found.add('REGF_NAME_LENGTH', `key name of ${name.length} characters`, at);
    } else if (what === 'value' && name.length > MAX_VALUE_NAME_CHARS) {
      this.found.add('REGF_NAME_LENGTH', `value name of ${name.length} characters`, at);
    }
  }

  private readValue(rel: number, from: number): RegfValue | null {
    const cell = this.cell(rel, from);
    if (cell === null) return null;
    const s = cell.start;
    if (cell.length < 2 || this.dv.getUint16(s, true) !== SIG_VK) {
      this.found.add('REGF_VALUE_SIGNATURE', `no key value at ${hex(rel)}`, s);
      return null;
    }
    if (cell.length < VK_FIXED_SIZE) {
      this.found.add('REGF_CELL_TOO_SMALL', `key value at ${hex(rel)} has a ${cell.length}-byte cell`, s);
      return null;
    }
    const dv = this.dv;
    let nameLength = dv.getUint16(s + 0x02, true);
    const rawSize = dv.getUint32(s + 0x04, true);
    const flags = dv.getUint16(s + 0x10, true);
    if (VK_FIXED_SIZE + nameLength > cell.length) {
      this.found.add('REGF_VALUE_NAME', `name of the value at ${hex(rel)} (${nameLength} bytes) runs past its cell`, s + 0x02);
      nameLength = cell.length - VK_FIXED_SIZE;
    }
    const compressedName = (flags & VALUE_COMP_NAME) !== 0;
    const name = compressedName
      ? decodeLatin1(this.bytes, s + VK_FIXED_SIZE, nameLength)
      : decodeUtf16le(this.bytes, s + VK_FIXED_SIZE, nameLength);
    this.checkName(name, 'value', s, false);
    return {
      offset: rel,
      name,
      type: dv.getUint32(s + 0x0c, true),
      size: rawSize & 0x7fffffff,
      inline: (rawSize & 0x80000000) !== 0,
      dataOffset: dv.getUint32(s + 0x08, true),
      flags,
      compressedName,
    };
  }

  /** Data held in cells: one cell, or a big-data record's segments. */
  private dataCells(value: RegfValue, want: number, vkAt: number): Uint8Array {
    const cell = this.cell(value.dataOffset, vkAt + 8);
    if (cell === null) {
      this.found.add('REGF_VALUE_DATA', `data of value '${value.name}' at ${hex(value.dataOffset)} cannot be read`, vkAt + 8);
      return new Uint8Array(0);
    }
    const big =
      value.size > BIG_DATA_SEGMENT &&
      this.base.minorVersion > 3 &&
      cell.length >= DB_FIXED_SIZE &&
      cell.length < value.size &&
      this.dv.getUint16(cell.start, true) === SIG_DB;
    if (big) return this.bigData(value, cell, want);
    if (value.size > BIG_DATA_SEGMENT && this.base.minorVersion > 3 && cell.length >= value.size) {
      this.found.add('REGF_BIG_DATA_INLINE', `value '${value.name}' keeps ${value.size} bytes in one cell`, vkAt + 8);
    }
    if (value.size > cell.length) {
      this.found.add('REGF_VALUE_DATA', `data of value '${value.name}' (${value.size} bytes) runs past its ${cell.length}-byte cell`, vkAt + 4);
    }
    return this.bytes.subarray(cell.start, cell.start + Math.min(want, cell.length));
  }

  private bigData(value: RegfValue, db: Cell, want: number): Uint8Array {
    const at = db.start;
    const count = Math.min(this.dv.getUint16(at + 2, true), MAX_BIG_DATA_SEGMENTS);
    const bad = (why: string): void => this.found.add('REGF_BIG_DATA', `big data of value '${value.name}': ${why}`, at);
    const list = this.cell(this.dv.getUint32(at + 4, true), at + 4);
    if (list === null) {
      bad('its segment list cannot be read');
      return new Uint8Array(0);
    }
    let segments = count;
    if (segments * 4 > list.length) {
      bad(`the segment list holds ${list.length >>> 2} entries, the record declares ${count}`);
      segments = list.length >>> 2;
    }
    if (segments * BIG_DATA_SEGMENT < value.size) bad(`${segments} segments cannot hold ${value.size} bytes`);
    const out = new Uint8Array(Math.min(want, segments * BIG_DATA_SEGMENT));
    const used = new Set<number>();
    let filled = 0;
    for (let i = 0; i < segments && filled < out.length; i++) {
      const entryAt = list.start + 4 * i;
      const rel = this.dv.getUint32(entryAt, true);
      if (used.has(rel)) {
        bad(`segment ${i} repeats the cell at ${hex(rel)}`);
        break;
      }
      used.add(rel);
      const seg = this.cell(rel, entryAt);
      if (seg === null) {
        bad(`segment ${i} cannot be read`);
        break;
      }
      const take = Math.min(seg.length, BIG_DATA_SEGMENT, out.length - filled);
      if (take < Math.min(BIG_DATA_SEGMENT, out.length - filled)) bad(`segment ${i} has only ${seg.length} bytes`);
      out.set(this.bytes.subarray(seg.start, seg.start + take), filled);
      filled += take;
    }
    return filled === out.length ? out : out.subarray(0, filled);
  }

  /** Every entry of a key's subkey lists, following index roots to a bounded depth and never a list twice. */
  private subkeyEntries(key: RegfKey): ListEntry[] {
    const out: ListEntry[] = [];
    if (key.subkeyListOffset === NO_OFFSET) {
      if (key.subkeyCount !== 0) {
        this.found.add('REGF_SUBKEY_COUNT', `key '${key.name}' declares ${key.subkeyCount} subkeys and has no list`, abs(key.offset) + 0x14);
      }
      return out;
    }
    const seenLists = new Set<number>();
    this.readList(key, key.subkeyListOffset, abs(key.offset) + 0x1c, 0, seenLists, out);
    return out;
  }

  private readList(key: RegfKey, rel: number, from: number, depth: number, seen: Set<number>, out: ListEntry[]): void {
    if (seen.has(rel)) {
      this.found.add('REGF_LIST_LOOP', `subkey list at ${hex(rel)} of key '${key.name}' is reached twice`, from);
      return;
    }
    seen.add(rel);
    const cell = this.cell(rel, from);
    if (cell === null) return;
    if (cell.length < 4) {
      this.found.add('REGF_CELL_TOO_SMALL', `subkey list at ${hex(rel)} has a ${cell.length}-byte cell`, cell.start);
      return;
    }
    const sig = this.dv.getUint16(cell.start, true);
    let count = this.dv.getUint16(cell.start + 2, true);
    const width = sig === SIG_LF || sig === SIG_LH ? 8 : 4;
    if (sig !== SIG_LI && sig !== SIG_LF && sig !== SIG_LH && sig !== SIG_RI) {
      this.found.add('REGF_SUBKEY_LIST', `subkey list at ${hex(rel)} of key '${key.name}' has signature ${hex(sig)}`, cell.start);
      return;
    }
    if (4 + count * width > cell.length) {
      this.found.add('REGF_SUBKEY_LIST', `subkey list at ${hex(rel)} declares ${count} entries and holds ${(cell.length - 4) / width | 0}`, cell.start);
      count = ((cell.length - 4) / width) | 0;
    }
    if (sig === SIG_RI) {
      if (depth > 0) this.found.add('REGF_RI_NESTED', `index root at ${hex(rel)} sits inside another index root`, cell.start);
      if (depth >= this.limits.maxRiDepth) {
        this.found.add('REGF_RI_DEPTH', `index roots of key '${key.name}' nest deeper than ${this.limits.maxRiDepth}`, cell.start);
        return;
      }
      for (let i = 0; i < count; i++) {
        if (out.length >= this.limits.maxSubkeysPerKey) {
          this.found.add('REGF_SUBKEY_LIMIT', `key '${key.name}' has more than ${this.limits.maxSubkeysPerKey} subkeys; the rest were not read`, cell.start);
          return;
        }
        const at = cell.start + 4 + 4 * i;
        this.readList(key, this.dv.getUint32(at, true), at, depth + 1, seen, out);
      }
      return;
    }
    const kind = sig === SIG_LI ? 'li' : sig === SIG_LF ? 'lf' : 'lh';
    for (let i = 0; i < count; i++) {
      if (out.length >= this.limits.maxSubkeysPerKey) {
        this.found.add('REGF_SUBKEY_LIMIT', `key '${key.name}' has more than ${this.limits.maxSubkeysPerKey} subkeys; the rest were not read`, cell.start);
        return;
      }
      const at = cell.start + 4 + width * i;
      out.push({ offset: this.dv.getUint32(at, true), at, kind, check: width === 8 ? this.dv.getUint32(at + 4, true) : 0 });
    }
  }

  /** Compares an lh hash or lf hint with the key's name; a mismatch hides the key from Windows' lookups by name. */
  private checkEntry(e: ListEntry, child: RegfKey): void {
    if (e.kind === 'lh') {
      const want = lhHash(child.name);
      if (want !== e.check) {
        this.found.add('REGF_SUBKEY_HASH', `hash ${hex(e.check)} in the list does not match key '${child.name}' (${hex(want)})`, e.at + 4);
      }
    } else if (e.kind === 'lf') {
      const hint = lfHint(child.name);
      // A name that is not Latin-1 in its first characters has no defined hint; only Latin-1 names are checked.
      for (let i = 0; i < Math.min(4, child.name.length); i++) if (child.name.charCodeAt(i) > 0xff) return;
      for (let i = 0; i < 4; i++) {
        const stored = (e.check >>> (8 * i)) & 0xff;
        if (upcaseUnit(stored) !== upcaseUnit(hint[i]!)) {
          this.found.add('REGF_SUBKEY_HASH', `name hint in the list does not match key '${child.name}'`, e.at + 4);
          return;
        }
      }
    }
  }
}

/** Absolute file offset of a cell's data, from its offset relative to the first hive bin. */
function abs(rel: number): number {
  return HBINS_START + rel + 4;
}
