// `rules profile`: the CPU time each rule takes alone over a corpus, slowest first, beside the whole pack's.

import { readFile } from 'node:fs/promises';
import type { YaraEngine } from '../engine.js';
import { walkFiles, type WalkStats } from './files.js';
import { packSources, type PackLayout } from './pack.js';
import { cpuMs, createPackScanner } from './scanner.js';

export interface ProfileRow {
  key: string;
  rule: string;
  path: string;
  line: number;
  ms: number;
  /** Corpus files the rule matched. */
  hits: number;
}

export interface ProfileResult {
  rows: ProfileRow[];
  files: number;
  bytes: number;
  tooLarge: number;
  /** The whole pack as one set over the same files: what a sweep pays. */
  packMs: number;
  compileMs: number;
}

export interface ProfileOptions {
  engine: YaraEngine;
  corpus: string[];
  maxSize?: number;
  exclude?: (path: string) => boolean;
  progress?: (line: string) => void;
}

/** Profiles every non-private rule of the pack over the corpus; each file is read once and scanned by each rule. */
export async function profilePack(layout: PackLayout, options: ProfileOptions): Promise<ProfileResult> {
  const sources = await packSources(layout);
  const t0 = process.cpuUsage();
  const scanner = createPackScanner(options.engine, sources);
  const compileMs = cpuMs(t0);
  try {
    const rows: ProfileRow[] = scanner.units.map((u) => ({
      key: u.key,
      rule: u.rule.block.name,
      path: u.rule.source.path,
      line: u.rule.block.line,
      ms: 0,
      hits: 0,
    }));
    const stats: WalkStats = { files: 0, tooLarge: 0, skipped: 0 };
    let bytesRead = 0;
    let packMs = 0;
    let last = performance.now();
    for await (const f of walkFiles(options.corpus, { maxSize: options.maxSize, exclude: options.exclude }, stats)) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(f.path);
      } catch {
        continue;
      }
      bytesRead += bytes.length;
      const start = process.cpuUsage();
      scanner.matches(bytes, f.path);
      packMs += cpuMs(start);
      for (const [i, u] of scanner.units.entries()) {
        const t = scanner.timeUnit(u, bytes, f.path);
        rows[i]!.ms += t.ms;
        if (t.matched) rows[i]!.hits++;
      }
      if (options.progress && performance.now() - last > 5000) {
        last = performance.now();
        options.progress(`rules profile: ${stats.files} files, ${(bytesRead / 2 ** 20).toFixed(0)} MiB`);
      }
    }
    rows.sort((a, b) => b.ms - a.ms || (a.key < b.key ? -1 : 1));
    return { rows, files: stats.files, bytes: bytesRead, tooLarge: stats.tooLarge, packMs, compileMs };
  } finally {
    scanner.dispose();
  }
}
