// Reads the files a similarity command names: files as given, folders walked (bounded), each into SampleFeatures.

import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FirebreakError } from '../core/errors.js';
import { extractFeatures, MAX_FEATURE_INPUT, type SampleFeatures } from './features.js';

/** Files taken from the folders given, at most. */
export const MAX_INPUT_FILES = 200_000;
/** Folder nesting followed, at most. */
export const MAX_WALK_DEPTH = 32;

/** Regular files named by `paths` (folders walked in name order, symlinks inside folders not followed). */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_WALK_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw new FirebreakError('E_INPUT_UNREADABLE', 'cannot list folder', { input: dir, cause: e });
    }
    for (const n of names) {
      if (out.length >= MAX_INPUT_FILES) return;
      const p = join(dir, n);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p, depth + 1);
      else if (st.isFile()) out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such file or folder', { input: p, cause: e });
    }
    if (st.isDirectory()) walk(p, 0);
    else if (st.isFile()) out.push(p);
    else throw new FirebreakError('E_INPUT_UNREADABLE', 'not a regular file or folder', { input: p });
    if (out.length >= MAX_INPUT_FILES) break;
  }
  return out;
}

/** Features of one file; the display name is its base name unless given. */
export function featuresOfFile(path: string, options: { name?: string; code?: boolean } = {}): SampleFeatures {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such file', { input: path, cause: e });
  }
  if (st.isDirectory()) throw new FirebreakError('E_INPUT_UNREADABLE', 'is a folder, not a file', { input: path });
  const size = st.size;
  if (size > MAX_FEATURE_INPUT) {
    throw new FirebreakError('E_INPUT_TOO_LARGE', `larger than ${MAX_FEATURE_INPUT} bytes`, { input: path });
  }
  let data: Uint8Array;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw new FirebreakError('E_INPUT_UNREADABLE', 'cannot read file', { input: path, cause: e });
  }
  return extractFeatures(data, { name: options.name ?? basename(path), code: options.code });
}
