// Reads YARA rule files and folders of them into RuleSources, one namespace per file from its relative path.

import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { FirebreakError } from '../../core/errors.js';
import type { RuleSource } from '../engine.js';

/** Rule files read in all at most: signature-base has 741, so this is far above any real pack. */
export const MAX_RULE_FILES = 100_000;
/** Folder depth walked at most below each given folder. */
export const MAX_RULE_DIR_DEPTH = 32;
/** Largest rule file read. */
export const MAX_RULE_FILE_BYTES = 64 * 1024 * 1024;

const RULE_FILE = /\.(yar|yara)$/i;

function ioError(path: string, message: string, cause?: unknown): FirebreakError {
  return new FirebreakError('E_RULE_IO', message, { input: path, cause });
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'not a folder';
  return e instanceof Error ? e.message : String(e);
}

/** The namespace for a file: its path relative to the given folder, without extension, with `/` separators. */
export function namespaceFor(relativePath: string): string {
  return relativePath.split(sep).join('/').replace(RULE_FILE, '');
}

interface Found {
  path: string;
  namespace: string;
}

async function walk(dir: string, root: string, depth: number, seenDirs: Set<string>, out: Found[]): Promise<void> {
  if (depth > MAX_RULE_DIR_DEPTH) throw ioError(dir, `rule folders nest deeper than ${MAX_RULE_DIR_DEPTH} levels`);
  let real: string;
  let names: string[];
  try {
    real = await realpath(dir);
    names = await readdir(dir);
  } catch (e) {
    throw ioError(dir, `cannot read rule folder: ${describe(e)}`, e);
  }
  if (seenDirs.has(real)) return; // a symlink back up the tree
  seenDirs.add(real);
  names.sort();
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // dangling symlink or vanished
      throw ioError(p, `cannot read rule file: ${describe(e)}`, e);
    }
    if (st.isDirectory()) await walk(p, root, depth + 1, seenDirs, out);
    else if (st.isFile() && RULE_FILE.test(name)) {
      if (out.length >= MAX_RULE_FILES) throw ioError(root, `more than ${MAX_RULE_FILES} rule files`);
      out.push({ path: p, namespace: namespaceFor(relative(root, p)) });
    }
  }
}

/**
 * Every rule file under `paths` (files, and folders walked recursively in sorted order, `.yar`/`.yara` only), read
 * as text. A file named directly is read whatever its extension. Each file gets its own namespace: its path
 * relative to the folder it was found under, or its base name when named directly, without extension; a
 * namespace already taken gets `~2`, `~3`... The same file reached twice is read once.
 * Throws FirebreakError E_RULE_IO for a missing, unreadable or oversized path, or a folder with no rule files.
 */
export async function loadRuleSources(paths: string[]): Promise<RuleSource[]> {
  const found: Found[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      throw ioError(p, `cannot read rules: ${describe(e)}`, e);
    }
    if (st.isDirectory()) {
      const before = found.length;
      await walk(p, p, 0, new Set(), found);
      if (found.length === before) throw ioError(p, 'no .yar or .yara files in this folder');
    } else if (st.isFile()) {
      found.push({ path: p, namespace: namespaceFor(basename(p)) });
    } else {
      throw ioError(p, 'not a file or folder');
    }
  }
  const seenFiles = new Set<string>();
  const taken = new Map<string, number>();
  const sources: RuleSource[] = [];
  for (const f of found) {
    let real: string;
    try {
      real = await realpath(f.path);
    } catch (e) {
      throw ioError(f.path, `cannot read rule file: ${describe(e)}`, e);
    }
    if (seenFiles.has(real)) continue;
    seenFiles.add(real);
    let bytes: Buffer;
    try {
      const st = await stat(real);
      if (st.size > MAX_RULE_FILE_BYTES) throw ioError(f.path, `rule file larger than ${MAX_RULE_FILE_BYTES} bytes`);
      bytes = await readFile(real);
    } catch (e) {
      if (e instanceof FirebreakError) throw e;
      throw ioError(f.path, `cannot read rule file: ${describe(e)}`, e);
    }
    const n = (taken.get(f.namespace) ?? 0) + 1;
    taken.set(f.namespace, n);
    const namespace = n === 1 ? f.namespace : `${f.namespace}~${n}`;
    sources.push({ path: f.path, namespace, text: bytes.toString('utf8') });
  }
  return sources;
}
