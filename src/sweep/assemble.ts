// Builds report records from what a worker (or the cache) found: a sample report per sample, its members' after
// it, with the path-dependent IOC hits (file names, paths) and hash hits added here.

import type { ErrorInfo, Hashes, SkipInfo, SourceRef } from '../core/findings.js';
import type { IocSet } from '../detect/ioc/types.js';
import { SCHEMA_VERSION } from '../report/model.js';
import type { SampleReport, SkipRecord, SweepRecord } from '../report/schema.js';
import type { Analysis } from './analysis.js';
import { nonContentHits, sortHits } from './iocs.js';
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
  hashes: Hashes;
  analysis: Analysis;
}

/** The sample's report followed by its members', depth first, in container order. */
export function sampleRecords(input: SampleInput, iocs: IocSet | undefined, out: SweepRecord[] = []): SweepRecord[] {
  const { path, source, size, hashes, analysis: a } = input;
  const extra = iocs ? nonContentHits(iocs.match({ path, ...hashes })) : [];
  const report: SampleReport = {
    type: 'sample',
    schemaVersion: SCHEMA_VERSION,
    sample: { path, size, md5: hashes.md5, sha1: hashes.sha1, sha256: hashes.sha256 },
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
  out.push(report);
  for (const m of a.members ?? []) {
    const mpath = path + m.suffix;
    const msource = bindSource(m.source, path);
    if ('analysis' in m) sampleRecords({ path: mpath, source: msource, size: m.size, hashes: m.hashes, analysis: m.analysis }, iocs, out);
    else out.push(skipRecord(mpath, msource, m.skipped, m.errors));
  }
  return out;
}
