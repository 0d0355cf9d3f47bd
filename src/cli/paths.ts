// Where the installed project's bundled data lives (rules/, examples/); library code takes paths as options instead.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

/** The project root: the first folder above this file whose package.json names firebreak (works from src/ and dist/). */
export const PROJECT_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'firebreak') return dir;
    } catch {
      // not here; go up
    }
    dir = dirname(dir);
  }
  throw new Error(`firebreak: cannot find the project's package.json above ${fileURLToPath(import.meta.url)}`);
})();

export const BUNDLED_RULES_DIR = join(PROJECT_ROOT, 'rules');

/** The bundled similarity database: family samples and the runtime baseline other databases may borrow. */
export const BUNDLED_SIMILARITY_DB = join(BUNDLED_RULES_DIR, 'similarity.db');
