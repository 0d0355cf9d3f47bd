// Judges names: reserved device names, names Windows cannot open, and 8.3 names that do not derive from their long name.

/** Win32 device names (also with any extension): opening `CON.txt` opens the console. */
const DEVICE_NAME = /^(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

export function isReservedDeviceName(name: string): boolean {
  const base = name.split('.')[0]!.trimEnd();
  return DEVICE_NAME.test(base);
}

/** Why Windows (Win32 paths) cannot open a file of this name, or null when it can. `.`/`..` are judged elsewhere. */
export function unopenableReason(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20) return `it contains control character 0x${c.toString(16).padStart(2, '0')}`;
    if ('<>:"/\\|?*'.includes(name[i]!)) return `it contains the character '${name[i]}'`;
  }
  if (/[. ]$/.test(name)) return 'it ends with a dot or a space, which Win32 strips before opening';
  return null;
}

const SHORT_INVALID = /[^A-Z0-9!#$%&'()@^_`{}~\-\u0080-\uffff]/g;

/** The 8.3 basis Windows derives from a long name (FAT spec §7.1 / "basis-name generation"): base and extension. */
export function shortBasis(longName: string): { base: string; ext: string } {
  const up = longName.toUpperCase().replace(/ /g, '');
  const stripped = up.replace(/^\.+/, '');
  const dot = stripped.lastIndexOf('.');
  const baseRaw = dot >= 0 ? stripped.slice(0, dot) : stripped;
  const extRaw = dot >= 0 ? stripped.slice(dot + 1) : '';
  const clean = (s: string) => s.replace(/\./g, '').replace(/[\u0080-\uffff]/g, '_').replace(SHORT_INVALID, '_');
  return { base: clean(baseRaw), ext: clean(extRaw).slice(0, 3) };
}

/** `_` stands for a character the OEM code page could not hold, so it matches anything. */
function prefixMatches(short: string, basis: string): boolean {
  if (short.length > basis.length) return false;
  for (let i = 0; i < short.length; i++) if (short[i] !== '_' && short[i] !== basis[i]) return false;
  return true;
}

/**
 * Whether an 8.3 name could have been generated from this long name by Windows, Linux or mtools. Numeric tails
 * (`~1`) and Windows' hashed form (two letters, four hex digits, `~N`) are accepted.
 */
export function shortNameFits(longName: string, shortName: string): boolean {
  const s = shortName.toUpperCase();
  const dot = s.indexOf('.');
  const sBase = dot >= 0 ? s.slice(0, dot) : s;
  const sExt = dot >= 0 ? s.slice(dot + 1) : '';
  const basis = shortBasis(longName);
  if (sExt.length !== basis.ext.length || !prefixMatches(sExt, basis.ext)) return false;
  const tilde = sBase.lastIndexOf('~');
  if (tilde < 0) return sBase.length === Math.min(8, basis.base.length) && prefixMatches(sBase, basis.base);
  const head = sBase.slice(0, tilde);
  if (!/^[0-9]+$/.test(sBase.slice(tilde + 1))) return false;
  if (prefixMatches(head, basis.base)) return true;
  // Windows NT's hashed short names keep the first two characters and append four hex digits.
  return head.length === 6 && prefixMatches(head.slice(0, 2), basis.base) && /^[0-9A-F]{4}$/.test(head.slice(2));
}
