// `firebreak db add|info`: stores samples' similarity features (never the samples) in a family database.

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FirebreakError } from '../core/errors.js';
import { addFiles, borrowedBaselineNote, expandPaths, SimilarityDb } from '../similarity/index.js';
import { BUNDLED_SIMILARITY_DB } from './paths.js';
import { EXIT_CLEAN } from './exit.js';
import type { CliIo } from './io.js';
import { setExitStatus } from './main.js';
import { writeOut } from './io.js';

/** Committed with the pack; built from the project's own synthetic families by `npm run build:similarity-db` (docs/similarity.md). */
export { BUNDLED_SIMILARITY_DB };

/**
 * A database with no runtime baseline of its own (never given `db add --common`) borrows the bundled one's, and
 * `warn` says so in one line: without it, runtime functions shared by every MinGW program score as evidence.
 */
export function borrowBundledBaseline(db: SimilarityDb, warn: (line: string) => void): void {
  if (db.useFallbackBaseline(BUNDLED_SIMILARITY_DB)) warn(borrowedBaselineNote(db.path, `the bundled database ${BUNDLED_SIMILARITY_DB}`));
}

/** Opens `--db FILE` (borrowing the bundled baseline when it has none), or the bundled database when none is named. */
export function openDatabase(path: string | undefined, options: { required: boolean; warn: (line: string) => void }): SimilarityDb | null {
  if (path !== undefined) {
    const db = SimilarityDb.open(path, { readonly: true });
    try {
      borrowBundledBaseline(db, options.warn);
    } catch (e) {
      db.close();
      throw e;
    }
    return db;
  }
  if (existsSync(BUNDLED_SIMILARITY_DB)) return SimilarityDb.open(BUNDLED_SIMILARITY_DB, { readonly: true });
  if (!options.required) return null;
  throw new FirebreakError('E_INPUT_NOT_FOUND', 'no --db given and the bundled family database is missing (npm run build:similarity-db rebuilds it)', {
    input: BUNDLED_SIMILARITY_DB,
  });
}

/** Where `db add` writes when no --db is given: a file in the current folder, never the bundled database. */
export const DEFAULT_DB_FILE = 'firebreak-similarity.db';

export function define(cmd: Command, io: CliIo): void {
  cmd.description('store similarity features of samples in a family database, or describe one');
  cmd
    .command('add')
    .description('extract and store the features of each file (folders are walked); the files themselves are not stored')
    .argument('<paths...>', 'files or folders')
    .option('--family <name>', 'the family these samples belong to')
    .option('--variant <v>', 'their variant within the family')
    .option('--common', 'runtime or library code: its features never count as evidence (a baseline)')
    .option('--db <file>', `database file (created if missing; default ./${DEFAULT_DB_FILE})`)
    .action(async (paths: string[], opts: { family?: string; variant?: string; common?: boolean; db?: string }, sub: Command) => {
      if (opts.common && opts.family !== undefined) throw new FirebreakError('E_USAGE', '--common samples have no family', { input: '--common' });
      if (opts.family !== undefined && opts.family.trim() === '') throw new FirebreakError('E_USAGE', '--family needs a name', { input: '--family' });
      if (opts.variant !== undefined && opts.family === undefined) {
        throw new FirebreakError('E_USAGE', '--variant needs --family (a variant is one of a family)', { input: '--variant' });
      }
      if (opts.variant !== undefined && opts.variant.trim() === '') throw new FirebreakError('E_USAGE', '--variant needs a name', { input: '--variant' });
      // Inputs are checked before the database is created, so a failed add leaves no new file behind.
      const files = expandPaths(paths);
      if (files.length === 0) throw new FirebreakError('E_USAGE', 'no files to add', { input: paths.join(' ') });
      const dbPath = resolve(io.cwd, opts.db ?? DEFAULT_DB_FILE);
      const db = SimilarityDb.open(dbPath, { create: true });
      try {
        // Samples' LSH keys leave the baseline out: a database without one borrows it before anything is filed.
        // Said after the adds, so a failed add still ends with its one error line.
        let borrowed = '';
        if (!opts.common) borrowBundledBaseline(db, (line) => (borrowed = `firebreak db: ${line}\n`));
        let added = 0;
        const lines: string[] = [];
        addFiles(db, files, { family: opts.family, variant: opts.variant, role: opts.common ? 'common' : 'sample' }, (r) => {
          if (r.added) added++;
          lines.push(`${r.added ? 'added' : 'exists'}\t${r.sha256}\t${r.functions} functions\t${r.strings} strings\t${r.path}\n`);
        });
        await writeOut(io.stdout, lines.join(''));
        io.stderr.write(`${borrowed}firebreak db: ${added} added, ${lines.length - added} already present, in ${dbPath}\n`);
      } finally {
        db.close();
      }
      setExitStatus(sub, EXIT_CLEAN);
    });
  cmd
    .command('info')
    .description('list the families and counts of a database')
    .option('--db <file>', `database file (default ./${DEFAULT_DB_FILE})`)
    .action(async (opts: { db?: string }, sub: Command) => {
      const db = SimilarityDb.open(resolve(io.cwd, opts.db ?? DEFAULT_DB_FILE), { readonly: true });
      try {
        const out = [
          `samples: ${db.sampleCount('sample')}  common (baseline): ${db.sampleCount('common')}  created: ${db.meta('created_at') ?? '?'}`,
          ...db.families().map((f) => `${f.name}\t${f.samples} samples\tvariants ${f.variants.join(', ') || '-'}`),
        ];
        await writeOut(io.stdout, `${out.join('\n')}\n`);
      } finally {
        db.close();
      }
      setExitStatus(sub, EXIT_CLEAN);
    });
}
