// Writes files carved from an image under a folder, with safe, unique, visible names and never over anything.

import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FirebreakError } from '../core/errors.js';
import type { AnalysedVolume } from '../formats/fat/analyse.js';
import { entryExtents, readEntryChunks } from '../formats/fat/read.js';

/** Longest file-name component written, in UTF-8 bytes (most file systems allow 255). */
const MAX_COMPONENT_BYTES = 200;
const DEVICE = /^(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

/**
 * One path component as a safe name: `.`/`..`/empty become words, control and path characters become %XX (and `%`
 * itself, so the mapping stays one-to-one), device names get a `_` prefix, trailing dots and spaces are encoded.
 */
export function safeComponent(name: string): string {
  if (name === '') return '%empty';
  if (name === '.') return '%2E';
  if (name === '..') return '%2E%2E';
  let s = '';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    s += c < 0x20 || c === 0x7f || '%<>:"/\\|?*'.includes(ch) ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  s = s.replace(/[. ]+$/, (m) => [...m].map((c) => (c === '.' ? '%2E' : '%20')).join(''));
  if (DEVICE.test(s.split('.')[0]!.trimEnd())) s = `_${s}`;
  if (Buffer.byteLength(s) > MAX_COMPONENT_BYTES) {
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
    let cut = s;
    while (Buffer.byteLength(cut) > MAX_COMPONENT_BYTES - 14) cut = cut.slice(0, -1);
    s = `${cut}~${hash}`;
  }
  return s;
}

export interface ExtractedFile {
  volume: string;
  path: string;
  written: string;
  bytes: number;
  deleted: boolean;
  complete: boolean;
}

/** Opens `path` for writing only if it does not exist yet; otherwise tries `name~2`, `name~3`... */
function createUnique(dir: string, name: string): { fd: number; path: string } {
  for (let n = 1; n < 10000; n++) {
    const p = join(dir, n === 1 ? name : `${name}~${n}`);
    try {
      return { fd: openSync(p, 'wx'), path: p };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new FirebreakError('E_OUTPUT', `too many files named ${name}`, { input: dir });
}

/** Extracts every file (live, and deleted with something to recover) of the volumes into `outDir`, which must be new or empty. */
export function extractVolumes(volumes: AnalysedVolume[], outDir: string): ExtractedFile[] {
  try {
    if (statSync(outDir).isDirectory() && readdirSync(outDir).length > 0) {
      throw new FirebreakError('E_OUTPUT', 'extract folder is not empty; files are never written over', { input: outDir });
    }
  } catch (e) {
    if (e instanceof FirebreakError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new FirebreakError('E_OUTPUT', (e as Error).message, { input: outDir, cause: e });
  }
  mkdirSync(outDir, { recursive: true });
  const done: ExtractedFile[] = [];
  for (const av of volumes) {
    const v = av.image.volume;
    if (!v) continue;
    const dirs = new Map<number, string>();
    const root = join(outDir, safeComponent(av.image.label));
    mkdirSync(root, { recursive: true });
    for (const e of av.entries) {
      if (e.dot) continue;
      const parentDir = e.parent === -1 ? root : dirs.get(e.parent);
      if (parentDir === undefined) continue;
      if (e.isDir) {
        let p = join(parentDir, safeComponent(e.name));
        for (let n = 2; ; n++) {
          try {
            mkdirSync(p);
            break;
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 9999) throw err;
            p = join(parentDir, `${safeComponent(e.name)}~${n}`);
          }
        }
        dirs.set(e.id, p);
        continue;
      }
      if (e.deleted && e.recovery === 'none') continue;
      const { fd, path } = createUnique(parentDir, safeComponent(e.name));
      let bytes = 0;
      try {
        for (const chunk of readEntryChunks(v.src, entryExtents(v, e))) {
          writeSync(fd, chunk);
          bytes += chunk.length;
        }
      } finally {
        closeSync(fd);
      }
      done.push({ volume: av.image.label, path: e.path, written: path, bytes, deleted: e.deleted, complete: bytes === e.size });
    }
  }
  return done;
}
