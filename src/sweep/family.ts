// The family verdict as a report step: each finished sample report (YARA hits, content, hash and path IOC hits)
// gets `family` from the family catalog (rules/families/*.yaml), in the main thread, cached samples included.

import { buildCatalog, familyVerdict, loadFamilies, type FamilyCatalog, type FamilyRecord } from '../detect/families.js';
import type { ReportStep } from './report-steps.js';

/**
 * One catalog over the family files of several folders; a folder named twice is read once. Throws E_RULE_SYNTAX
 * (naming both files) when two folders declare the same family, E_RULE_IO when a folder cannot be read.
 */
export async function loadFamilyCatalog(dirs: readonly string[]): Promise<FamilyCatalog> {
  const records: FamilyRecord[] = [];
  for (const dir of [...new Set(dirs)]) records.push(...(await loadFamilies(dir)).families);
  return buildCatalog(records);
}

/** The report step that names a sample's family, or leaves `family` null when no hit names a known one. */
export function familyStep(catalog: FamilyCatalog): ReportStep {
  return {
    name: 'family',
    run(report) {
      report.family = familyVerdict({ yara: report.yara, iocs: report.iocs }, catalog);
    },
  };
}
