// The sweep's view of IOC lists: loads indicators from files, builds a matcher from them (in every worker), and
// splits hits into those that follow from the bytes (cacheable) and those that follow from the path or hashes.

import { FirebreakError } from '../core/errors.js';
import type { IocHit, IocType } from '../core/findings.js';
import type { Indicator, IocSet } from '../detect/ioc/types.js';

interface IocApi {
  loadIndicators(paths: string[]): Promise<Indicator[]>;
  buildIocSet(indicators: Indicator[]): IocSet;
}

/** Indicator types matched against file contents; the others are matched against the path and hashes. */
export const CONTENT_IOC_TYPES: ReadonlySet<IocType> = new Set<IocType>(['string', 'domain', 'ip']);

async function api(): Promise<IocApi> {
  const mod = (await import('../detect/index.js')) as unknown as Partial<IocApi>;
  if (typeof mod.loadIndicators !== 'function' || typeof mod.buildIocSet !== 'function') {
    throw new FirebreakError('E_USAGE', 'IOC lists are not supported by this build (detect/ioc is missing)');
  }
  return mod as IocApi;
}

export async function loadIndicators(paths: string[]): Promise<Indicator[]> {
  if (paths.length === 0) return [];
  return (await api()).loadIndicators(paths);
}

export async function buildIocSet(indicators: Indicator[]): Promise<IocSet | undefined> {
  if (indicators.length === 0) return undefined;
  return (await api()).buildIocSet(indicators);
}

export function contentHits(hits: IocHit[]): IocHit[] {
  return hits.filter((h) => CONTENT_IOC_TYPES.has(h.type));
}

export function nonContentHits(hits: IocHit[]): IocHit[] {
  return hits.filter((h) => !CONTENT_IOC_TYPES.has(h.type));
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
