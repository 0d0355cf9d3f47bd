// The IOC contract: indicators parsed from lists, matched against a sample's hashes, names, contents and hives.

import type { IocHit, IocType } from '../../core/findings.js';

export interface Indicator {
  type: IocType;
  /** As written in the list (a hash in lower case, a regex source, a domain...). */
  value: string;
  score: number;
  description?: string;
  /** The list file and line it came from. */
  list: string;
  line: number;
  /** For filename/path indicators: a regex that, when it also matches, marks a false positive (Loki's third field). */
  falsePositive?: string;
}

/** The list formats read, told apart by content (see parse.ts). */
export type IocFormat = 'firebreak' | 'loki-hash' | 'loki-filename' | 'loki-c2' | 'stix';

/** A line of a list that was left out, with why: Python regex syntax JS lacks, a malformed Loki line, an unsupported STIX pattern. */
export interface IocWarning {
  list: string;
  line: number;
  message: string;
}

/** One parsed list: plain data, so a worker thread can build its own IocSet from it. */
export interface IocList {
  name: string;
  format: IocFormat;
  indicators: Indicator[];
  warnings: IocWarning[];
}

/** The hash indicator types, in the order they are matched. */
export const HASH_TYPES = ['md5', 'sha1', 'sha256'] as const;
export type HashType = (typeof HASH_TYPES)[number];

/**
 * What the IOC matcher sees of one sample. Only the hash types of `IocSet.hashTypes` are read (getters are fine:
 * a sweep computes hashes on first read); a hash left out is not matched.
 */
export interface IocSubject {
  /** Display path (used by filename: and path: indicators). */
  path: string;
  /** Other names of the same file, also tested by filename: indicators (a FAT entry's 8.3 name). */
  altNames?: readonly string[];
  md5?: string;
  sha1?: string;
  sha256?: string;
  /** File contents, for string/domain/ip indicators (ASCII and UTF-16LE). */
  bytes?: Uint8Array;
}

/**
 * A registry hive as the IOC matcher sees it, built from formats/regf. Key paths are full Windows paths with the
 * hive's mount point, as indicators are written: `HKLM\SYSTEM\CurrentControlSet\Control\TimeZoneInformation`,
 * `HKLM\SOFTWARE\...`, `HKU\<user>\...` for NTUSER.DAT. In a SYSTEM hive the current control set (from
 * `Select\Current`) is visited under the `CurrentControlSet` alias as well as under its `ControlSet00N` name.
 */
export interface HiveView {
  /** Path of the hive file, for the hit's `why`. */
  name: string;
  /** Calls `visit` for every value: full key path, value name ('' for the default value), data rendered as text. */
  forEachValue(visit: (keyPath: string, valueName: string, data: string) => void): void;
  /** Calls `visit` for every full key path. */
  forEachKey(visit: (keyPath: string) => void): void;
}

export interface IocSet {
  readonly count: number;
  readonly lists: string[];
  /** The hash types some indicator has: the only hashes `match` reads. */
  readonly hashTypes: ReadonlySet<HashType>;
  match(subject: IocSubject): IocHit[];
  matchHive(hive: HiveView): IocHit[];
}
