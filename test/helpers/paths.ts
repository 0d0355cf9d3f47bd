// Where tests find the project, the shared reference data, and the cache for built corpora.

import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/cli/paths.js';

export { PROJECT_ROOT };
/** ../shared beside the project: DESIGN.md, anchors (capa-rules, signature-base, schemas), corpus scripts. */
export const SHARED_DIR = process.env.FIREBREAK_SHARED ?? join(PROJECT_ROOT, '..', 'shared');
export const ANCHORS_DIR = join(SHARED_DIR, 'anchors');
/** Built corpora and compiled fixtures; ignored by git, reused across runs. */
export const CACHE_DIR = process.env.FIREBREAK_CACHE ?? join(PROJECT_ROOT, '.cache');
