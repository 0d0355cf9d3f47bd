// Fixed numbers of the regf format and the named limits the parser holds hostile hives to.

/** The base block ("file header") is one 4 KiB page; hive bins start right after it. */
export const BASE_BLOCK_SIZE = 0x1000;
/** Every offset stored in a hive is relative to the first hive bin. */
export const HBINS_START = BASE_BLOCK_SIZE;
export const HBIN_HEADER_SIZE = 0x20;
/** Hive bins are multiples of this size. */
export const HBIN_ALIGN = 0x1000;
/** An offset that points nowhere. */
export const NO_OFFSET = 0xffffffff;
/** Largest data segment of a big-data (db) record, and the size above which a value uses one (minor version > 3). */
export const BIG_DATA_SEGMENT = 16344;
/** Sizes of the fixed parts of records, from the start of the cell data. */
export const NK_FIXED_SIZE = 0x4c;
export const VK_FIXED_SIZE = 0x14;
export const SK_FIXED_SIZE = 0x14;
export const DB_FIXED_SIZE = 0x08;

/** Key node flags (msuhanov, "Windows registry file format specification", Key node / Flags). */
export const KEY_VOLATILE = 0x0001;
export const KEY_HIVE_EXIT = 0x0002;
export const KEY_HIVE_ENTRY = 0x0004;
export const KEY_NO_DELETE = 0x0008;
export const KEY_SYM_LINK = 0x0010;
export const KEY_COMP_NAME = 0x0020;
export const KEY_PREDEF_HANDLE = 0x0040;
/** Key value flag: the name is stored one byte per character (Latin-1). */
export const VALUE_COMP_NAME = 0x0001;
export const VALUE_TOMBSTONE = 0x0002;

/** Value data types. Other numbers occur in the wild and are kept as they are. */
export const REG_NONE = 0;
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_DWORD_BIG_ENDIAN = 5;
export const REG_LINK = 6;
export const REG_MULTI_SZ = 7;
export const REG_RESOURCE_LIST = 8;
export const REG_FULL_RESOURCE_DESCRIPTOR = 9;
export const REG_RESOURCE_REQUIREMENTS_LIST = 10;
export const REG_QWORD = 11;

export const REG_TYPE_NAMES: Readonly<Record<number, string>> = {
  [REG_NONE]: 'REG_NONE',
  [REG_SZ]: 'REG_SZ',
  [REG_EXPAND_SZ]: 'REG_EXPAND_SZ',
  [REG_BINARY]: 'REG_BINARY',
  [REG_DWORD]: 'REG_DWORD',
  [REG_DWORD_BIG_ENDIAN]: 'REG_DWORD_BIG_ENDIAN',
  [REG_LINK]: 'REG_LINK',
  [REG_MULTI_SZ]: 'REG_MULTI_SZ',
  [REG_RESOURCE_LIST]: 'REG_RESOURCE_LIST',
  [REG_FULL_RESOURCE_DESCRIPTOR]: 'REG_FULL_RESOURCE_DESCRIPTOR',
  [REG_RESOURCE_REQUIREMENTS_LIST]: 'REG_RESOURCE_REQUIREMENTS_LIST',
  [REG_QWORD]: 'REG_QWORD',
};

/** `REG_SZ`..., or `0x<hex>` for a type Windows does not define. */
export function regTypeName(type: number): string {
  return REG_TYPE_NAMES[type] ?? `0x${type.toString(16)}`;
}

// ---- Limits. Each bounds work or memory that a hostile hive could otherwise make unbounded. ----

/** Key tree depth; Windows itself refuses more than 512 levels. */
export const MAX_KEY_DEPTH = 512;
/** Subkeys read for one key (all lists of an ri together). Real keys stay far below (HKCR has ~10^4). */
export const MAX_SUBKEYS_PER_KEY = 500_000;
/** Values read for one key. */
export const MAX_VALUES_PER_KEY = 500_000;
/** Nesting of index roots: the format allows one level (ri -> leaf); we follow a few more and flag them. */
export const MAX_RI_DEPTH = 4;
/** Keys one walk visits; each key is visited once anyway, this caps the walk on a hive made of nothing but keys. */
export const MAX_WALK_KEYS = 10_000_000;
/** Data bytes returned for one value; longer data is cut and flagged. */
export const MAX_VALUE_BYTES = 64 * 1024 * 1024;
/** Segments of one big-data record (the on-disk count is 16 bits, so this is the format's own bound). */
export const MAX_BIG_DATA_SEGMENTS = 0xffff;
/**
 * Total value-data bytes one parsed hive hands out, as a multiple of its size plus a floor. Values may share
 * cells, so without this a small hive could make renderers decode the same megabytes millions of times.
 */
export const DATA_BUDGET_FACTOR = 8;
export const DATA_BUDGET_FLOOR = 64 * 1024 * 1024;
/** Anomalies kept per hive (the rest are counted as dropped). */
export const MAX_ANOMALIES = 1000;
/** Key names longer than this (in characters) are flagged; Windows allows 255. */
export const MAX_KEY_NAME_CHARS = 255;
/** Value names longer than this (in characters) are flagged; Windows allows 16,383. */
export const MAX_VALUE_NAME_CHARS = 16383;

/** The limits above as one object, so a caller (or a test) can tighten them for one parse. */
export interface RegfLimits {
  maxKeyDepth: number;
  maxSubkeysPerKey: number;
  maxValuesPerKey: number;
  maxRiDepth: number;
  maxWalkKeys: number;
  maxValueBytes: number;
  /** Total value-data bytes handed out; by default DATA_BUDGET_FACTOR x the hive's size + DATA_BUDGET_FLOOR. */
  dataBudget?: number;
}

export const DEFAULT_LIMITS: Readonly<RegfLimits> = {
  maxKeyDepth: MAX_KEY_DEPTH,
  maxSubkeysPerKey: MAX_SUBKEYS_PER_KEY,
  maxValuesPerKey: MAX_VALUES_PER_KEY,
  maxRiDepth: MAX_RI_DEPTH,
  maxWalkKeys: MAX_WALK_KEYS,
  maxValueBytes: MAX_VALUE_BYTES,
};
