// The sweep's similarity database (--db): checked before anything is reported, and identified for the cache key.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FirebreakError } from '../core/errors.js';

/** What identifies a database file's contents: its absolute path, size, inode and change times (`db add` changes them). */
function fileIdentity(abs: string, st: { size: bigint; ino: bigint; mtimeNs: bigint; ctimeNs: bigint }): string[] {
  return [abs, String(st.size), String(st.ino), String(st.mtimeNs), String(st.ctimeNs)];
}

/**
 * The database's absolute path, and what identifies its contents for the cache, so analyses cached with other
 * contents are not reused. Opens the database once, read-only, so a missing or broken one stops the sweep (exit 2,
 * E_INPUT_NOT_FOUND or E_DB) before any output. A database without a runtime baseline of its own borrows
 * `fallback`'s (the bundled database's), whose identity then joins the key; `note` says so, in one line.
 */
export async function similarityPlan(path: string, fallback?: string): Promise<{ db: string; identity: string; fallback?: string; note?: string }> {
  const abs = resolve(path);
  const st = statSync(abs, { throwIfNoEntry: false, bigint: true });
  if (!st) throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such similarity database', { input: path });
  const { FamilyMatcher, borrowedBaselineNote } = await import('../similarity/index.js');
  const probe = new FamilyMatcher(abs, fallback !== undefined ? { fallbackBaseline: fallback } : {});
  const borrows = probe.borrowedBaseline;
  probe.close();
  const identity = fileIdentity(abs, st);
  if (borrows) {
    const fb = resolve(fallback!);
    identity.push(...fileIdentity(fb, statSync(fb, { bigint: true })));
    return { db: abs, identity: JSON.stringify(identity), fallback: fb, note: borrowedBaselineNote(path, fb) };
  }
  return { db: abs, identity: JSON.stringify(identity) };
}
