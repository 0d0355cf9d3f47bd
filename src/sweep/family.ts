// The family verdict as a report step: each finished sample report (YARA hits, content, hash and path IOC hits,
// anomalies a family claims as its artefacts)
// gets `family` from the family catalog (rules/families/*.yaml), in the main thread, cached samples included; and
// how that signature verdict and a similarity database's verdict combine into one (the sweep's and triage's rule).

import type { FamilyVerdict } from '../core/findings.js';
import type { FamilyCatalog, FamilyRecord } from '../detect/families.js';
import type { ReportStep } from './report-steps.js';

/**
 * A similarity database's verdict (similarity/ FamilyMatcher) as a report's family: its score taken from 0..1 to
 * the 0..100 of signature verdicts, and each piece of its evidence marked as similarity evidence.
 */
export function similarityVerdict(v: FamilyVerdict | null): FamilyVerdict | null {
  if (!v) return null;
  return { ...v, score: Math.round(Math.max(0, Math.min(1, v.score)) * 100), why: v.why.map((w) => `similarity: ${w}`) };
}

/**
 * One family for a sample from its signature verdict (YARA and IOC hits, see detect/families.ts) and its
 * similarity verdict (similarityVerdict above). The signature verdict wins when there is one, and the similarity
 * evidence is added to its `why`: that it agrees, or that it names another family. With only a similarity verdict,
 * that is the family. Names agree when equal ignoring case or when they name one family of the catalog (a name
 * and its alias).
 */
export function combineVerdicts(signature: FamilyVerdict | null, similar: FamilyVerdict | null, catalog?: FamilyCatalog): FamilyVerdict | null {
  if (!similar) return signature;
  if (!signature) return similar;
  const canonical = (name: string): string => (catalog?.find(name)?.name ?? name).toLowerCase();
  const agrees = canonical(signature.name) === canonical(similar.name);
  const note = agrees ? `similarity database agrees: ${similar.summary}` : `similarity database disagrees, its nearest family is ${similar.summary}`;
  return { ...signature, why: [...signature.why, note] };
}

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

/**
 * The report step that names a sample's family, or leaves `family` null when no hit names a known one. A family
 * already on the report is the similarity database's verdict (found in the worker, see steps/similarity.ts): the
 * two are combined by combineVerdicts.
 */
export async function familyStep(catalog: FamilyCatalog): Promise<ReportStep> {
  const { familyVerdict } = await import('../detect/families.js');
  return {
    name: 'family',
    run(report) {
      // A disk image's own record repeats every anomaly of its volumes, each also on the member it is about: an
      // artefact names the member that is it, not the image that holds it (nor is it counted twice).
      const anomalies = report.source.kind === 'image-file' ? report.anomalies : undefined;
      report.family = combineVerdicts(familyVerdict({ yara: report.yara, iocs: report.iocs, anomalies }, catalog), report.family, catalog);
    },
  };
}
