// `rules list`: the pack's families, rules (with family, variant and confidence) and IOC lists (with counts by type).

import { loadFamilies, type FamilyRecord } from '../families.js';
import { summarizeIocLists, type IocListSummary } from './iocs.js';
import { packRules, packSources, type PackLayout } from './pack.js';

export interface ListedRule {
  namespace: string;
  rule: string;
  path: string;
  line: number;
  isPrivate: boolean;
  family?: string;
  variant?: string;
  confidence?: string;
}

export interface PackListing {
  families: FamilyRecord[];
  rules: ListedRule[];
  iocs: IocListSummary[];
}

function metaString(meta: Map<string, unknown>, key: string): string | undefined {
  const v = meta.get(key);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Everything the pack holds, in file order. Throws when a family file or IOC list does not parse. */
export async function listPack(layout: PackLayout): Promise<PackListing> {
  const families = layout.familyDir ? [...(await loadFamilies(layout.familyDir)).families] : [];
  const rules = packRules(await packSources(layout)).map((r): ListedRule => {
    const meta = new Map(r.block.meta.map((m) => [m.key, m.value]));
    const out: ListedRule = {
      namespace: r.source.namespace,
      rule: r.block.name,
      path: r.source.path,
      line: r.block.line,
      isPrivate: r.block.isPrivate,
    };
    const family = metaString(meta, 'family');
    const variant = metaString(meta, 'variant');
    const confidence = metaString(meta, 'confidence');
    if (family) out.family = family;
    if (variant) out.variant = variant;
    if (confidence) out.confidence = confidence;
    return out;
  });
  const iocs = layout.iocDir ? await summarizeIocLists(layout.iocDir) : [];
  return { families, rules, iocs };
}
