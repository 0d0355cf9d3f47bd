// Which hive a file is (SYSTEM, SOFTWARE, NTUSER.DAT...), where Windows mounts it, and the aliases its keys go by.

import type { RegfHive, RegfKey } from './hive.js';
import { REG_DWORD } from './constants.js';
import { upcaseName } from './text.js';

export type HiveKind =
  | 'SYSTEM'
  | 'SOFTWARE'
  | 'SAM'
  | 'SECURITY'
  | 'DEFAULT'
  | 'NTUSER.DAT'
  | 'USRCLASS.DAT'
  | 'COMPONENTS'
  | 'DRIVERS'
  | 'BCD'
  | 'UNKNOWN';

/** A second name for part of the hive: keys at hive-relative `prefix` are also known as `alias`. */
export interface HiveAlias {
  /** Hive-relative key path, '' for the whole hive. */
  prefix: string;
  /** Full Windows path, e.g. `HKLM\SYSTEM\CurrentControlSet` or `HKCU`. */
  alias: string;
}

export interface HiveIdentity {
  kind: HiveKind;
  /** Full Windows path of the hive's root key: `HKLM\SYSTEM`, `HKU\alice`... */
  mountPoint: string;
  aliases: HiveAlias[];
  /** For user hives: the user named by the hive's file-name field or the caller's path, when either names one. */
  user?: string;
  /** In a SYSTEM hive: the control set `Select\Current` names, e.g. `ControlSet001`. */
  currentControlSet?: string;
  /** How the kind was decided, for a person. */
  evidence: string[];
}

export interface IdentifyOptions {
  /** The path the hive was read from; its file name and any `Users\<name>` part are used as hints. */
  path?: string;
  /** Use this mount point whatever the hive turns out to be. */
  mountPoint?: string;
}

/** Used when a user hive does not say whose it is. */
export const UNKNOWN_USER = 'USER';
/** Mount point of a hive of unknown kind: a pseudo-root, so paths still read as full paths. */
export const UNKNOWN_MOUNT = 'HIVE';

const MOUNTS: Record<Exclude<HiveKind, 'NTUSER.DAT' | 'USRCLASS.DAT'>, string> = {
  SYSTEM: 'HKLM\\SYSTEM',
  SOFTWARE: 'HKLM\\SOFTWARE',
  SAM: 'HKLM\\SAM',
  SECURITY: 'HKLM\\SECURITY',
  DEFAULT: 'HKU\\.DEFAULT',
  COMPONENTS: 'HKLM\\COMPONENTS',
  DRIVERS: 'HKLM\\DRIVERS',
  BCD: 'HKLM\\BCD00000000',
  UNKNOWN: UNKNOWN_MOUNT,
};

/** File names Windows gives each hive (upper-cased), and the suffixes copies often carry. */
const FILE_NAMES: Record<string, HiveKind> = {
  SYSTEM: 'SYSTEM',
  SOFTWARE: 'SOFTWARE',
  SAM: 'SAM',
  SECURITY: 'SECURITY',
  DEFAULT: 'DEFAULT',
  'NTUSER.DAT': 'NTUSER.DAT',
  'USRCLASS.DAT': 'USRCLASS.DAT',
  COMPONENTS: 'COMPONENTS',
  DRIVERS: 'DRIVERS',
  BCD: 'BCD',
  'BCD-TEMPLATE': 'BCD',
};
const COPY_SUFFIX = /\.(hiv|hive|sav|bak|old|copy|reg)$/i;

/** The kind a file name suggests: `\SystemRoot\System32\Config\SYSTEM`, `C:/x/NTUSER.DAT`, `system.hiv`... */
export function kindFromFileName(path: string): HiveKind | undefined {
  const base = upcaseName(path.split(/[\\/]/).pop() ?? '');
  return FILE_NAMES[base] ?? FILE_NAMES[base.replace(COPY_SUFFIX, '')];
}

/** The `<name>` of a `...\Users\<name>\...` or `...\Documents and Settings\<name>\...` path. */
export function userFromPath(path: string): string | undefined {
  const parts = path.split(/[\\/]/);
  for (let i = 0; i + 1 < parts.length; i++) {
    const p = parts[i]!.toUpperCase();
    if ((p === 'USERS' || p === 'DOCUMENTS AND SETTINGS') && parts[i + 1] !== '' && i + 2 < parts.length) return parts[i + 1];
  }
  return undefined;
}

/** The kind the root's subkeys point to, with the reason, or undefined when they fit no known hive. */
function kindFromStructure(hive: RegfHive, root: RegfKey): { kind: HiveKind; why: string } | undefined {
  const names = new Set(hive.subkeys(root).map((k) => upcaseName(k.name)));
  const has = (...n: string[]) => n.every((x) => names.has(x));
  const any = (...n: string[]) => n.some((x) => names.has(x));
  if (names.has('SELECT') && [...names].some((n) => /^CONTROLSET\d{3}$/.test(n))) {
    return { kind: 'SYSTEM', why: 'root has Select and ControlSet00N' };
  }
  if (names.has('POLICY') && any('RXACT', 'CACHE')) return { kind: 'SECURITY', why: 'root has Policy and RXACT/Cache' };
  if (names.has('SAM') && !names.has('POLICY') && hive.findKey(['SAM', 'Domains']) !== null) {
    return { kind: 'SAM', why: 'root has SAM\\Domains' };
  }
  if (names.has('MICROSOFT') && any('CLASSES', 'POLICIES', 'CLIENTS')) {
    return { kind: 'SOFTWARE', why: 'root has Microsoft and Classes/Policies/Clients' };
  }
  if (names.has('SOFTWARE') && any('CONTROL PANEL', 'ENVIRONMENT', 'APPEVENTS', 'CONSOLE', 'KEYBOARD LAYOUT')) {
    return { kind: 'NTUSER.DAT', why: 'root has Software and Control Panel/Environment/AppEvents' };
  }
  if (any('LOCAL SETTINGS', 'CLSID') && !names.has('MICROSOFT')) {
    return { kind: 'USRCLASS.DAT', why: 'root has Local Settings/CLSID' };
  }
  if (has('OBJECTS', 'DESCRIPTION')) return { kind: 'BCD', why: 'root has Objects and Description' };
  return undefined;
}

/** The control set `Select\Current` names (`ControlSet001`...), when that key exists in the hive. */
export function currentControlSet(hive: RegfHive): string | undefined {
  const select = hive.findKey(['Select']);
  if (select === null) return undefined;
  const current = hive.values(select).find((v) => upcaseName(v.name) === 'CURRENT' && v.type === REG_DWORD);
  if (current === undefined) return undefined;
  const data = hive.data(current, 4).bytes;
  if (data.length !== 4) return undefined;
  const n = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  if (n === 0 || n > 999) return undefined;
  const name = `ControlSet${String(n).padStart(3, '0')}`;
  return hive.findKey([name])?.name;
}

/**
 * Decides the hive's kind from its root's subkeys first (hardest to fake), then the base block's file-name field,
 * then the caller's path; a user-hive structure is refined to DEFAULT by either name.
 */
export function identifyHive(hive: RegfHive, options: IdentifyOptions = {}): HiveIdentity {
  const evidence: string[] = [];
  const root = hive.root();
  const structure = root === null ? undefined : kindFromStructure(hive, root);
  const fromField = hive.base.fileName === '' ? undefined : kindFromFileName(hive.base.fileName);
  const fromPath = options.path === undefined ? undefined : kindFromFileName(options.path);
  let kind: HiveKind = 'UNKNOWN';
  if (structure !== undefined) {
    kind = structure.kind;
    evidence.push(`structure: ${structure.why}`);
    if (kind === 'NTUSER.DAT' && (fromField === 'DEFAULT' || (fromField === undefined && fromPath === 'DEFAULT'))) kind = 'DEFAULT';
  } else if (fromField !== undefined) {
    kind = fromField;
  } else if (fromPath !== undefined) {
    kind = fromPath;
  }
  if (fromField !== undefined) {
    evidence.push(`base block file name '${hive.base.fileName}'${fromField === kind ? '' : ` suggests ${fromField}`}`);
  }
  if (fromPath !== undefined && structure === undefined && fromField === undefined) evidence.push(`file name '${options.path}'`);
  if (kind === 'UNKNOWN') evidence.push('neither the structure nor a file name matches a known hive');

  const identity: HiveIdentity = { kind, mountPoint: '', aliases: [], evidence };
  if (kind === 'NTUSER.DAT' || kind === 'USRCLASS.DAT') {
    const user = userFromPath(hive.base.fileName) ?? (options.path === undefined ? undefined : userFromPath(options.path));
    if (user !== undefined) identity.user = user;
    const who = user ?? UNKNOWN_USER;
    if (kind === 'NTUSER.DAT') {
      identity.mountPoint = `HKU\\${who}`;
      identity.aliases.push({ prefix: '', alias: 'HKCU' });
    } else {
      identity.mountPoint = `HKU\\${who}_Classes`;
      identity.aliases.push({ prefix: '', alias: 'HKCU\\Software\\Classes' }, { prefix: '', alias: 'HKCR' });
    }
  } else {
    identity.mountPoint = MOUNTS[kind];
  }
  if (kind === 'SOFTWARE') identity.aliases.push({ prefix: 'Classes', alias: 'HKCR' });
  if (kind === 'SYSTEM') {
    const ccs = currentControlSet(hive);
    if (ccs !== undefined) {
      identity.currentControlSet = ccs;
      evidence.push(`Select\\Current names ${ccs}`);
    }
  }
  if (options.mountPoint !== undefined) identity.mountPoint = normalizeRoot(options.mountPoint).replace(/\\+$/, '');
  // The CurrentControlSet alias follows the mount point, so an overridden mount point keeps it.
  if (identity.currentControlSet !== undefined) {
    identity.aliases.push({ prefix: identity.currentControlSet, alias: `${identity.mountPoint}\\CurrentControlSet` });
  }
  return identity;
}

const ROOT_NAMES: [RegExp, string][] = [
  [/^(HKEY_LOCAL_MACHINE|\\?REGISTRY\\MACHINE)(?=\\|$)/i, 'HKLM'],
  [/^(HKEY_USERS|\\?REGISTRY\\USER)(?=\\|$)/i, 'HKU'],
  [/^HKEY_CURRENT_USER(?=\\|$)/i, 'HKCU'],
  [/^HKEY_CLASSES_ROOT(?=\\|$)/i, 'HKCR'],
  [/^(HKLM|HKU|HKCU|HKCR)(?=\\|$)/i, ''],
];

/** A path with its root key in short upper-case form: `HKEY_LOCAL_MACHINE\x` and `\REGISTRY\MACHINE\x` become `HKLM\x`. */
export function normalizeRoot(path: string): string {
  for (const [re, short] of ROOT_NAMES) {
    const m = re.exec(path);
    if (m !== null) return (short === '' ? m[0].toUpperCase() : short) + path.slice(m[0].length);
  }
  return path;
}
