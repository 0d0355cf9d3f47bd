// The family verdict as a report step: each finished sample report (YARA hits, content, hash and path IOC hits)
// gets `family` from the family catalog (rules/families/*.yaml), in the main thread, cached samples included.

import type { FamilyCatalog, FamilyRecord } from '../detect/families.js';
import type { ReportStep } from './report-steps.js';

/** A rule can name a family only through a `family` meta key, so a rule text without one never gives a verdict. */
const FAMILY_META = /\bfamily\s*=/;

/**
 * Whether any sample could be given a family: some rule has a `family` meta key, or there are IOC lists (a list
 * speaks for the family its file is named after). When not, the catalog (and the YAML and schema modules it
 * needs, a fifth of a cached sweep's time) is not loaded at all.
 */
export function familiesPossible(ruleTexts: readonly string[], iocListCount: number): boolean {
  return iocListCount > 0 || ruleTexts.some((t) => FAMILY_META.test(t));
}

/**
 * One catalog over the family files of several folders; a folder named twice is read once. Throws E_RULE_SYNTAX
 * (naming both files) when two folders declare the same family, E_RULE_IO when a folder cannot be read.
 */
export async function loadFamilyCatalog(dirs: readonly string[]): Promise<FamilyCatalog> {
  const { buildCatalog, loadFamilies } = await import('../detect/families.js');
  const records: FamilyRecord[] = [];
  for (const dir of [...new Set(dirs)]) records.push(...(await loadFamilies(dir)).families);
  return buildCatalog(records);
}

/** The report step that names a sample's family, or leaves `family` null when no hit names a known one. */
export async function familyStep(catalog: FamilyCatalog): Promise<ReportStep> {
  const { familyVerdict } = await import('../detect/families.js');
  return {
    name: 'family',
    run(report) {
      report.family = familyVerdict({ yara: report.yara, iocs: report.iocs }, catalog);
    },
  };
}
