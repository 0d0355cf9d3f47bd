// Turns a parsed regf hive into the HiveView the IOC matcher walks: full Windows paths under the hive's mount point,
// every key and value also under its aliases (CurrentControlSet, HKCU, HKCR), data as text.

import type { Anomaly } from '../../core/anomaly.js';
import type { IocHit } from '../../core/findings.js';
import {
  HivePaths,
  identifyHive,
  parseRegf,
  type HiveIdentity,
  type HiveKind,
  type RegfHive,
} from '../../formats/regf/index.js';
import type { HiveView, IocSet } from './types.js';

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
  /** The hive's identity when the caller already worked it out (otherwise identified here, `name` as the hint). */
  identity?: HiveIdentity;
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
  const identity =
    options.identity ??
    identifyHive(hive, options.mountPoint === undefined ? { path: options.name } : { path: options.name, mountPoint: options.mountPoint });
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

export interface HiveBytesMatch {
  /** False for bytes that are not a primary regf hive (no signature, or a transaction log). */
  isHive: boolean;
  kind?: HiveKind;
  hits: IocHit[];
  /** The hive's structural anomalies, severity low and above (info notes such as trailing padding left out). */
  anomalies: Anomaly[];
}

/**
 * Matches the IOC set's regkey/regvalue indicators against a hive file's bytes, and collects its anomalies (the
 * whole tree is walked even when the set has no registry indicators, so damage and hiding tricks such as NUL in
 * names are reported either way). The hive is identified from its bytes alone and hits name it by kind
 * (`in hive SYSTEM`), so the result depends on the bytes only and can be cached by content.
 */
export function matchHiveBytes(iocs: IocSet, bytes: Uint8Array): HiveBytesMatch {
  const hive = parseRegf(bytes);
  if (!hive.isRegf || hive.base.fileType !== 0) return { isHive: false, hits: [], anomalies: [] };
  const identity = identifyHive(hive);
  const view = createHiveView(hive, { name: identity.kind, identity });
  let walkedValues = false;
  const hits = iocs.matchHive({
    name: view.name,
    forEachKey: (visit) => view.forEachKey(visit),
    forEachValue: (visit) => {
      walkedValues = true;
      view.forEachValue(visit);
    },
  });
  if (!walkedValues) for (const { key } of hive.keys()) hive.values(key);
  return { isHive: true, kind: identity.kind, hits, anomalies: hive.anomalies.filter((a) => a.severity !== 'info') };
}
