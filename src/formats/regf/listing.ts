// The data behind `firebreak hive`: a hive's summary and its keys with values, as plain objects, produced lazily.

import type { Anomaly } from '../../core/anomaly.js';
import { FirebreakError } from '../../core/errors.js';
import { regTypeName } from './constants.js';
import type { RegfHive, RegfKey } from './hive.js';
import { identifyHive, type HiveIdentity } from './identify.js';
import { parseRegf } from './parse.js';
import { HivePaths } from './paths.js';

export interface HiveSummary {
  kind: HiveIdentity['kind'];
  mountPoint: string;
  user?: string;
  currentControlSet?: string;
  evidence: string[];
  rootName: string | null;
  version: string;
  sequence: [number, number];
  dirty: boolean;
  checksumValid: boolean;
  lastWritten: string | null;
  /** The base block's file-name field. */
  fileName: string;
  size: number;
  hbins: number;
  allocatedCells: number;
  freeCells: number;
  freeBytes: number;
}

export interface ListedValue {
  /** '' for the default value. */
  name: string;
  type: number;
  typeName: string;
  /** Declared size in bytes. */
  size: number;
  /** The data as text (see valueText): the same text IOC data-regexes match. */
  data: string;
  /** Present when fewer bytes than declared could be read. */
  truncated?: true;
}

export interface ListedKey {
  /** Full Windows path under the hive's mount point. */
  path: string;
  name: string;
  lastWritten: string | null;
  className: string | null;
  flags: number;
  subkeyCount: number;
  values: ListedValue[];
  /** The immediate subkeys, when the listing is not recursive. */
  subkeys?: { name: string; lastWritten: string | null }[];
}

export interface ListOptions {
  /** Path the bytes came from: names the input in errors and hints the hive's kind. */
  path: string;
  /** Key to list: a full Windows path or a hive-relative one; the root when absent. */
  key?: string;
  /** List every key below it too. */
  recursive?: boolean;
  /** Mount point to use instead of the one the hive's kind implies. */
  mountPoint?: string;
  /** Longest data rendered per value, in bytes. */
  maxDataBytes?: number;
}

export interface HiveListing {
  summary: HiveSummary;
  /** The listed keys in walk order; anomalies grow as this is consumed. */
  keys(): Generator<ListedKey>;
  anomalies(): { items: readonly Anomaly[]; dropped: number };
}

/** Default cap on bytes rendered per value in a listing. */
export const LIST_DATA_BYTES = 1024 * 1024;

/**
 * Opens a hive for listing. Throws FirebreakError E_INPUT_MALFORMED when the bytes are not a regf hive (or have
 * no readable root) and E_INPUT_NOT_FOUND when the asked-for key is not in it.
 */
export function openHiveListing(bytes: Uint8Array, options: ListOptions): HiveListing {
  const parsed = parseRegf(bytes);
  if (!parsed.isRegf) throw new FirebreakError('E_INPUT_MALFORMED', `not a registry hive: ${parsed.reason}`, { input: options.path });
  const hive = parsed;
  const root = hive.root();
  if (root === null) {
    throw new FirebreakError('E_INPUT_MALFORMED', 'registry hive has no readable root key', { input: options.path, offset: 0x24 });
  }
  const identity = identifyHive(hive, options.mountPoint === undefined ? { path: options.path } : { path: options.path, mountPoint: options.mountPoint });
  const paths = new HivePaths(identity);
  let start = root;
  let startRel = '';
  if (options.key !== undefined) {
    const names = paths.toRelative(options.key);
    if (names === null) {
      throw new FirebreakError(
        'E_INPUT_NOT_FOUND',
        `key ${options.key} is outside this hive (${identity.kind}, mounted at ${identity.mountPoint})`,
        { input: options.path },
      );
    }
    const found = hive.findKey(names);
    if (found === null) throw new FirebreakError('E_INPUT_NOT_FOUND', `key not found: ${options.key}`, { input: options.path });
    start = found;
    startRel = pathOf(hive, names);
  }
  const maxData = options.maxDataBytes ?? LIST_DATA_BYTES;
  const summary = summarize(hive, identity, root);
  const full = (rel: string) => (rel === '' ? identity.mountPoint : `${identity.mountPoint}\\${rel}`);

  function listKey(key: RegfKey, rel: string, withSubkeys: boolean): ListedKey {
    const listed: ListedKey = {
      path: full(rel),
      name: key.name,
      lastWritten: key.lastWritten,
      className: hive.className(key),
      flags: key.flags,
      subkeyCount: key.subkeyCount,
      values: hive.values(key).map((v) => {
        const r = hive.render(v, maxData);
        const lv: ListedValue = { name: v.name, type: v.type, typeName: regTypeName(v.type), size: v.size, data: r.text };
        if (r.truncated) lv.truncated = true;
        return lv;
      }),
    };
    if (withSubkeys) listed.subkeys = hive.subkeys(key).map((k) => ({ name: k.name, lastWritten: k.lastWritten }));
    return listed;
  }

  return {
    summary,
    *keys(): Generator<ListedKey> {
      if (!options.recursive) {
        yield listKey(start, startRel, true);
        return;
      }
      for (const { key, path } of hive.keys(start, startRel)) yield listKey(key, path, false);
    },
    anomalies: () => ({ items: hive.anomalies, dropped: hive.anomaliesDropped }),
  };
}

/** The hive-relative path of found names, spelled as the hive spells them. */
function pathOf(hive: RegfHive, names: readonly string[]): string {
  const spelled: string[] = [];
  for (let i = 1; i <= names.length; i++) spelled.push(hive.findKey(names.slice(0, i))!.name);
  return spelled.join('\\');
}

function summarize(hive: RegfHive, identity: HiveIdentity, root: RegfKey): HiveSummary {
  const b = hive.base;
  const s: HiveSummary = {
    kind: identity.kind,
    mountPoint: identity.mountPoint,
    evidence: identity.evidence,
    rootName: root.name,
    version: `${b.majorVersion}.${b.minorVersion}`,
    sequence: [b.primarySequence, b.secondarySequence],
    dirty: b.dirty,
    checksumValid: b.checksumValid,
    lastWritten: b.lastWritten,
    fileName: b.fileName,
    size: hive.bytes.length,
    hbins: hive.cells.hbins,
    allocatedCells: hive.cells.allocatedCells,
    freeCells: hive.cells.freeCells,
    freeBytes: hive.cells.freeBytes,
  };
  if (identity.user !== undefined) s.user = identity.user;
  if (identity.currentControlSet !== undefined) s.currentControlSet = identity.currentControlSet;
  return s;
}
