// The incremental re-sweep cache (SQLite): analyses keyed by content hash and configuration, plus stat stamps
// that let an unchanged file skip even its read and hashing.
//
// Safety: an analysis is keyed by the sample's sha256 and a hash of everything that shapes it (tool version,
// engine, every rule and indicator, limits, which hashes samples keep), so a hit is the same answer a fresh scan
// would give. A stamp maps a path to its hashes (sha256 always; md5 and sha1 when the sweep computed them: a file
// no report lists keeps only what the IOC lists need) only while dev, inode, size, mtime and ctime (ns) are all
// unchanged, and is stored only for
// a file that did not change while it was read and not within RACY_WINDOW_NS before (ctime cannot be set back
// by an ordinary user, so a rewrite that keeps mtime still misses).

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { FirebreakError } from '../core/errors.js';
import type { Analysis } from './analysis.js';
import type { StoredHashes } from './hashes.js';
import { CACHE_MAX_AGE_DAYS } from './limits.js';
import type { Stamp } from './sources/types.js';

/** Bumped when the tables or the stored Analysis shape change; an older cache is emptied, not misread. */
const CACHE_FORMAT = 2;
/** Writes buffered before they are committed in one transaction. */
const WRITE_BATCH = 512;

function today(): number {
  return Math.floor(Date.now() / 86_400_000);
}

function stampText(s: Stamp): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

interface StampRow {
  stamp: string;
  md5: string | null;
  sha1: string | null;
  sha256: string;
  used: number;
}

type Write = () => void;

export class SweepCache {
  private readonly writes: Write[] = [];
  private readonly day = today();
  private configId: number | undefined;
  private readonly getStamp: Database.Statement<[Buffer], StampRow>;
  private readonly putStampStmt: Database.Statement<[Buffer, string, string | null, string | null, string, number]>;
  private readonly touchStamp: Database.Statement<[number, Buffer]>;
  private readonly getAnalysis: Database.Statement<[number, string, string], { data: string; used: number }>;
  private readonly putAnalysisStmt: Database.Statement<[number, string, string, string, number]>;
  private readonly touchAnalysis: Database.Statement<[number, number, string, string]>;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {
    this.getStamp = db.prepare('SELECT stamp, md5, sha1, sha256, used FROM stamps WHERE path = ?');
    this.putStampStmt = db.prepare('INSERT OR REPLACE INTO stamps (path, stamp, md5, sha1, sha256, used) VALUES (?, ?, ?, ?, ?, ?)');
    this.touchStamp = db.prepare('UPDATE stamps SET used = ? WHERE path = ?');
    this.getAnalysis = db.prepare('SELECT data, used FROM analyses WHERE config = ? AND sha256 = ? AND pathkey = ?');
    this.putAnalysisStmt = db.prepare('INSERT OR REPLACE INTO analyses (config, sha256, pathkey, data, used) VALUES (?, ?, ?, ?, ?)');
    this.touchAnalysis = db.prepare('UPDATE analyses SET used = ? WHERE config = ? AND sha256 = ? AND pathkey = ?');
  }

  /** Opens (creating it and its folder) the cache at `path`. Throws FirebreakError E_DB naming the file. */
  static async open(path: string): Promise<SweepCache> {
    let db: Database.Database;
    try {
      const { default: Sqlite } = await import('better-sqlite3');
      mkdirSync(dirname(path), { recursive: true });
      db = new Sqlite(path, { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== CACHE_FORMAT) {
        db.exec('DROP TABLE IF EXISTS stamps; DROP TABLE IF EXISTS analyses; DROP TABLE IF EXISTS configs; DROP TABLE IF EXISTS meta;');
        db.exec(`
          CREATE TABLE stamps (path BLOB PRIMARY KEY, stamp TEXT NOT NULL, md5 TEXT, sha1 TEXT,
                               sha256 TEXT NOT NULL, used INTEGER NOT NULL) WITHOUT ROWID;
          CREATE TABLE configs (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, info TEXT, used INTEGER NOT NULL);
          CREATE TABLE analyses (config INTEGER NOT NULL, sha256 TEXT NOT NULL, pathkey TEXT NOT NULL, data TEXT NOT NULL,
                                 used INTEGER NOT NULL, PRIMARY KEY (config, sha256, pathkey)) WITHOUT ROWID;
          CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        `);
        db.pragma(`user_version = ${CACHE_FORMAT}`);
      }
    } catch (e) {
      throw new FirebreakError('E_DB', `cannot open the sweep cache: ${e instanceof Error ? e.message : String(e)}`, { input: path, cause: e });
    }
    const cache = new SweepCache(db, path);
    cache.prune();
    return cache;
  }

  /** Selects the configuration (rules, indicators, limits) later lookups are for; returns what was stored for it. */
  useConfig(hash: string): string | undefined {
    const row = this.db.prepare('SELECT id, info FROM configs WHERE hash = ?').get(hash) as { id: number; info: string | null } | undefined;
    if (row) {
      this.configId = row.id;
      this.db.prepare('UPDATE configs SET used = ? WHERE id = ?').run(this.day, row.id);
      return row.info ?? undefined;
    }
    const r = this.db.prepare('INSERT INTO configs (hash, info, used) VALUES (?, NULL, ?)').run(hash, this.day);
    this.configId = Number(r.lastInsertRowid);
    return undefined;
  }

  /** Remembers what the configuration compiled to (rule count, skipped files), so a fully cached sweep need not compile. */
  setConfigInfo(info: string): void {
    const id = this.configId;
    if (id === undefined) return;
    this.writes.push(() => this.db.prepare('UPDATE configs SET info = ? WHERE id = ?').run(info, id));
  }

  hashesFor(path: Buffer, stamp: Stamp): StoredHashes | undefined {
    const row = this.getStamp.get(path);
    if (!row || row.stamp !== stampText(stamp)) return undefined;
    if (row.used !== this.day) this.queue(() => this.touchStamp.run(this.day, path));
    return { sha256: row.sha256, ...(row.md5 !== null ? { md5: row.md5 } : {}), ...(row.sha1 !== null ? { sha1: row.sha1 } : {}) };
  }

  putStamp(path: Buffer, stamp: Stamp, h: StoredHashes): void {
    this.queue(() => this.putStampStmt.run(path, stampText(stamp), h.md5 ?? null, h.sha1 ?? null, h.sha256, this.day));
  }

  analysisFor(sha256: string, pathKey: string): Analysis | undefined {
    const id = this.configId;
    if (id === undefined) return undefined;
    const row = this.getAnalysis.get(id, sha256, pathKey);
    if (!row) return undefined;
    if (row.used !== this.day) this.queue(() => this.touchAnalysis.run(this.day, id, sha256, pathKey));
    try {
      return JSON.parse(row.data) as Analysis;
    } catch {
      return undefined; // a damaged row is a miss, rewritten after the fresh scan
    }
  }

  /** Stores an analysis; `json` is its JSON when the caller already has it (from the worker). */
  putAnalysis(sha256: string, pathKey: string, a: Analysis, json?: string): void {
    const id = this.configId;
    if (id === undefined) return;
    const data = json ?? JSON.stringify(a);
    this.queue(() => this.putAnalysisStmt.run(id, sha256, pathKey, data, this.day));
  }

  flush(): void {
    if (this.writes.length === 0) return;
    const batch = this.writes.splice(0);
    this.db.transaction(() => {
      for (const w of batch) w();
    })();
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  private queue(w: Write): void {
    this.writes.push(w);
    if (this.writes.length >= WRITE_BATCH) this.flush();
  }

  /** Drops rows unused for CACHE_MAX_AGE_DAYS, at most once a day, so the cache does not grow without bound. */
  private prune(): void {
    const last = this.db.prepare("SELECT value FROM meta WHERE key = 'pruned'").get() as { value: string } | undefined;
    if (last && Number(last.value) >= this.day) return;
    const cutoff = this.day - CACHE_MAX_AGE_DAYS;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM stamps WHERE used < ?').run(cutoff);
      this.db.prepare('DELETE FROM analyses WHERE used < ?').run(cutoff);
      this.db.prepare('DELETE FROM configs WHERE used < ?').run(cutoff);
      this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('pruned', ?)").run(String(this.day));
    })();
  }
}

/**
 * The per-user cache folder of the platform ($XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS,
 * %LOCALAPPDATA% on Windows), with `firebreak` appended: the sweep's cache and the capability rule cache live here.
 */
export function userCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  const join = (...p: string[]): string => p.join(platform === 'win32' ? '\\' : '/');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'firebreak');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'firebreak');
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(base, 'firebreak');
}

/** Where the cache lives unless --cache or FIREBREAK_CACHE_DB says otherwise: in the per-user cache folder. */
export function defaultCachePath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  return `${userCacheDir(env, platform, home)}${platform === 'win32' ? '\\' : '/'}sweep-cache.sqlite`;
}

/**
 * A worker's read-only view of the cache: after hashing a file whose stamp changed (touched, copied, renamed),
 * the worker still finds its analysis by content and skips the scan.
 */
export class CacheReader {
  private constructor(
    private readonly db: Database.Database,
    private readonly stmt: Database.Statement<[string, string, string], { data: string }>,
  ) {}

  /** Opens the cache read-only, or returns undefined when it cannot (no cache is then a miss, not an error). */
  static async open(path: string): Promise<CacheReader | undefined> {
    try {
      const { default: Sqlite } = await import('better-sqlite3');
      const db = new Sqlite(path, { readonly: true, fileMustExist: true, timeout: 10_000 });
      const stmt = db.prepare<[string, string, string], { data: string }>(
        'SELECT a.data FROM analyses a JOIN configs c ON c.id = a.config WHERE c.hash = ? AND a.sha256 = ? AND a.pathkey = ?',
      );
      return new CacheReader(db, stmt);
    } catch {
      return undefined;
    }
  }

  analysisFor(configHash: string, sha256: string, pathKey: string): Analysis | undefined {
    try {
      const row = this.stmt.get(configHash, sha256, pathKey);
      return row ? (JSON.parse(row.data) as Analysis) : undefined;
    } catch {
      return undefined;
    }
  }

  close(): void {
    this.db.close();
  }
}
