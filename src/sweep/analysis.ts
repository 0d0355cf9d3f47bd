// What the pipeline learns about one sample from its bytes alone: the part of a report that the cache keeps.

import type { Anomaly } from '../core/anomaly.js';
import type {
  CapabilityMatch,
  ErrorInfo,
  FamilyVerdict,
  IocHit,
  PeSummary,
  SkipInfo,
  YaraMatch,
} from '../core/findings.js';
import type { PartialHashes } from './hashes.js';
import type { DetachedSource } from './sources/types.js';

/**
 * Everything that follows from a sample's bytes, whatever its path: a cached Analysis replays under any path.
 * Path-dependent results (filename:/path: indicators) and hash indicators are added when the report is built.
 */
export interface Analysis {
  yara: YaraMatch[];
  /** IOC hits found in the contents (string, domain, ip). */
  iocs: IocHit[];
  capabilities: CapabilityMatch[];
  /**
   * The similarity database's verdict (with --db, from the content alone); the family report step combines it with
   * the signature verdict, which needs the path-dependent IOC hits (family.ts combineVerdicts).
   */
  family: FamilyVerdict | null;
  pe: PeSummary | null;
  anomalies?: Anomaly[];
  partial?: boolean;
  /** Set when part of the work was left out: too large to scan, an archive that would not open, a nesting cap. */
  skipped: SkipInfo | null;
  errors: ErrorInfo[];
  /** A container's members, in the container's order. */
  members?: MemberOutcome[];
}

/** A member of a container: read and analysed, or left unread with why. */
export type MemberOutcome =
  | { suffix: string; source: DetachedSource; size: number; hashes: PartialHashes; analysis: Analysis }
  | { suffix: string; source: DetachedSource; skipped: SkipInfo | null; errors: ErrorInfo[] };

export function emptyAnalysis(): Analysis {
  return { yara: [], iocs: [], capabilities: [], family: null, pe: null, skipped: null, errors: [] };
}

/** The analysis of a file over --max-size: hashed, not scanned. */
export function tooLargeAnalysis(size: number, maxSize: number): Analysis {
  const a = emptyAnalysis();
  a.skipped = { reason: 'too-large', detail: `${size} bytes, over --max-size ${maxSize}` };
  return a;
}

/** Error codes that say something about this run, not about the bytes: such an analysis is not cached. */
const TRANSIENT = new Set(['E_INTERNAL', 'E_TIMEOUT', 'E_INPUT_UNREADABLE', 'E_ENGINE', 'E_LIMIT']);

export function isCacheable(a: Analysis): boolean {
  if (a.errors.some((e) => TRANSIENT.has(e.code))) return false;
  if (a.skipped?.reason === 'timeout' || a.skipped?.reason === 'budget') return false;
  for (const m of a.members ?? []) {
    if ('analysis' in m) {
      if (!isCacheable(m.analysis)) return false;
    } else if (m.errors.some((e) => TRANSIENT.has(e.code)) || m.skipped?.reason === 'timeout') return false;
  }
  return true;
}
