// The stable anomaly codes of the regf parser, each with its severity and a plain summary (docs/hive.md lists them).

import { AnomalyList, type Anomaly, type Severity } from '../../core/anomaly.js';
import { MAX_ANOMALIES } from './constants.js';

interface CodeInfo {
  severity: Severity;
  summary: string;
}

/** Never rename a code once published; add new ones at the end. */
export const REGF_ANOMALY_CODES = {
  REGF_BASE_BLOCK_TRUNCATED: { severity: 'high', summary: 'the file is shorter than the 4 KiB base block' },
  REGF_BAD_CHECKSUM: { severity: 'medium', summary: 'the base block checksum does not match its contents' },
  REGF_DIRTY: {
    severity: 'low',
    summary: 'the sequence numbers differ: the hive was not cleanly written and recent changes may sit in its .LOG1/.LOG2 files',
  },
  REGF_VERSION: { severity: 'medium', summary: 'the format version is not 1.2 to 1.6' },
  REGF_NOT_PRIMARY: { severity: 'medium', summary: 'the file type is not a primary hive (a transaction log or alternate file)' },
  REGF_FORMAT: { severity: 'low', summary: 'the file format field is not 1 (direct memory load)' },
  REGF_HBINS_SIZE: { severity: 'medium', summary: 'the hive bins data size is zero or not a multiple of 4096' },
  REGF_TRUNCATED: { severity: 'high', summary: 'the hive bins data runs past the end of the file' },
  REGF_TRAILING_DATA: { severity: 'info', summary: 'the file holds bytes after the hive bins data' },
  REGF_HBIN_SIGNATURE: { severity: 'high', summary: 'no hbin header where a hive bin should start; the parser skipped ahead' },
  REGF_HBIN_OFFSET: { severity: 'medium', summary: "a hive bin's offset field disagrees with its position" },
  REGF_HBIN_SIZE: { severity: 'high', summary: 'a hive bin size is zero, not a multiple of 4096, or runs past the hive' },
  REGF_CELL_SIZE: { severity: 'high', summary: 'a cell size is zero, not a multiple of 4, or runs past its hive bin' },
  REGF_CELL_UNALIGNED: { severity: 'low', summary: 'a cell size is a multiple of 4 but not of 8' },
  REGF_OFFSET_OUT_OF_RANGE: { severity: 'high', summary: 'a record points outside the hive bins' },
  REGF_OFFSET_NOT_CELL: { severity: 'high', summary: 'a record points into the middle of a cell, or into a damaged hive bin' },
  REGF_CELL_UNALLOCATED: { severity: 'medium', summary: 'a record points to an unallocated (free) cell; it was read anyway' },
  REGF_CELL_TOO_SMALL: { severity: 'high', summary: 'a cell is too small for the record it should hold' },
  REGF_ROOT: { severity: 'high', summary: 'the root cell offset does not lead to a key node' },
  REGF_ROOT_FLAGS: { severity: 'low', summary: 'the root key lacks the hive-entry flag' },
  REGF_KEY_SIGNATURE: { severity: 'high', summary: 'a key node (nk) was expected and not found' },
  REGF_KEY_NAME: { severity: 'high', summary: 'a key name runs past its cell' },
  REGF_NAME_LENGTH: { severity: 'low', summary: 'a key name is empty or over 255 characters, or a value name is over 16,383' },
  REGF_NAME_NUL: {
    severity: 'high',
    summary: 'a key or value name contains a NUL character: the Win32 API can neither see nor open it, a known hiding trick',
  },
  REGF_KEY_PARENT: { severity: 'low', summary: "a key's parent field does not point to the key it is listed under" },
  REGF_KEY_LOOP: { severity: 'high', summary: 'a key was reached a second time (a cycle or a shared subtree); it was not walked again' },
  REGF_KEY_DEPTH: { severity: 'medium', summary: 'the key tree is deeper than the depth limit; deeper keys were not walked' },
  REGF_WALK_LIMIT: { severity: 'medium', summary: 'the walk reached its key limit; the remaining keys were not walked' },
  REGF_SUBKEY_LIST: { severity: 'high', summary: 'a subkey list has an unknown signature or runs past its cell' },
  REGF_SUBKEY_COUNT: { severity: 'medium', summary: "a key's subkey count disagrees with its subkey lists" },
  REGF_SUBKEY_LIMIT: { severity: 'medium', summary: 'a key has more subkeys than the per-key limit; the rest were not read' },
  REGF_RI_NESTED: { severity: 'low', summary: 'an index root points to another index root (the format allows one level)' },
  REGF_RI_DEPTH: { severity: 'medium', summary: 'index roots are nested deeper than the limit; deeper lists were not read' },
  REGF_LIST_LOOP: { severity: 'high', summary: "a subkey list was reached twice within one key's lists (a cycle)" },
  REGF_SUBKEY_HASH: {
    severity: 'medium',
    summary: "a subkey list's name hash or hint does not match the key name: Windows lookups by name miss the key",
  },
  REGF_SUBKEY_ORDER: {
    severity: 'medium',
    summary: "subkeys are not in ascending name order or repeat a name: Windows' binary search can miss keys",
  },
  REGF_CLASS_NAME: { severity: 'low', summary: "a key's class name runs outside its cell" },
  REGF_SECURITY: { severity: 'low', summary: "a key's security offset does not lead to a security (sk) record" },
  REGF_VALUE_LIST: { severity: 'high', summary: 'a value list is out of range or shorter than its count' },
  REGF_VALUE_LIMIT: { severity: 'medium', summary: 'a key has more values than the per-key limit; the rest were not read' },
  REGF_VALUE_SIGNATURE: { severity: 'high', summary: 'a key value (vk) was expected and not found' },
  REGF_VALUE_NAME: { severity: 'high', summary: 'a value name runs past its cell' },
  REGF_VALUE_DUPLICATE: { severity: 'medium', summary: 'two values of one key have the same name' },
  REGF_VALUE_DATA: { severity: 'high', summary: "a value's data offset is bad or its data runs past its cell" },
  REGF_VALUE_DATA_SIZE: { severity: 'low', summary: "a value's size does not suit its type (a REG_DWORD that is not 4 bytes)" },
  REGF_VALUE_DATA_LIMIT: { severity: 'medium', summary: "a value's data was cut at the per-value limit" },
  REGF_BIG_DATA: { severity: 'high', summary: 'a big-data (db) record is malformed: segment count, segment list or segments' },
  REGF_BIG_DATA_INLINE: {
    severity: 'info',
    summary: 'data over 16,344 bytes sits in one cell of a version 1.4+ hive (hivex writes these; Windows expects a db record)',
  },
  REGF_DATA_BUDGET: { severity: 'medium', summary: "the hive's value-data budget ran out; further data was not read" },
  REGF_KEY_NAME_BACKSLASH: {
    severity: 'medium',
    summary: 'a key name contains a backslash, which Windows forbids: its path reads as deeper than it is',
  },
} as const satisfies Record<string, CodeInfo>;

export type RegfAnomalyCode = keyof typeof REGF_ANOMALY_CODES;

/** Collects anomalies once per (code, offset), so walking a key twice does not repeat them. */
export class RegfAnomalies {
  private readonly list = new AnomalyList(MAX_ANOMALIES);
  private readonly seen = new Set<string>();

  add(code: RegfAnomalyCode, message: string, offset?: number): void {
    const key = offset === undefined ? code : `${code}@${offset}`;
    if (this.seen.has(key)) return;
    if (this.list.items.length < this.list.limit) this.seen.add(key);
    this.list.add(code, REGF_ANOMALY_CODES[code].severity, message, offset);
  }

  get items(): readonly Anomaly[] {
    return this.list.items;
  }

  get dropped(): number {
    return this.list.dropped;
  }

  has(code: RegfAnomalyCode): boolean {
    return this.list.items.some((a) => a.code === code);
  }
}
