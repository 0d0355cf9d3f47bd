// Turns a parsed regf hive into the HiveView the IOC matcher walks: full Windows paths under the hive's mount point,
// every key and value also under its aliases (CurrentControlSet, HKCU, HKCR), data as text.

import {
  HivePaths,
  identifyHive,
  type HiveIdentity,
  type RegfHive,
} from '../../formats/regf/index.js';
import type { HiveView } from './types.js';

/**
 * Value data rendered per value for matching, in bytes. Indicators match names, paths and strings such as a
 * ServiceDll; a megabyte of binary data as hex is already more than a data-regex should scan.
 */
export const HIVE_VIEW_DATA_BYTES = 1024 * 1024;

export interface HiveViewOptions {
  /** Path of the hive file, shown in hits; also hints the hive's kind when its structure does not tell. */
  name: string;
  /** Mount point to use instead of the one the hive's kind implies (e.g. `HKU\S-1-5-21-...` for a user hive). */
  mountPoint?: string;
  /** Visit keys under their aliases too (default true). */
  aliases?: boolean;
}

export interface RegfHiveView extends HiveView {
  readonly identity: HiveIdentity;
}

/**
 * A HiveView over a parsed hive. Key paths: `<mount point>\<hive-relative path>`, the root itself as the mount
 * point; then each alias whose prefix covers the key (`HKLM\SYSTEM\CurrentControlSet\...` for the control set
 * `Select\Current` names, `HKCU\...` for NTUSER.DAT, `HKCR\...` for SOFTWARE\Classes and USRCLASS.DAT). Value names
 * are as stored, '' for the default value; data is the text `firebreak hive --format json` shows.
 */
export function createHiveView(hive: RegfHive, options: HiveViewOptions): RegfHiveView {
  const identity = identifyHive(
    hive,
    options.mountPoint === undefined ? { path: options.name } : { path: options.name, mountPoint: options.mountPoint },
  );
  const paths = new HivePaths(options.aliases === false ? { ...identity, aliases: [] } : identity);
  return {
    name: options.name,
    identity,
    forEachKey(visit) {
      for (const { path } of hive.keys()) for (const full of paths.fullPaths(path)) visit(full);
    },
    forEachValue(visit) {
      for (const { key, path } of hive.keys()) {
        if (key.valueCount === 0) continue;
        const values = hive.values(key);
        if (values.length === 0) continue;
        const fulls = paths.fullPaths(path);
        for (const v of values) {
          const data = hive.text(v, HIVE_VIEW_DATA_BYTES);
          for (const full of fulls) visit(full, v.name, data);
        }
      }
    },
  };
}
