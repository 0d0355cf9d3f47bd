// imphash (Mandiant, 2014) exactly as pefile's get_imphash computes it, including which imports pefile leaves out.

import { md5Utf8 } from './md5.js';
import { asciiLower, ordinalName } from './ordinals.js';
import type { ImportedDll } from './types.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 256-entry membership table: names are byte strings, so a char code indexes it directly. */
function charTable(chars: string): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const DOS_FILENAME_CHARS = charTable(`${ALNUM}!#$%&'()-@^_\`{}~+,.;=[]\\/`);
const FUNCTION_NAME_CHARS = charTable(`${ALNUM}._?@$()<>`);

function allIn(s: string, allowed: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || allowed[c] === 0) return false;
  }
  return true;
}

/** pefile's is_valid_dos_filename: a DLL name with other characters is recorded as "*invalid*". */
export function pefileValidDllName(s: string): boolean {
  return allIn(s, DOS_FILENAME_CHARS);
}

/** pefile's is_valid_function_name (strict form, used for imports): other names are dropped from its import list. */
export function pefileValidImportName(s: string): boolean {
  return allIn(s, FUNCTION_NAME_CHARS);
}

/**
 * The strings pefile joins for the imphash: "lib.func" per import, lib lower-cased without .dll/.ocx/.sys, func the
 * name or, for an ordinal, the ordlookup name (ws2_32, wsock32, oleaut32) or "ord<N>". Imports pefile does not list
 * (empty or off-charset names, ordinal 0, DLLs with an empty name or no functions) are left out as it leaves them out.
 */
export function imphashParts(imports: readonly ImportedDll[]): string[] {
  const parts: string[] = [];
  for (const entry of imports) {
    const dll = pefileValidDllName(entry.dll) ? entry.dll : '*invalid*';
    if (dll === '') continue;
    let lib = asciiLower(dll);
    const dot = lib.lastIndexOf('.');
    if (dot >= 0 && ['ocx', 'sys', 'dll'].includes(lib.slice(dot + 1))) lib = lib.slice(0, dot);
    for (const f of entry.functions) {
      let func: string | null;
      if (f.byOrdinal) {
        if (f.ordinal === null || f.ordinal === 0) continue;
        func = f.name ?? ordinalName(dll, f.ordinal, true);
      } else {
        if (f.name === null || f.name === '' || !pefileValidImportName(f.name)) continue;
        func = f.name;
      }
      if (!func) continue;
      parts.push(`${lib}.${func.toLowerCase()}`);
    }
  }
  return parts;
}

/** The imphash, or null when pefile would list no imports (it returns "" then). */
export function imphash(imports: readonly ImportedDll[]): string | null {
  const parts = imphashParts(imports);
  return parts.length === 0 ? null : md5Utf8(parts.join(','));
}
