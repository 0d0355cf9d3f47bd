// Walks fixture folders and clean corpora: which files are a rule's positives, and every file of a corpus.

import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Folder depth walked at most. */
export const MAX_WALK_DEPTH = 64;
/** Files listed at most per walk. */
export const MAX_WALK_FILES = 2_000_000;

export interface WalkedFile {
  path: string;
  size: number;
}

export interface WalkStats {
  files: number;
  /** Files left out because they were larger than the size cap. */
  tooLarge: number;
  /** Entries that were not regular files or folders (symlinks, devices, FIFOs) or could not be read. */
  skipped: number;
}

export interface WalkOptions {
  /** Largest file listed; bigger ones are counted in `tooLarge`. */
  maxSize?: number;
  /** A path for which this returns true is left out, with everything below it. */
  exclude?: (path: string) => boolean;
}

/**
 * Every regular file under `roots` (a root may be a file), in sorted order, without following symlinks, so a
 * walk of /usr cannot leave it or loop.
 */
export async function* walkFiles(roots: readonly string[], options: WalkOptions = {}, stats?: WalkStats): AsyncGenerator<WalkedFile> {
  const st: WalkStats = stats ?? { files: 0, tooLarge: 0, skipped: 0 };
  const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
  async function* visit(path: string, depth: number): AsyncGenerator<WalkedFile> {
    if (options.exclude?.(path)) return;
    let info;
    try {
      info = await lstat(path);
    } catch {
      st.skipped++;
      return;
    }
    if (info.isFile()) {
      if (st.files >= MAX_WALK_FILES) return;
      if (info.size > maxSize) {
        st.tooLarge++;
        return;
      }
      st.files++;
      yield { path, size: info.size };
      return;
    }
    if (!info.isDirectory() || depth > MAX_WALK_DEPTH) {
      st.skipped++;
      return;
    }
    let names: string[];
    try {
      names = (await readdir(path)).sort();
    } catch {
      st.skipped++;
      return;
    }
    for (const n of names) yield* visit(join(path, n), depth + 1);
  }
  for (const r of roots) yield* visit(r, 0);
}

/**
 * A rule's positives are the files below any folder named exactly like the rule, anywhere under `fixturesDir`
 * (so fixtures may be grouped, e.g. examples/flame/Flame_Mutex_Format_Strings/...). Returns rule name -> files.
 */
export async function findPositives(fixturesDir: string, ruleNames: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const f of walkFiles([fixturesDir])) {
    const rel = f.path.slice(fixturesDir.length).split(/[\\/]/).filter(Boolean);
    const owners = new Set(rel.slice(0, -1).filter((segment) => ruleNames.has(segment)));
    for (const rule of owners) {
      const list = out.get(rule) ?? [];
      list.push(f.path);
      out.set(rule, list);
    }
  }
  return out;
}

/** Every file under `fixturesDir` that sits in no rule's folder: the IOC fixtures (planted names, hives, text). */
export async function unownedFixtures(fixturesDir: string, ruleNames: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const f of walkFiles([fixturesDir])) {
    const rel = f.path.slice(fixturesDir.length).split(/[\\/]/).filter(Boolean);
    if (!rel.slice(0, -1).some((segment) => ruleNames.has(segment))) out.push(f.path);
  }
  return out;
}

/** The YARA externals a file gets when the rules use them (signature-base's convention). */
export function fileExternals(path: string): { filename: string; filepath: string; extension: string } {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return { filename: name, filepath: path, extension: dot > 0 ? name.slice(dot) : '' };
}
