// `rules test`: every rule against its own positive fixtures and the clean corpora, every IOC against both too.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { FirebreakError } from '../../core/errors.js';
import type { IocHit } from '../../core/findings.js';
import type { YaraEngine } from '../engine.js';
import type { HiveView, Indicator, IocSet } from '../ioc/types.js';
import { findPositives, unownedFixtures, walkFiles, type WalkStats } from './files.js';
import { packSources, type PackLayout } from './pack.js';
import { createPackScanner, type PackScanner } from './scanner.js';

/** Clean files named per rule or indicator at most; the count goes on. */
export const MAX_LISTED_CLEAN_HITS = 20;
/** Default cap on the size of a clean file scanned; larger ones are counted as skipped. */
export const DEFAULT_CLEAN_MAX_SIZE = 16 * 1024 * 1024;
/** Default amount of clean data each rule is also timed on alone (the whole pack scans all of it). */
export const DEFAULT_TIME_SAMPLE_BYTES = 64 * 1024 * 1024;

export interface PackIocs {
  set: IocSet;
  indicators: Indicator[];
  /** Opens a file as a registry hive when it is one, so regkey/regvalue indicators can be tested. */
  openHive?: (path: string, bytes: Uint8Array) => HiveView | undefined;
}

export interface TestOptions {
  engine: YaraEngine;
  /** Clean corpora: folders or files that must give no hit at all. */
  clean: string[];
  /** Overrides the pack's fixtures folder. */
  fixturesDir?: string;
  cleanMaxSize?: number;
  timeSampleBytes?: number;
  exclude?: (path: string) => boolean;
  iocs?: PackIocs;
  /** Called now and then with a line for a person (stderr progress). */
  progress?: (line: string) => void;
}

export interface RuleTestRow {
  /** `namespace.rule`. */
  key: string;
  rule: string;
  path: string;
  line: number;
  family?: string;
  confidence?: string;
  positives: number;
  positiveHits: number;
  /** Positives the rule missed. */
  missed: string[];
  cleanHits: number;
  cleanExamples: string[];
  /** Milliseconds the rule alone took over its positives and the timing sample of clean data. */
  ms: number;
}

export interface IocTestRow {
  list: string;
  line: number;
  type: string;
  value: string;
  /** Hashes of real samples cannot have benign fixtures; registry indicators need a hive reader. */
  testable: boolean;
  fixtureHits: number;
  cleanHits: number;
  cleanExamples: string[];
}

export interface TestResult {
  rules: RuleTestRow[];
  iocs: IocTestRow[];
  fixturesDir?: string;
  clean: { roots: string[]; files: number; bytes: number; tooLarge: number; skipped: number; unreadable: number };
  timedBytes: number;
  /** True when every rule hit all its positives, had at least one, and nothing hit a clean file. */
  ok: boolean;
}

async function readBytes(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

function hashes(bytes: Uint8Array): { md5: string; sha1: string; sha256: string } {
  const h = (alg: string): string => createHash(alg).update(bytes).digest('hex');
  return { md5: h('md5'), sha1: h('sha1'), sha256: h('sha256') };
}

function indicatorKey(list: string, line: number): string {
  return `${list}:${line}`;
}

function iocHits(iocs: PackIocs, path: string, bytes: Uint8Array): IocHit[] {
  const hits = iocs.set.match({ path, bytes, ...hashes(bytes) });
  const hive = iocs.openHive?.(path, bytes);
  if (hive) hits.push(...iocs.set.matchHive(hive));
  return hits;
}

function newRow(scanner: PackScanner, i: number, positives: string[] | undefined): RuleTestRow {
  const u = scanner.units[i]!;
  const meta = new Map(u.rule.block.meta.map((m) => [m.key, m.value]));
  const row: RuleTestRow = {
    key: u.key,
    rule: u.rule.block.name,
    path: u.rule.source.path,
    line: u.rule.block.line,
    positives: positives?.length ?? 0,
    positiveHits: 0,
    missed: [],
    cleanHits: 0,
    cleanExamples: [],
    ms: 0,
  };
  if (typeof meta.get('family') === 'string') row.family = meta.get('family') as string;
  if (typeof meta.get('confidence') === 'string') row.confidence = meta.get('confidence') as string;
  return row;
}

/**
 * Tests the pack at `layout`. Positives of rule R are the files below folders named R in the fixtures folder
 * (docs/pack.md); files outside such folders are IOC fixtures. Every clean file is scanned by the whole pack; each
 * rule is also timed alone on its positives and on the first `timeSampleBytes` of clean data.
 */
export async function testPack(layout: PackLayout, options: TestOptions): Promise<TestResult> {
  const sources = await packSources(layout);
  const fixturesDir = options.fixturesDir ?? layout.fixturesDir;
  const scanner = createPackScanner(options.engine, sources);
  try {
    const names = new Set(scanner.units.map((u) => u.rule.block.name));
    const positives = fixturesDir ? await findPositives(fixturesDir, names) : new Map<string, string[]>();
    const rows = scanner.units.map((u, i) => newRow(scanner, i, positives.get(u.rule.block.name)));
    const iocRows = new Map<string, IocTestRow>();
    for (const ind of options.iocs?.indicators ?? []) {
      const testable = !['md5', 'sha1', 'sha256'].includes(ind.type) && (options.iocs?.openHive !== undefined || !ind.type.startsWith('reg'));
      iocRows.set(indicatorKey(ind.list, ind.line), {
        list: ind.list,
        line: ind.line,
        type: ind.type,
        value: ind.value,
        testable,
        fixtureHits: 0,
        cleanHits: 0,
        cleanExamples: [],
      });
    }

    // Positives: the whole pack must name the rule; the rule alone is timed.
    let unreadable = 0;
    for (const [i, u] of scanner.units.entries()) {
      const row = rows[i]!;
      for (const file of positives.get(u.rule.block.name) ?? []) {
        const bytes = await readBytes(file);
        if (!bytes) {
          unreadable++;
          row.missed.push(file);
          continue;
        }
        const t = scanner.timeUnit(u, bytes, file);
        row.ms += t.ms;
        if (scanner.matches(bytes, file).has(u.key)) row.positiveHits++;
        else row.missed.push(file);
      }
    }
    // IOC fixtures: every file of the fixtures folder counts (rule fixtures named after an IOC are fine too).
    if (options.iocs && fixturesDir) {
      const files = [...(await unownedFixtures(fixturesDir, names)), ...[...positives.values()].flat()];
      for (const file of new Set(files)) {
        const bytes = await readBytes(file);
        if (!bytes) continue;
        for (const h of iocHits(options.iocs, file, bytes)) {
          const r = h.line === undefined ? undefined : iocRows.get(indicatorKey(h.list, h.line));
          if (r) r.fixtureHits++;
        }
      }
    }

    // Clean corpora: nothing may hit.
    const stats: WalkStats = { files: 0, tooLarge: 0, skipped: 0 };
    let bytesScanned = 0;
    let timedBytes = 0;
    const sample = options.timeSampleBytes ?? DEFAULT_TIME_SAMPLE_BYTES;
    const walk = walkFiles(options.clean, { maxSize: options.cleanMaxSize ?? DEFAULT_CLEAN_MAX_SIZE, exclude: options.exclude }, stats);
    let lastReport = performance.now();
    for await (const f of walk) {
      const bytes = await readBytes(f.path);
      if (!bytes) {
        unreadable++;
        continue;
      }
      bytesScanned += bytes.length;
      let hits: Set<string>;
      try {
        hits = scanner.matches(bytes, f.path);
      } catch (e) {
        throw new FirebreakError('E_ENGINE', `scan failed: ${e instanceof Error ? e.message : String(e)}`, { input: f.path, cause: e });
      }
      for (const row of rows) {
        if (!hits.has(row.key)) continue;
        row.cleanHits++;
        if (row.cleanExamples.length < MAX_LISTED_CLEAN_HITS) row.cleanExamples.push(f.path);
      }
      if (timedBytes < sample) {
        timedBytes += bytes.length;
        for (const [i, u] of scanner.units.entries()) rows[i]!.ms += scanner.timeUnit(u, bytes, f.path).ms;
      }
      if (options.iocs) {
        for (const h of iocHits(options.iocs, f.path, bytes)) {
          const r = h.line === undefined ? undefined : iocRows.get(indicatorKey(h.list, h.line));
          if (!r) continue;
          r.cleanHits++;
          if (r.cleanExamples.length < MAX_LISTED_CLEAN_HITS) r.cleanExamples.push(f.path);
        }
      }
      if (options.progress && performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        options.progress(`rules test: ${stats.files} clean files, ${(bytesScanned / 2 ** 20).toFixed(0)} MiB scanned`);
      }
    }

    const iocs = [...iocRows.values()];
    const ok =
      rows.every((r) => r.positives > 0 && r.positiveHits === r.positives && r.cleanHits === 0) &&
      iocs.every((r) => r.cleanHits === 0);
    const result: TestResult = {
      rules: rows,
      iocs,
      clean: {
        roots: options.clean,
        files: stats.files,
        bytes: bytesScanned,
        tooLarge: stats.tooLarge,
        skipped: stats.skipped,
        unreadable,
      },
      timedBytes,
      ok,
    };
    if (fixturesDir) result.fixturesDir = fixturesDir;
    return result;
  } finally {
    scanner.dispose();
  }
}
