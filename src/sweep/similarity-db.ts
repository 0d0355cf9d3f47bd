// The sweep's similarity database (--db): checked before anything is reported, and identified for the cache key.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FirebreakError } from '../core/errors.js';

/**
 * The database's absolute path, and what identifies its contents for the cache: its absolute path, size, inode and change times. `db add`
 * changes them, so analyses cached with the old contents are not reused. Opens the database once, read-only, so a
 * missing or broken one stops the sweep (exit 2, E_INPUT_NOT_FOUND or E_DB) before any output.
 */
export async function similarityPlan(path: string): Promise<{ db: string; identity: string }> {
  const abs = resolve(path);
  const st = statSync(abs, { throwIfNoEntry: false, bigint: true });
  if (!st) throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such similarity database', { input: path });
  const { SimilarityDb } = await import('../similarity/index.js');
  SimilarityDb.open(abs, { readonly: true }).close();
  return { db: abs, identity: JSON.stringify([abs, String(st.size), String(st.ino), String(st.mtimeNs), String(st.ctimeNs)]) };
}
