// The pack's IOC lists for `rules check|list|test`: parsed with the sweep's own IOC reader, so they mean the same.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FirebreakError } from '../../core/errors.js';
import { isRegfMagic, parseRegf } from '../../formats/regf/index.js';
import { createHiveView } from '../ioc/hive-view.js';
import { loadIocLists } from '../ioc/parse.js';
import { createIocSet } from '../ioc/set.js';
import type { IocList } from '../ioc/types.js';
import type { PackDiagnostic } from './lint.js';
import type { PackIocs } from './test.js';

/** IOC list files read from a pack's iocs folder at most. */
export const MAX_IOC_LIST_FILES = 10_000;

/** IOC list files in a pack's iocs folder (not recursive): .txt, .json and .csv lists. */
export async function iocListFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => /\.(txt|json|csv)$/i.test(n)).sort();
  if (names.length > MAX_IOC_LIST_FILES) {
    throw new FirebreakError('E_LIMIT', `more than ${MAX_IOC_LIST_FILES} IOC lists`, { input: dir });
  }
  return names.map((n) => join(dir, n));
}

/**
 * Parses every list. A list that does not parse is an error at its line; an indicator the sweep would leave out
 * (a Python regex JavaScript cannot express...) and one without a description naming its source are warnings.
 * Returns the lists that parsed.
 */
export async function checkIocLists(dir: string, diagnostics: PackDiagnostic[]): Promise<IocList[]> {
  const lists: IocList[] = [];
  for (const path of await iocListFiles(dir)) {
    let list: IocList;
    try {
      [list] = (await loadIocLists([path])) as [IocList];
    } catch (e) {
      const fe = e instanceof FirebreakError ? e : undefined;
      diagnostics.push({ path, line: fe?.line, severity: 'error', code: 'ioc-syntax', message: fe?.message ?? String(e) });
      continue;
    }
    lists.push(list);
    for (const w of list.warnings) {
      diagnostics.push({ path, line: w.line, severity: 'warning', code: 'ioc-skipped', message: w.message });
    }
    for (const ind of list.indicators) {
      if (!ind.description?.trim()) {
        diagnostics.push({
          path,
          line: ind.line,
          severity: 'warning',
          code: 'ioc-no-source',
          message: `${ind.type}:${ind.value} has no description naming its source`,
        });
      }
    }
  }
  return lists;
}

export interface IocListSummary {
  path: string;
  indicators: number;
  byType: Record<string, number>;
}

/** Indicator counts per list and type. Throws when a list does not parse. */
export async function summarizeIocLists(dir: string): Promise<IocListSummary[]> {
  const lists = await loadIocLists(await iocListFiles(dir));
  return lists.map((l) => {
    const byType: Record<string, number> = {};
    for (const ind of l.indicators) byType[ind.type] = (byType[ind.type] ?? 0) + 1;
    return { path: l.name, indicators: l.indicators.length, byType };
  });
}

/** A registry hive as the IOC matcher walks it, or undefined when the bytes are not a hive. */
export function openHive(path: string, bytes: Uint8Array): ReturnType<typeof createHiveView> | undefined {
  if (!isRegfMagic(bytes)) return undefined;
  const hive = parseRegf(bytes);
  return hive.isRegf ? createHiveView(hive, { name: path }) : undefined;
}

/** The pack's IOC lists as the sweep reads them, with the hive reader, for `rules test`. */
export async function loadPackIocs(dir: string): Promise<PackIocs> {
  const lists = await loadIocLists(await iocListFiles(dir));
  return { set: createIocSet(lists), indicators: lists.flatMap((l) => l.indicators), openHive };
}
