// The family database: one SQLite file holding each sample's features (never the sample), LSH keys and rarity tables.
// The only importer of better-sqlite3 in similarity/.

import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { FirebreakError } from '../core/errors.js';
import { FEATURES_VERSION, type FunctionFeature, type SampleFeatures, type SectionFeature } from './features.js';
import { bandKeys, LSH_BANDS, minhash } from './minhash.js';
import { featureKeysOf, KIND_FUNCTION, KIND_STRING, minhashInputs, prepareKeys, type Commonness, type FeatureKeys, type Prepared } from './score.js';

export const DB_SCHEMA_VERSION = 2;
/** Candidates taken from one LSH bucket; a bucket fuller than this is dominated by one huge family or by noise. */
export const MAX_BUCKET_CANDIDATES = 32;
/** Candidates scored per query, at most. */
export const MAX_QUERY_CANDIDATES = 64;
/** A feature present in at least this many groups, and in at least COMMON_GROUP_FRACTION of them, is common. */
export const COMMON_MIN_GROUPS = 3;
export const COMMON_GROUP_FRACTION = 0.5;
/**
 * Samples read to decide which features are frequent: all of a smaller database, an evenly spread subset of a
 * larger one (a feature in half the groups cannot hide from 5,000 samples).
 */
export const RARITY_SAMPLE = 5000;

/** LSH band numbers: code bands, then string bands, then TLSH slices. */
const BAND_CODE = 0;
const BAND_STRINGS = LSH_BANDS;
const BAND_TLSH = 2 * LSH_BANDS;
/** The TLSH body (64 hex digits after the 6-digit header) cut into this many slices, each an exact-match band. */
const TLSH_SLICES = 8;

export type SampleRole = 'sample' | 'common';

export interface StoredSample {
  id: number;
  family: string | null;
  variant: string | null;
  role: SampleRole;
  addedAt: string;
  features: SampleFeatures;
}

export interface AddOptions {
  family?: string;
  variant?: string;
  /** `common`: runtime or library code whose features never count as evidence (a baseline). */
  role?: SampleRole;
}

export interface FamilySummary {
  name: string;
  samples: number;
  variants: string[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS samples (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  md5 TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  role TEXT NOT NULL,
  family TEXT,
  variant TEXT,
  format TEXT NOT NULL,
  tlsh TEXT,
  ssdeep TEXT,
  imphash TEXT,
  import_count INTEGER NOT NULL,
  rich_hash TEXT,
  features_version INTEGER NOT NULL,
  added_at TEXT NOT NULL,
  -- Scoring reads only the columns up to keys; the large lists come last so it never walks their overflow pages.
  keys BLOB NOT NULL,
  sections TEXT NOT NULL,
  functions BLOB NOT NULL,
  strings BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS samples_family ON samples(family);
CREATE INDEX IF NOT EXISTS samples_imphash ON samples(imphash);
CREATE INDEX IF NOT EXISTS samples_rich ON samples(rich_hash);
CREATE TABLE IF NOT EXISTS lsh (band INTEGER NOT NULL, key INTEGER NOT NULL, sample INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lsh_band_key ON lsh(band, key);
CREATE TABLE IF NOT EXISTS frequent_features (kind INTEGER NOT NULL, key INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS common_features (kind INTEGER NOT NULL, key INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;
`;

/** 16 bytes per function: hash (8), RVA (4), instruction count (4), little-endian. */
function encodeFunctions(fns: FunctionFeature[]): Buffer {
  const buf = Buffer.alloc(fns.length * 16);
  fns.forEach((f, i) => {
    buf.write(f.hash, i * 16, 8, 'hex');
    buf.writeUInt32LE(f.rva >>> 0, i * 16 + 8);
    buf.writeUInt32LE(f.insns >>> 0, i * 16 + 12);
  });
  return buf;
}

function decodeFunctions(buf: Buffer): FunctionFeature[] {
  const out: FunctionFeature[] = [];
  for (let o = 0; o + 16 <= buf.length; o += 16) {
    out.push({ hash: buf.toString('hex', o, o + 8), rva: buf.readUInt32LE(o + 8), insns: buf.readUInt32LE(o + 12) });
  }
  return out;
}

/** Strings as UTF-8 joined by NUL, deflated: a fifth of the JSON size for typical string sets. */
function encodeStrings(strings: string[]): Buffer {
  return deflateRawSync(Buffer.from(strings.join('\u0000'), 'utf8'));
}

function decodeStrings(buf: Buffer): string[] {
  if (buf.length === 0) return [];
  const text = inflateRawSync(buf).toString('utf8');
  return text === '' ? [] : text.split('\u0000');
}

/** FeatureKeys packed: counts, then both key arrays (float64), then instructions and string indexes (uint32). */
function encodeKeys(k: FeatureKeys): Buffer {
  const nf = k.fnKeys.length;
  const ns = k.strKeys.length;
  const buf = Buffer.alloc(8 + 8 * (nf + ns) + 4 * (nf + ns));
  buf.writeUInt32LE(nf, 0);
  buf.writeUInt32LE(ns, 4);
  let o = 8;
  for (const v of k.fnKeys) (buf.writeDoubleLE(v, o), (o += 8));
  for (const v of k.strKeys) (buf.writeDoubleLE(v, o), (o += 8));
  for (const v of k.fnInsns) (buf.writeUInt32LE(v, o), (o += 4));
  for (const v of k.strIndex) (buf.writeUInt32LE(v, o), (o += 4));
  return buf;
}

function decodeKeys(buf: Buffer): FeatureKeys {
  const nf = buf.readUInt32LE(0);
  const ns = buf.readUInt32LE(4);
  // Copied into aligned arrays: a SQLite blob's offset in its buffer need not be a multiple of 8.
  const f64 = new Float64Array(nf + ns);
  const u32 = new Uint32Array(nf + ns);
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  new Uint8Array(f64.buffer).set(bytes.subarray(8, 8 + 8 * (nf + ns)));
  new Uint8Array(u32.buffer).set(bytes.subarray(8 + 8 * (nf + ns), 8 + 12 * (nf + ns)));
  return { fnKeys: f64.subarray(0, nf), strKeys: f64.subarray(nf), fnInsns: u32.subarray(0, nf), strIndex: u32.subarray(nf) };
}

interface SampleRow {
  id: number;
  sha256: string;
  md5: string;
  name: string;
  size: number;
  role: SampleRole;
  family: string | null;
  variant: string | null;
  format: SampleFeatures['format'];
  tlsh: string | null;
  ssdeep: string | null;
  imphash: string | null;
  import_count: number;
  rich_hash: string | null;
  sections: string;
  functions: Buffer;
  strings: Buffer;
  keys: Buffer;
  features_version: number;
  added_at: string;
}

function rowToSample(r: SampleRow): StoredSample {
  return {
    id: r.id,
    family: r.family,
    variant: r.variant,
    role: r.role,
    addedAt: r.added_at,
    features: {
      version: r.features_version,
      name: r.name,
      size: r.size,
      sha256: r.sha256,
      md5: r.md5,
      format: r.format,
      tlsh: r.tlsh,
      ssdeep: r.ssdeep,
      imphash: r.imphash,
      importCount: r.import_count,
      richHash: r.rich_hash,
      sections: JSON.parse(r.sections) as SectionFeature[],
      functions: decodeFunctions(r.functions),
      strings: decodeStrings(r.strings),
    },
  };
}

/** The columns a comparison needs, without the function list and strings (loaded only for evidence). */
const LIGHT_COLUMNS = 'id, sha256, md5, name, size, role, family, variant, format, tlsh, ssdeep, imphash, import_count, rich_hash, keys, features_version, added_at';

function lightSample(r: Omit<SampleRow, 'functions' | 'strings' | 'sections'>): StoredSample {
  return rowToSample({ ...r, functions: Buffer.alloc(0), strings: EMPTY_STRINGS, sections: '[]' });
}

/** Stands for "not loaded" in light samples; decoding it is skipped. */
const EMPTY_STRINGS = Buffer.alloc(0);

/** Every (kind, key) of a sample, each once. */
function allKeys(k: FeatureKeys): [number, number][] {
  return [...Array.from(k.fnKeys, (v): [number, number] => [KIND_FUNCTION, v]), ...Array.from(k.strKeys, (v): [number, number] => [KIND_STRING, v])];
}

function tlshSlices(tlsh: string | null): number[] {
  if (!tlsh) return [];
  const body = tlsh.slice(-64);
  const width = body.length / TLSH_SLICES;
  return Array.from({ length: TLSH_SLICES }, (_, i) => Number.parseInt(body.slice(i * width, (i + 1) * width), 16));
}

class KeySets implements Commonness {
  private readonly sets = new Map<number, Set<number>>([
    [KIND_FUNCTION, new Set()],
    [KIND_STRING, new Set()],
  ]);
  add(kind: number, key: number): void {
    this.sets.get(kind)?.add(key);
  }
  isCommon(kind: number, key: number): boolean {
    return this.sets.get(kind)?.has(key) ?? false;
  }
  forEach(fn: (kind: number, key: number) => void): void {
    for (const [kind, set] of this.sets) for (const key of set) fn(kind, key);
  }
}

export class SimilarityDb {
  private readonly db: Database.Database;
  private baselineCache: KeySets | null = null;
  private commonCache: Commonness | null = null;
  /** Another database's baseline, used while this one has none of its own (see useFallbackBaseline). */
  private fallbackBaseline: KeySets | null = null;

  private constructor(
    readonly path: string,
    db: Database.Database,
    private readonly readonly: boolean,
  ) {
    this.db = db;
  }

  /** Opens (or with `create`, creates) a database file. Throws E_DB with the path when it is not one of ours. */
  static open(path: string, options: { create?: boolean; readonly?: boolean } = {}): SimilarityDb {
    if (!options.create && !existsSync(path)) {
      throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such similarity database', { input: path });
    }
    if (existsSync(path) && statSync(path).isDirectory()) {
      throw new FirebreakError('E_DB', 'is a folder, not a similarity database file', { input: path });
    }
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: !options.create });
    } catch (e) {
      throw new FirebreakError('E_DB', `cannot open database: ${e instanceof Error ? e.message : String(e)}`, { input: path, cause: e });
    }
    const self = new SimilarityDb(path, db, options.readonly ?? false);
    try {
      if (!options.readonly) {
        db.pragma('journal_mode = DELETE');
        // Rarity counts are updated in place for every feature of every sample: a large page cache saves disk trips.
        db.pragma('cache_size = -131072');
        db.exec(SCHEMA);
        const v = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
        if (!v) {
          const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
          put.run('schema_version', String(DB_SCHEMA_VERSION));
          put.run('features_version', String(FEATURES_VERSION));
          put.run('created_at', new Date().toISOString());
        }
      }
      const v = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
      if (!v || Number(v.value) !== DB_SCHEMA_VERSION) {
        const found = v ? `schema ${v.value}` : 'no schema version';
        throw new FirebreakError('E_DB', `not a similarity database of schema ${DB_SCHEMA_VERSION} (it has ${found})`, { input: path });
      }
      // Features of another extraction version (other function hashing, other string rules) never match this
      // build's: scores against them would be silently wrong, so the database is refused until rebuilt.
      const fv = db.prepare('SELECT value FROM meta WHERE key = ?').get('features_version') as { value: string } | undefined;
      if (!fv || Number(fv.value) !== FEATURES_VERSION) {
        throw new FirebreakError(
          'E_DB',
          `features version ${fv?.value ?? 'missing'}, this build reads version ${FEATURES_VERSION} (rebuild the database with db add)`,
          { input: path },
        );
      }
    } catch (e) {
      db.close();
      if (e instanceof FirebreakError) throw e;
      throw new FirebreakError('E_DB', `not a similarity database: ${e instanceof Error ? e.message : String(e)}`, { input: path, cause: e });
    }
    return self;
  }

  /** Closes the file, first bringing the stored rarity up to date when samples were added. */
  close(): void {
    if (this.db.open) {
      this.refreshRarity();
      this.db.close();
    }
  }

  /** True when samples were stored with `role: 'common'` (the database has its own runtime baseline). */
  hasOwnBaseline(): boolean {
    return this.db.prepare('SELECT 1 FROM common_features LIMIT 1').get() !== undefined;
  }

  /**
   * Borrows the baseline of the database at `path` while this one has none of its own: without one, the runtime
   * code every program of one compiler carries counts as shared evidence and unrelated programs look like a
   * family. Returns false (and borrows nothing) when this database has its own baseline, when `path` is this
   * database or no file, or when it has no baseline either.
   */
  useFallbackBaseline(path: string): boolean {
    if (this.hasOwnBaseline() || resolve(path) === resolve(this.path) || !existsSync(path)) return false;
    const other = SimilarityDb.open(path, { readonly: true });
    try {
      if (!other.hasOwnBaseline()) return false;
      this.fallbackBaseline = other.ownBaseline();
    } finally {
      other.close();
    }
    this.commonCache = null;
    return true;
  }

  /** Features of runtime and library code marked `common` (or a borrowed baseline): never evidence, and left out of LSH keys. */
  baseline(): Commonness {
    if (this.fallbackBaseline && !this.hasOwnBaseline()) return this.fallbackBaseline;
    return this.ownBaseline();
  }

  private ownBaseline(): KeySets {
    if (!this.baselineCache) {
      const sets = new KeySets();
      for (const r of this.db.prepare('SELECT kind, key FROM common_features').iterate() as Iterable<{ kind: number; key: number }>) {
        sets.add(r.kind, r.key);
      }
      this.baselineCache = sets;
    }
    return this.baselineCache;
  }

  /** Groups for rarity: each family counts once, each sample without a family counts as its own group. */
  groupCount(): number {
    const r = this.db
      .prepare("SELECT COUNT(DISTINCT family) AS f, SUM(family IS NULL) AS u FROM samples WHERE role = 'sample'")
      .get() as { f: number; u: number | null };
    return r.f + (r.u ?? 0);
  }

  /**
   * Features in at least COMMON_MIN_GROUPS groups and COMMON_GROUP_FRACTION of all groups, counted over up to
   * RARITY_SAMPLE samples in family order (so each family counts once per feature).
   */
  private computeFrequent(): KeySets {
    const n = this.sampleCount();
    const step = Math.max(1, Math.ceil(n / RARITY_SAMPLE));
    const rows = this.db
      .prepare("SELECT id, family, keys FROM samples WHERE role = 'sample' AND id % ? = 0 ORDER BY family, id")
      .iterate(step) as Iterable<{ id: number; family: string | null; keys: Buffer }>;
    const counts = new Map<number, { groups: number; last: string }>();
    const groups = new Set<string>();
    for (const r of rows) {
      const group = r.family ?? `#${r.id}`;
      groups.add(group);
      const k = decodeKeys(r.keys);
      const visit = (keys: Float64Array, kind: number): void => {
        for (const key of keys) {
          const id = key * 4 + kind;
          const c = counts.get(id);
          if (!c) counts.set(id, { groups: 1, last: group });
          else if (c.last !== group) {
            c.groups++;
            c.last = group;
          }
        }
      };
      visit(k.fnKeys, KIND_FUNCTION);
      visit(k.strKeys, KIND_STRING);
    }
    const threshold = Math.max(COMMON_MIN_GROUPS, Math.ceil(COMMON_GROUP_FRACTION * groups.size));
    const frequent = new KeySets();
    for (const [id, c] of counts) if (c.groups >= threshold) frequent.add(id % 4, Math.floor(id / 4));
    return frequent;
  }

  /** Recomputes the stored frequent features when samples were added since (writable databases only). */
  refreshRarity(): void {
    const n = this.sampleCount();
    if (this.readonly || Number(this.meta('rarity_at_samples') ?? -1) === n) return;
    const frequent = this.computeFrequent();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM frequent_features').run();
      const put = this.db.prepare('INSERT INTO frequent_features (kind, key) VALUES (?, ?)');
      frequent.forEach((kind, key) => put.run(kind, key));
      this.setMeta('rarity_at_samples', String(n));
    })();
    this.commonCache = null;
  }

  /** The baseline plus the frequent features (see computeFrequent); up to date even when opened read-only. */
  commonness(): Commonness {
    if (!this.commonCache) {
      const base = this.baseline();
      let frequent: KeySets;
      if (Number(this.meta('rarity_at_samples') ?? -1) === this.sampleCount()) {
        frequent = new KeySets();
        for (const r of this.db.prepare('SELECT kind, key FROM frequent_features').iterate() as Iterable<{ kind: number; key: number }>) frequent.add(r.kind, r.key);
      } else if (!this.readonly) {
        this.refreshRarity();
        return this.commonness();
      } else {
        frequent = this.computeFrequent();
      }
      this.commonCache = { isCommon: (kind, key) => base.isCommon(kind, key) || frequent.isCommon(kind, key) };
    }
    return this.commonCache;
  }

  /** Stores a sample's features. A sample already present (same SHA-256) only gets its family or variant updated. */
  add(f: SampleFeatures, options: AddOptions = {}): { id: number; added: boolean } {
    return this.db.transaction(() => this.addOne(f, options))();
  }

  /** Many samples in one transaction. */
  addMany(items: { features: SampleFeatures; options?: AddOptions }[]): { id: number; added: boolean }[] {
    return this.db.transaction(() => items.map((it) => this.addOne(it.features, it.options ?? {})))();
  }

  private addOne(f: SampleFeatures, options: AddOptions): { id: number; added: boolean } {
    const role = options.role ?? 'sample';
    const existing = this.db.prepare('SELECT id FROM samples WHERE sha256 = ?').get(f.sha256) as { id: number } | undefined;
    if (existing) {
      if (options.family !== undefined || options.variant !== undefined) {
        this.db
          .prepare('UPDATE samples SET family = COALESCE(?, family), variant = COALESCE(?, variant) WHERE id = ?')
          .run(options.family ?? null, options.variant ?? null, existing.id);
      }
      return { id: existing.id, added: false };
    }
    const keys = featureKeysOf(f);
    const info = this.db
      .prepare(
        `INSERT INTO samples (sha256, md5, name, size, role, family, variant, format, tlsh, ssdeep, imphash, import_count,
           rich_hash, sections, functions, strings, keys, features_version, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        f.sha256, f.md5, f.name, f.size, role, options.family ?? null, options.variant ?? null, f.format, f.tlsh, f.ssdeep,
        f.imphash, f.importCount, f.richHash, JSON.stringify(f.sections), encodeFunctions(f.functions),
        encodeStrings(f.strings), encodeKeys(keys), f.version, new Date().toISOString(),
      );
    const id = Number(info.lastInsertRowid);
    if (role === 'common') {
      const put = this.db.prepare('INSERT OR IGNORE INTO common_features (kind, key) VALUES (?, ?)');
      for (const [kind, key] of allKeys(keys)) put.run(kind, key);
      this.baselineCache = null;
    } else {
      this.indexLsh(id, prepareKeys(f, keys, this.baseline()));
    }
    this.commonCache = null;
    return { id, added: true };
  }

  private indexLsh(id: number, p: Prepared): void {
    const put = this.db.prepare('INSERT INTO lsh (band, key, sample) VALUES (?, ?, ?)');
    for (const [band, key] of lshEntries(p)) put.run(band, key, id);
  }

  /** Samples that may be similar to `p`: LSH bucket mates, equal imphash or Rich hash. Never all pairs. */
  candidates(p: Prepared, limit = MAX_QUERY_CANDIDATES): number[] {
    const found = new Map<number, number>();
    const bucket = this.db.prepare('SELECT sample FROM lsh WHERE band = ? AND key = ? LIMIT ?');
    const note = (id: number): void => {
      found.set(id, (found.get(id) ?? 0) + 1);
    };
    for (const [band, key] of lshEntries(p)) {
      for (const r of bucket.all(band, key, MAX_BUCKET_CANDIDATES) as { sample: number }[]) note(r.sample);
    }
    const f = p.features;
    if (f.imphash) {
      for (const r of this.db.prepare("SELECT id FROM samples WHERE imphash = ? AND role = 'sample' LIMIT ?").all(f.imphash, MAX_BUCKET_CANDIDATES) as { id: number }[]) note(r.id);
    }
    if (f.richHash) {
      for (const r of this.db.prepare("SELECT id FROM samples WHERE rich_hash = ? AND role = 'sample' LIMIT ?").all(f.richHash, MAX_BUCKET_CANDIDATES) as { id: number }[]) note(r.id);
    }
    // Most shared buckets first: the likeliest neighbours survive the cut.
    return [...found.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit).map(([id]) => id);
  }

  /** Candidates ready for scoring, read without their function lists and strings (see load for those). */
  loadPrepared(ids: number[], common: Commonness): { sample: StoredSample; prepared: Prepared }[] {
    const get = this.db.prepare(`SELECT ${LIGHT_COLUMNS} FROM samples WHERE id = ?`);
    const out: { sample: StoredSample; prepared: Prepared }[] = [];
    for (const id of ids) {
      const r = get.get(id) as (Omit<SampleRow, 'functions' | 'strings' | 'sections'>) | undefined;
      if (!r) continue;
      const sample = lightSample(r);
      out.push({ sample, prepared: prepareKeys(sample.features, decodeKeys(r.keys), common) });
    }
    return out;
  }

  /** Samples in full with their stored keys, for evidence lists. */
  loadWithKeys(ids: number[]): { sample: StoredSample; keys: FeatureKeys }[] {
    const get = this.db.prepare('SELECT * FROM samples WHERE id = ?');
    const out: { sample: StoredSample; keys: FeatureKeys }[] = [];
    for (const id of ids) {
      const r = get.get(id) as SampleRow | undefined;
      if (r) out.push({ sample: rowToSample(r), keys: decodeKeys(r.keys) });
    }
    return out;
  }

  load(ids: number[]): StoredSample[] {
    if (ids.length === 0) return [];
    const out: StoredSample[] = [];
    const get = this.db.prepare('SELECT * FROM samples WHERE id = ?');
    for (const id of ids) {
      const r = get.get(id) as SampleRow | undefined;
      if (r) out.push(rowToSample(r));
    }
    return out;
  }

  /** Every stored sample of role `sample`, in insertion order. */
  *samples(): Generator<StoredSample> {
    for (const r of this.db.prepare("SELECT * FROM samples WHERE role = 'sample' ORDER BY id").iterate() as Iterable<SampleRow>) {
      yield rowToSample(r);
    }
  }

  sampleCount(role: SampleRole = 'sample'): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM samples WHERE role = ?').get(role) as { n: number }).n;
  }

  families(): FamilySummary[] {
    const rows = this.db
      .prepare(
        "SELECT family, COUNT(*) AS n, GROUP_CONCAT(DISTINCT variant) AS v FROM samples WHERE role = 'sample' AND family IS NOT NULL GROUP BY family ORDER BY family",
      )
      .all() as { family: string; n: number; v: string | null }[];
    return rows.map((r) => ({ name: r.family, samples: r.n, variants: r.v ? r.v.split(',').sort() : [] }));
  }

  meta(key: string): string | null {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

/** The (band, key) pairs a prepared sample is filed under. */
export function lshEntries(p: Prepared): [number, number][] {
  const inputs = minhashInputs(p);
  const out: [number, number][] = [];
  if (inputs.code.length > 0) bandKeys(minhash(inputs.code)).forEach((k, b) => out.push([BAND_CODE + b, k]));
  if (inputs.strings.length > 0) bandKeys(minhash(inputs.strings)).forEach((k, b) => out.push([BAND_STRINGS + b, k]));
  tlshSlices(p.features.tlsh).forEach((k, b) => out.push([BAND_TLSH + b, k]));
  return out;
}

/** What a command says when `db` borrows `from`'s baseline (SimilarityDb.useFallbackBaseline): one line. */
export function borrowedBaselineNote(db: string, from: string): string {
  return `${db} has no runtime baseline (db add --common); using ${from}'s`;
}
