// Builds report records from what a worker (or the cache) found: a sample report per sample, its members' after
// it, with the path-dependent IOC hits (file names, paths) and hash hits added here.

import type { ErrorInfo, Hashes, SampleInfo, SkipInfo, SourceRef } from '../core/findings.js';
import type { IocSet } from '../detect/ioc/types.js';
import { SCHEMA_VERSION } from '../report/model.js';
import type { SampleReport, SkipRecord, SweepRecord } from '../report/schema.js';
import type { Analysis } from './analysis.js';
import { type HashName, isComplete, type PartialHashes } from './hashes.js';
import { altNamesOf, nonContentHits, sortHits } from './iocs.js';
import { runReportSteps, type ReportStep } from './report-steps.js';
import type { DetachedSource } from './sources/types.js';

/** A member's SourceRef with its container's display path filled in. */
export function bindSource(s: DetachedSource, container: string): SourceRef {
  if (s.kind === 'archive-member') return { ...s, container };
  if (s.kind === 'image-file') return { ...s, image: container };
  return s;
}

export function skipRecord(path: string, source: SourceRef, skipped: SkipInfo | null, errors: ErrorInfo[]): SkipRecord {
  return { type: 'skip', schemaVersion: SCHEMA_VERSION, path, source, skipped, errors };
}

export interface SampleInput {
  path: string;
  source: SourceRef;
  size: number;
  hashes: PartialHashes;
  analysis: Analysis;
}

/**
 * A sample report before it is handed on: its hashes are those the worker kept, all three for any sample a report
 * lists (pipeline.ts settleHashes), perhaps fewer for the others (SweepOptions.records).
 */
export type SampleDraft = Omit<SampleReport, 'sample'> & { sample: Omit<SampleInfo, keyof Hashes> & PartialHashes };
export type DraftRecord = SampleDraft | SkipRecord;

/** The record as the schema has it, or undefined when some hash was not computed. */
export function finished(r: DraftRecord): SweepRecord | undefined {
  if (r.type === 'skip') return r;
  const { sample } = r;
  return isComplete(sample) ? { ...r, sample } : undefined;
}

/** The sample's report followed by its members', depth first, in container order. */
export function sampleRecords(input: SampleInput, iocs: IocSet | undefined, steps: readonly ReportStep[] = [], out: DraftRecord[] = []): DraftRecord[] {
  const { path, source, size, hashes, analysis: a } = input;
  const altNames = altNamesOf(source);
  const extra = iocs ? nonContentHits(iocs.match({ path, ...hashes, ...(altNames ? { altNames } : {}) })) : [];
  const report: SampleDraft = {
    type: 'sample',
    schemaVersion: SCHEMA_VERSION,
    // In report order whatever order they were computed in; a hash not computed is left out, not undefined.
    sample: { path, size, ...pick(hashes, 'md5'), ...pick(hashes, 'sha1'), ...pick(hashes, 'sha256') },
    source,
    yara: a.yara,
    iocs: extra.length > 0 || a.iocs.length > 1 ? sortHits([...a.iocs, ...extra]) : a.iocs,
    capabilities: a.capabilities,
    family: a.family,
    pe: a.pe,
    ...(a.anomalies?.length ? { anomalies: a.anomalies } : {}),
    ...(a.partial ? { partial: true } : {}),
    skipped: a.skipped,
    errors: a.errors,
  };
  runReportSteps(steps, report);
  out.push(report);
  for (const m of a.members ?? []) {
    const mpath = path + m.suffix;
    const msource = bindSource(m.source, path);
    if ('analysis' in m) sampleRecords({ path: mpath, source: msource, size: m.size, hashes: m.hashes, analysis: m.analysis }, iocs, steps, out);
    else out.push(skipRecord(mpath, msource, m.skipped, m.errors));
  }
  return out;
}

function pick(h: PartialHashes, name: HashName): PartialHashes {
  const v = h[name];
  return v === undefined ? {} : { [name]: v };
}
