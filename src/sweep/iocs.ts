// The sweep's view of IOC lists: loads them (plain data, so each worker builds its own matcher), and splits hits
// into those that follow from the bytes (cacheable) and those that follow from the path or hashes.

import type { IocHit, IocType, SourceRef } from '../core/findings.js';
import { createIocSet, loadIocLists } from '../detect/index.js';
import type { IocList, IocSet } from '../detect/ioc/types.js';

/** Indicator types matched against file contents; the others are matched against the path and hashes. */
export const CONTENT_IOC_TYPES: ReadonlySet<IocType> = new Set<IocType>(['string', 'domain', 'ip']);

export async function loadIocs(paths: string[]): Promise<IocList[]> {
  return paths.length === 0 ? [] : loadIocLists(paths);
}

export function buildIocSet(lists: IocList[]): IocSet | undefined {
  return lists.length === 0 ? undefined : createIocSet(lists);
}

export function contentHits(hits: IocHit[]): IocHit[] {
  return hits.filter((h) => CONTENT_IOC_TYPES.has(h.type));
}

export function nonContentHits(hits: IocHit[]): IocHit[] {
  return hits.filter((h) => !CONTENT_IOC_TYPES.has(h.type));
}

/** The other names a sample is known by, for filename: indicators: a disk image member's 8.3 name. */
export function altNamesOf(source: SourceRef): readonly string[] | undefined {
  return source.kind === 'image-file' && source.shortName !== undefined ? [source.shortName] : undefined;
}

/** One stable order for hits, so a cached replay and a fresh scan print the same report. */
export function sortHits(hits: IocHit[]): IocHit[] {
  return hits.sort(
    (a, b) =>
      cmp(a.list, b.list) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.type, b.type) || (a.offset ?? -1) - (b.offset ?? -1) || cmp(a.why, b.why),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
