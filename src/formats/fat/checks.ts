// Judges one directory entry: misplaced dot names, name trouble, hidden system files in the root, known implant artefacts.

import type { VolumeAnomalies } from './anomaly-codes.js';
import { ATTR_ARCHIVE, ATTR_HIDDEN, ATTR_SYSTEM } from './dirent.js';
import { type EntryTable, F_DELETED, F_DIR, F_DOT, F_FIT_CHECKED, F_LONG, F_NAME_MISMATCH } from './entry.js';
import { isReservedDeviceName, mayBeDeviceName, mayBeUnopenable, shortNameFits, unopenableReason } from './names.js';
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

const isDotUnits = (u: Uint16Array, from: number, n: number): boolean =>
  (n === 1 && u[from] === 0x2e) || (n === 2 && u[from] === 0x2e && u[from + 1] === 0x2e);

/** Names of the artefacts, by length, so most names are passed over without making a string. */
const ARTEFACT_LENGTHS = new Set([10, 11, 12]);

/**
 * Runs every per-entry check on row `i` of the walk's table. `inRoot` is true for entries of the root directory.
 * The checks read the names as units; strings are made only for the few entries that may raise something.
 */
export function checkEntry(t: EntryTable, i: number, inRoot: boolean, out: VolumeAnomalies): void {
  const flags = t.flags[i]!;
  if (flags & F_DOT) return;
  const u = t.units;
  const ns = t.nameStart[i]!;
  const nl = t.nameLength[i]!;
  const ss = t.shortStart[i]!;
  const sl = t.shortLength[i]!;
  const attributes = t.attributes[i]!;
  const hidden = (attributes & ATTR_HIDDEN) !== 0;
  const system = (attributes & ATTR_SYSTEM) !== 0;
  const deleted = (flags & F_DELETED) !== 0;
  const isDir = (flags & F_DIR) !== 0;
  const long = (flags & F_LONG) !== 0;
  const where = deleted ? ' (deleted entry)' : '';
  const lfnOffset = t.lfnOffset[i]!;
  const entryOffset = t.entryOffset[i]!;
  const at = lfnOffset >= 0 ? lfnOffset : entryOffset;
  const dotName = isDotUnits(u, ns, nl) || isDotUnits(u, ss, sl);

  if (dotName) {
    const path = t.path(i);
    const shortName = t.shortName(i);
    out.add(
      'FAT_DOT_NAME',
      `"${path}"${where} is named "${t.name(i)}" outside a directory's first two slots (slot ${t.slot[i]}): Explorer and most tools take it for the directory itself and never show it. Its 8.3 name is ${shortName || 'absent'}.`,
      at,
      { path },
    );
    if (!isDir && (/^HUB\d{3}\.DAT$/i.test(shortName) || (hidden && system))) {
      const size = t.size[i]!;
      out.add(
        'FAT_FLAME_DOT_CONTAINER',
        `Flame's USB container: a file whose long name is "." with ${shortName ? `8.3 name ${shortName}` : 'no 8.3 name'} and attributes ${attrText(attributes)}${where}, ${size} bytes. Flame wrote its encrypted database of stolen documents this way (CrySyS, 2012).`,
        entryOffset,
        { path, size },
      );
    }
  }

  if (long && sl > 0 && !deleted) {
    const fits = flags & F_FIT_CHECKED ? (flags & F_NAME_MISMATCH) === 0 : shortNameFits(t.name(i), t.shortName(i));
    if (!fits) {
      out.add(
        'FAT_NAME_MISMATCH',
        `The long name "${t.name(i)}" could not have produced the 8.3 name "${t.shortName(i)}"; the two were written separately, as raw directory writes do.`,
        at,
        { path: t.path(i) },
      );
    }
  }

  if (!dotName) {
    if (nl > 0 && mayBeDeviceName(u[ns]!) && isReservedDeviceName(t.name(i))) {
      out.add('FAT_NAME_RESERVED', `"${t.name(i)}"${where} uses a reserved device name: Win32 opens the device, not the file.`, at, { path: t.path(i) });
    } else if (mayBeUnopenable(u, ns, nl)) {
      const why = unopenableReason(t.name(i));
      if (why) out.add('FAT_NAME_UNOPENABLE', `Windows cannot open "${escapeName(t.name(i))}"${where}: ${why}.`, at, { path: t.path(i) });
    }
  }

  if (inRoot && !isDir && hidden && system && !deleted) {
    const path = t.path(i);
    out.add(
      'FAT_HIDDEN_SYSTEM_ROOT',
      `"${path}" in the root is Hidden+System (${attrText(attributes)}): Explorer hides it even when hidden files are shown.`,
      entryOffset,
      { path, size: t.size[i]! },
    );
  }
  if (isDir) return;
  const lnk = inRoot && nl >= 4 && u[ns + nl - 4] === 0x2e && (u[ns + nl - 3]! | 0x20) === 0x6c && (u[ns + nl - 2]! | 0x20) === 0x6e && (u[ns + nl - 1]! | 0x20) === 0x6b;
  if (lnk || ARTEFACT_LENGTHS.has(nl)) checkArtefacts(t, i, inRoot, hidden, lnk, where, out);
}

function checkArtefacts(t: EntryTable, i: number, inRoot: boolean, hidden: boolean, lnk: boolean, where: string, out: VolumeAnomalies): void {
  const lower = t.name(i).toLowerCase();
  const path = t.path(i);
  const size = t.size[i]!;
  const at = t.entryOffset[i]!;
  if (lower === '.thumbs.db') {
    out.add(
      'FAT_GAUSS_THUMBS_DB',
      `"${path}"${where}${hidden ? ', hidden,' : ''} is named like Gauss's store of collected system data on USB sticks (.thumbs.db with a leading dot, unlike Windows' Thumbs.db).`,
      at,
      { path, size, severity: hidden ? 'high' : 'medium' },
    );
  }
  if (lower === 'system32.dat' || lower === 'system32.bin') {
    out.add(
      'FAT_GAUSS_SYSTEM32',
      `"${path}"${where} has the name of Gauss's encrypted USB payload (System32.dat for 32-bit, System32.bin for 64-bit), launched through the LNK flaw CVE-2010-2568.`,
      at,
      { path, size, severity: inRoot ? 'high' : 'medium' },
    );
  }
  if (!inRoot) return;
  if (lower === 'autorun.inf') {
    out.add('FAT_AUTORUN_INF', `"${path}"${where}: an autorun.inf in the root of removable media, the classic way to start code on insertion.`, at, { path, size });
  }
  if (lnk) {
    out.add('FAT_ROOT_LNK', `"${path}"${where}: a shortcut in the root of removable media; Stuxnet and Gauss started from such .lnk files (CVE-2010-2568).`, at, {
      path,
      size,
    });
  }
}

/** Control characters shown as \xNN so a message stays one readable line. */
export function escapeName(n: string): string {
  if (!CONTROL.test(n)) return n;
  return n.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
