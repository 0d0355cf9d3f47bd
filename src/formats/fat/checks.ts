// Judges one directory entry: misplaced dot names, name trouble, hidden system files in the root, known implant artefacts.

import type { VolumeAnomalies } from './anomaly-codes.js';
import { ATTR_ARCHIVE, ATTR_HIDDEN, ATTR_SYSTEM } from './dirent.js';
import { isReservedDeviceName, shortNameFits, unopenableReason } from './names.js';
import type { VolumeEntry } from './types.js';

const isDotName = (n: string | undefined): boolean => n === '.' || n === '..';
const CONTROL = /[\u0000-\u001f\u007f]/;

function attrText(a: number): string {
  const parts: string[] = [];
  if (a & 0x01) parts.push('Read-only');
  if (a & ATTR_HIDDEN) parts.push('Hidden');
  if (a & ATTR_SYSTEM) parts.push('System');
  if (a & 0x10) parts.push('Directory');
  if (a & ATTR_ARCHIVE) parts.push('Archive');
  return parts.join('+') || 'none';
}

/** Runs every per-entry check. `inRoot` is true for entries of the root directory. */
export function checkEntry(e: VolumeEntry, inRoot: boolean, out: VolumeAnomalies): void {
  if (e.dot) return;
  const hidden = (e.attributes & ATTR_HIDDEN) !== 0;
  const system = (e.attributes & ATTR_SYSTEM) !== 0;
  const shortIsDot = isDotName(e.shortName);
  const dotName = isDotName(e.longName) || shortIsDot || isDotName(e.name);
  const where = e.deleted ? ' (deleted entry)' : '';
  const at = e.lfnOffset ?? e.entryOffset;

  if (dotName) {
    out.add(
      'FAT_DOT_NAME',
      `"${e.path}"${where} is named "${e.longName ?? e.shortName}" outside a directory's first two slots (slot ${e.slot}): Explorer and most tools take it for the directory itself and never show it. Its 8.3 name is ${e.shortName || 'absent'}.`,
      at,
      { path: e.path },
    );
    if (!e.isDir && (/^HUB\d{3}\.DAT$/i.test(e.shortName) || (hidden && system))) {
      out.add(
        'FAT_FLAME_DOT_CONTAINER',
        `Flame's USB container: a file whose long name is "." with 8.3 name ${e.shortName} and attributes ${attrText(e.attributes)}${where}, ${e.size} bytes. Flame wrote its encrypted database of stolen documents this way (CrySyS, 2012).`,
        e.entryOffset,
        { path: e.path, size: e.size },
      );
    }
  }

  if (e.longName !== undefined && e.shortName && !e.deleted && !(e.nameFits ?? shortNameFits(e.longName, e.shortName))) {
    out.add(
      'FAT_NAME_MISMATCH',
      `The long name "${e.longName}" could not have produced the 8.3 name "${e.shortName}"; the two were written separately, as raw directory writes do.`,
      at,
      { path: e.path },
    );
  }

  if (!dotName) {
    checkName(e, e.name, at, where, out);
    if (e.longName !== undefined && e.longName !== e.name) checkName(e, e.longName, at, where, out);
  }

  if (inRoot && !e.isDir && hidden && system && !e.deleted) {
    out.add(
      'FAT_HIDDEN_SYSTEM_ROOT',
      `"${e.path}" in the root is Hidden+System (${attrText(e.attributes)}): Explorer hides it even when hidden files are shown.`,
      e.entryOffset,
      { path: e.path, size: e.size },
    );
  }
  if (!e.isDir) checkArtefacts(e, inRoot, hidden, where, out);
}

function checkName(e: VolumeEntry, n: string, at: number, where: string, out: VolumeAnomalies): void {
  if (isReservedDeviceName(n)) {
    out.add('FAT_NAME_RESERVED', `"${n}"${where} uses a reserved device name: Win32 opens the device, not the file.`, at, { path: e.path });
    return;
  }
  const why = unopenableReason(n);
  if (why) out.add('FAT_NAME_UNOPENABLE', `Windows cannot open "${escapeName(n)}"${where}: ${why}.`, at, { path: e.path });
}

/** Lower-case names of the artefacts, keyed by length so most names are passed over without lower-casing. */
const ARTEFACT_LENGTHS = new Set([10, 11, 12]);

function checkArtefacts(e: VolumeEntry, inRoot: boolean, hidden: boolean, where: string, out: VolumeAnomalies): void {
  const n = e.name;
  const lnk = inRoot && n.length >= 4 && n.charCodeAt(n.length - 4) === 0x2e && n.slice(-3).toLowerCase() === 'lnk';
  if (!lnk && !ARTEFACT_LENGTHS.has(n.length)) return;
  const lower = n.toLowerCase();
  if (lower === '.thumbs.db') {
    out.add(
      'FAT_GAUSS_THUMBS_DB',
      `"${e.path}"${where}${hidden ? ', hidden,' : ''} is named like Gauss's store of collected system data on USB sticks (.thumbs.db with a leading dot, unlike Windows' Thumbs.db).`,
      e.entryOffset,
      { path: e.path, size: e.size, severity: hidden ? 'high' : 'medium' },
    );
  }
  if (lower === 'system32.dat' || lower === 'system32.bin') {
    out.add(
      'FAT_GAUSS_SYSTEM32',
      `"${e.path}"${where} has the name of Gauss's encrypted USB payload (System32.dat for 32-bit, System32.bin for 64-bit), launched through the LNK flaw CVE-2010-2568.`,
      e.entryOffset,
      { path: e.path, size: e.size, severity: inRoot ? 'high' : 'medium' },
    );
  }
  if (!inRoot) return;
  if (lower === 'autorun.inf') {
    out.add('FAT_AUTORUN_INF', `"${e.path}"${where}: an autorun.inf in the root of removable media, the classic way to start code on insertion.`, e.entryOffset, {
      path: e.path,
      size: e.size,
    });
  }
  if (lnk) {
    out.add(
      'FAT_ROOT_LNK',
      `"${e.path}"${where}: a shortcut in the root of removable media; Stuxnet and Gauss started from such .lnk files (CVE-2010-2568).`,
      e.entryOffset,
      { path: e.path, size: e.size },
    );
  }
}

/** Control characters shown as \xNN so a message stays one readable line. */
export function escapeName(n: string): string {
  if (!CONTROL.test(n)) return n;
  return n.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
