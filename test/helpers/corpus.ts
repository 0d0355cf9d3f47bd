// Builds (once) and lists the Wine corpus of real Windows PE files that differential tests and benchmarks use.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, SHARED_DIR } from './paths.js';

export const WINE_CORPUS_DIR = join(CACHE_DIR, 'wine-pe');

/** The corpus folder, built by ../shared/corpus/wine-pe.sh on first use. */
export function wineCorpusDir(): string {
  const marker = join(WINE_CORPUS_DIR, '.complete');
  if (!existsSync(marker)) {
    execFileSync('bash', [join(SHARED_DIR, 'corpus', 'wine-pe.sh'), WINE_CORPUS_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('touch', [marker]);
  }
  return WINE_CORPUS_DIR;
}

/** Every corpus file, sorted by name for stable output. */
export function wineCorpusFiles(): string[] {
  const dir = wineCorpusDir();
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}
