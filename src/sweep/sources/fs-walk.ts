// The root source: walks files and folders named on the command line, in a stable order, without ever opening
// a file. Symlinks are not followed unless asked, and never twice into one folder; FIFOs and devices met on the
// way are reported, not opened.

import type { BigIntStats, Dirent } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { FirebreakError } from '../../core/errors.js';
import type { SkipReason } from '../../core/findings.js';
import { displayPath, fsName, joinPath, type FsPath } from '../display.js';
import { MAX_DIR_ENTRIES, MAX_WALK_DEPTH } from '../limits.js';
import type { RootSource, SpecialKind, Stamp, WalkEvent } from './types.js';

export interface WalkOptions {
  /** Files and folders as named on the command line (bytes for a name that is not UTF-8). */
  roots: FsPath[];
  followSymlinks?: boolean;
  /** True for a path to leave out; a folder left out is not entered. */
  exclude?: (display: string) => boolean;
}

/** lstat calls in flight at once while a folder's entries are looked at. */
const STAT_CONCURRENCY = 32;

export function stampOf(st: BigIntStats): Stamp {
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs };
}

function specialKind(st: BigIntStats): SpecialKind | undefined {
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char-device';
  if (st.isBlockDevice()) return 'block-device';
  return undefined;
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** The skip reason for a failed lstat/readdir/open, or undefined when it is an error to report as such. */
export function skipReasonForErrno(code: string | undefined): SkipReason | undefined {
  switch (code) {
    case 'ENOENT':
      return 'vanished';
    case 'EACCES':
    case 'EPERM':
      return 'unreadable';
    case 'ELOOP':
      return 'symlink-loop';
    default:
      return undefined;
  }
}

function failure(display: string, e: unknown): WalkEvent {
  const code = errnoOf(e);
  const reason = skipReasonForErrno(code);
  if (reason) return { kind: 'skip', display, reason, detail: code };
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'error', display, error: { code: 'E_INPUT_UNREADABLE', message } };
}

type Looked = WalkEvent | { kind: 'dir'; path: FsPath; display: string; stat: BigIntStats };

interface Frame {
  dir: FsPath;
  display: string;
  entries: Dirent[];
  /** Next entry to look at. */
  index: number;
  /** Entries looked at, not yet yielded. */
  looked: Looked[];
  depth: number;
}

/**
 * Checks that every root exists before anything is swept, so a mistyped path stops the run (exit 2) instead of
 * producing a clean-looking report. Throws FirebreakError E_INPUT_NOT_FOUND naming the path.
 */
export async function checkRoots(roots: readonly FsPath[]): Promise<void> {
  if (roots.length === 0) throw new FirebreakError('E_USAGE', 'no path to sweep');
  for (const r of roots) {
    try {
      await lstat(r);
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such file or folder', { input: displayPath(r) });
      // Unreadable roots are reported per item by the walk, like anything else it cannot read.
    }
  }
}

export class FsWalk implements RootSource {
  private readonly visitedDirs = new Set<string>();

  constructor(private readonly options: WalkOptions) {}

  async *walk(): AsyncGenerator<WalkEvent> {
    for (const root of this.options.roots) yield* this.walkRoot(root);
  }

  private async *walkRoot(root: FsPath): AsyncGenerator<WalkEvent> {
    const display = displayPath(root);
    let st: BigIntStats;
    try {
      // A symlink named on the command line is followed, as `find -H` does: the user pointed at it.
      st = await stat(root, { bigint: true });
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') {
        // lstat worked in checkRoots, so this is a dangling symlink or the root vanished since.
        yield { kind: 'skip', display, reason: 'vanished', detail: 'ENOENT' };
      } else yield failure(display, e);
      return;
    }
    if (this.options.exclude?.(display)) {
      yield { kind: 'skip', display, reason: 'excluded' };
      return;
    }
    if (st.isDirectory()) {
      yield* this.walkTree(root, display, st);
      return;
    }
    const special = specialKind(st);
    yield { kind: 'file', path: root, display, size: Number(st.size), stamp: stampOf(st), follow: true, ...(special ? { special } : {}) };
  }

  /** Enters a folder once: a second arrival (a symlink loop, a bind mount) is reported instead. */
  private enter(st: BigIntStats): boolean {
    const key = `${st.dev}:${st.ino}`;
    if (this.visitedDirs.has(key)) return false;
    this.visitedDirs.add(key);
    return true;
  }

  private async *walkTree(root: FsPath, rootDisplay: string, rootStat: BigIntStats): AsyncGenerator<WalkEvent> {
    if (!this.enter(rootStat)) {
      yield { kind: 'skip', display: rootDisplay, reason: 'symlink-loop', detail: 'folder already swept' };
      return;
    }
    const stack: Frame[] = [];
    const first = await this.open(root, rootDisplay, 0);
    if ('kind' in first) {
      yield first;
      return;
    }
    stack.push(first);
    // Each iteration consumes one looked-at entry or pops one frame; entries are capped per folder and depth by
    // MAX_WALK_DEPTH, so the loop ends.
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.looked.length === 0) {
        if (top.index >= top.entries.length) {
          stack.pop();
          continue;
        }
        // Look at a run of entries at once so their lstat calls overlap; the results wait in the frame while
        // a subfolder among them is walked first (depth first, in name order).
        const batch = top.entries.slice(top.index, top.index + STAT_CONCURRENCY);
        top.index += batch.length;
        top.looked = await Promise.all(batch.map((d) => this.look(top, d)));
      }
      const l = top.looked.shift()!;
      if (l.kind !== 'dir') {
        yield l;
        continue;
      }
      if (top.depth + 1 > MAX_WALK_DEPTH) {
        yield { kind: 'skip', display: l.display, reason: 'budget', detail: `deeper than ${MAX_WALK_DEPTH} folder levels` };
        continue;
      }
      if (!this.enter(l.stat)) {
        yield { kind: 'skip', display: l.display, reason: 'symlink-loop', detail: 'folder already swept' };
        continue;
      }
      const frame = await this.open(l.path, l.display, top.depth + 1);
      if ('kind' in frame) yield frame;
      else stack.push(frame);
    }
  }

  private async open(dir: FsPath, display: string, depth: number): Promise<Frame | WalkEvent> {
    let entries: Dirent[];
    try {
      entries = (await readdir(dir, { withFileTypes: true, encoding: 'buffer' })) as unknown as Dirent[];
    } catch (e) {
      return failure(display, e);
    }
    const raw = entries as unknown as (Dirent & { name: Buffer })[];
    raw.sort((a, b) => Buffer.compare(a.name, b.name));
    if (raw.length > MAX_DIR_ENTRIES) raw.length = MAX_DIR_ENTRIES;
    return { dir, display, entries: raw, index: 0, looked: [], depth };
  }

  private async look(
    frame: Frame,
    d: Dirent,
  ): Promise<Looked> {
    const name = fsName((d as unknown as { name: Buffer }).name);
    const path = joinPath(frame.dir, name);
    const display = joinDisplay(frame.display, displayPath(name));
    if (this.options.exclude?.(display)) return { kind: 'skip', display, reason: 'excluded' };
    let st: BigIntStats;
    try {
      st = await lstat(path, { bigint: true });
    } catch (e) {
      return failure(display, e);
    }
    const link = st.isSymbolicLink();
    if (link) {
      if (!this.options.followSymlinks) return { kind: 'skip', display, reason: 'symlink' };
      try {
        st = await stat(path, { bigint: true });
      } catch (e) {
        const code = errnoOf(e);
        if (code === 'ENOENT') return { kind: 'skip', display, reason: 'symlink', detail: 'target missing' };
        return failure(display, e);
      }
    }
    if (st.isDirectory()) return { kind: 'dir', path, display, stat: st };
    if (st.isFile()) return { kind: 'file', path, display, size: Number(st.size), stamp: stampOf(st), ...(link ? { follow: true } : {}) };
    return { kind: 'skip', display, reason: 'not-regular', detail: specialKind(st) ?? 'unknown file type' };
  }
}

function joinDisplay(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
