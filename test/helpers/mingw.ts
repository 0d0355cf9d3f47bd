// Compiles the project's own C test programs with MinGW (never run), caching the output by source hash.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CACHE_DIR } from './paths.js';

export type Arch = 'x86' | 'x64';

const COMPILERS: Record<Arch, string> = { x86: 'i686-w64-mingw32-gcc', x64: 'x86_64-w64-mingw32-gcc' };

export interface CompileOptions {
  arch: Arch;
  /** Extra gcc flags, e.g. ['-O2'], ['-shared'], ['-lgdi32']. Part of the cache key. */
  flags?: string[];
  /** Output extension: exe (default) or dll. */
  kind?: 'exe' | 'dll';
}

/** Compiles `sources` into one PE file under .cache/mingw and returns its path. */
export function compileC(sources: string[], options: CompileOptions): string {
  const flags = options.flags ?? [];
  const kind = options.kind ?? 'exe';
  const h = createHash('sha256');
  for (const s of sources) h.update(readFileSync(s));
  h.update(JSON.stringify({ arch: options.arch, flags, kind }));
  const key = h.digest('hex').slice(0, 16);
  const dir = join(CACHE_DIR, 'mingw');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${basename(sources[0]!, '.c')}-${options.arch}-${key}.${kind}`);
  if (existsSync(out)) return out;
  const tmp = `${out}.tmp${process.pid}`;
  const args = [...sources, '-o', tmp, ...(kind === 'dll' ? ['-shared'] : []), ...flags];
  execFileSync(COMPILERS[options.arch], args, { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(tmp, out);
  return out;
}
