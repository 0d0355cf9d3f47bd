// Translates between full Windows key paths (with mount point and aliases) and paths relative to the hive's root.

import { normalizeRoot, type HiveIdentity } from './identify.js';
import { upcaseName } from './text.js';

interface Prefix {
  /** Full path, and its upper-case form for comparing. */
  full: string;
  fullUpper: string;
  /** Hive-relative path it stands for. */
  rel: string;
  relUpper: string;
}

/** Roots a full path may start with; a path starting with none of them is taken as hive-relative. */
const FULL_ROOT = /^(HKLM|HKU|HKCU|HKCR|HIVE)(\\|$)/i;

function joinRel(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}\\${b}`;
}

export class HivePaths {
  private readonly prefixes: Prefix[];
  /** Aliases inside the mount point (`CurrentControlSet`), accepted at the start of hive-relative paths too. */
  private readonly relativeAliases: Prefix[];

  constructor(readonly identity: HiveIdentity) {
    const make = (full: string, rel: string): Prefix => ({ full, fullUpper: upcaseName(full), rel, relUpper: upcaseName(rel) });
    this.prefixes = [make(identity.mountPoint, ''), ...identity.aliases.map((a) => make(a.alias, a.prefix))];
    // Longest first, so HKLM\SYSTEM\CurrentControlSet wins over HKLM\SYSTEM.
    this.prefixes.sort((a, b) => b.full.length - a.full.length);
    const mountUpper = upcaseName(identity.mountPoint) + '\\';
    this.relativeAliases = this.prefixes
      .filter((p) => p.rel !== '' && p.fullUpper.startsWith(mountUpper))
      .map((p) => make(p.full.slice(mountUpper.length), p.rel));
  }

  /**
   * The hive-relative key names for a path given in full (`HKLM\SYSTEM\CurrentControlSet\Services`, any spelling of
   * the root) or relative to the hive (`ControlSet001\Services`, `\Select`); null when a full path lies outside it.
   */
  toRelative(path: string): string[] | null {
    const p = normalizeRoot(path.trim()).replace(/\\+$/, '');
    const upper = upcaseName(p);
    for (const pre of this.prefixes) {
      const rest = stripPrefix(p, upper, pre.fullUpper);
      if (rest !== undefined) return split(joinRel(pre.rel, rest));
    }
    if (FULL_ROOT.test(p)) return null;
    const rel = p.replace(/^\\+/, '');
    const relUpper = upcaseName(rel);
    for (const pre of this.relativeAliases) {
      const rest = stripPrefix(rel, relUpper, pre.fullUpper);
      if (rest !== undefined) return split(joinRel(pre.rel, rest));
    }
    return split(rel);
  }

  /** Every full path a hive-relative key path goes by: the mount-point path first, then its aliases. */
  fullPaths(rel: string): string[] {
    const out: string[] = [];
    const upper = rel === '' ? '' : undefined;
    let relUpper = upper;
    for (const pre of this.prefixes) {
      if (pre.rel === '') {
        out.push(rel === '' ? pre.full : `${pre.full}\\${rel}`);
        continue;
      }
      if (rel.length < pre.rel.length) continue;
      relUpper ??= upcaseName(rel);
      const rest = stripPrefix(rel, relUpper, pre.relUpper);
      if (rest !== undefined) out.push(rest === '' ? pre.full : `${pre.full}\\${rest}`);
    }
    // The mount-point path leads, whatever the prefix order.
    const main = rel === '' ? this.identity.mountPoint : `${this.identity.mountPoint}\\${rel}`;
    const i = out.indexOf(main);
    if (i > 0) out.unshift(...out.splice(i, 1));
    return out;
  }
}

/** What follows `prefixUpper` in `path` (compared upper-case, at a component boundary), or undefined. */
function stripPrefix(path: string, upper: string, prefixUpper: string): string | undefined {
  if (upper === prefixUpper) return '';
  if (upper.startsWith(prefixUpper) && upper.charCodeAt(prefixUpper.length) === 0x5c) return path.slice(prefixUpper.length + 1);
  if (prefixUpper === '') return path;
  return undefined;
}

function split(rel: string): string[] {
  return rel.split('\\').filter((s) => s !== '');
}
