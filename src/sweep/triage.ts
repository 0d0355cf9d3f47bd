// triageSample: the analyst's one-file view, as a report record: PE summary, capabilities, YARA and IOC hits, the
// family (signature and similarity verdicts combined, as in the sweep) and the anomalies. It sits at the sweep's
// level because that is where detect, capabilities, similarity and report meet.

import { FirebreakError } from '../core/errors.js';
import type { IocHit, MetaValue, YaraMatch } from '../core/findings.js';
import { SCHEMA_VERSION, type SampleReport } from '../report/schema.js';
import type { TriageResult } from '../report/triage.js';
import { isPeFile, parsePe, peSummary } from '../formats/pe/index.js';
import { familyVerdict, type FamilyCatalog } from '../detect/families.js';
import type { IocSet } from '../detect/ioc/types.js';
import { analyzeCapabilities, partialError, type CapabilityEngine } from '../capabilities/analyze.js';
import type { FamilyMatcher } from '../similarity/index.js';
import { combineVerdicts, similarityVerdict } from './family.js';
import { hashBytes } from './hashes.js';

export type { TriageResult } from '../report/triage.js';

/** What triage needs of a compiled YARA rule set (detect's RuleSet). */
export interface YaraScanner {
  scan(bytes: Uint8Array, externals?: Record<string, MetaValue>): YaraMatch[];
}

export interface TriageOptions {
  /** Display path of the sample. */
  path: string;
  engine: CapabilityEngine;
  yara?: YaraScanner;
  iocs?: IocSet;
  /** The family catalog (rules/families/): a signature verdict from the YARA and IOC hits. */
  families?: FamilyCatalog;
  /** A similarity database: the nearest family by shared code and strings. */
  similarity?: Pick<FamilyMatcher, 'match'>;
  /** Evidence trees in the capabilities (`--verbose`). */
  verbose?: boolean;
  timeBudgetMs?: number;
  maxBytes?: number;
  now?: () => number;
}

/**
 * Analyses one PE file. Throws FirebreakError E_INPUT_MALFORMED when the bytes are not a PE; everything wrong
 * inside a PE is reported (anomalies, a partial analysis), never thrown.
 */
export function triageSample(bytes: Uint8Array, options: TriageOptions): TriageResult {
  const pe = parsePe(bytes);
  if (!isPeFile(pe)) throw new FirebreakError('E_INPUT_MALFORMED', `not a PE file: ${pe.reason}`, { input: options.path });
  const analysis = analyzeCapabilities(bytes, {
    engine: options.engine,
    pe,
    evidence: options.verbose ?? false,
    ...(options.timeBudgetMs !== undefined ? { timeBudgetMs: options.timeBudgetMs } : {}),
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const hashes = hashBytes(bytes);
  const name = options.path.split(/[\\/]/).pop() ?? options.path;
  const yara: YaraMatch[] = options.yara ? options.yara.scan(bytes, { filename: name, filepath: options.path, extension: name.includes('.') ? name.slice(name.lastIndexOf('.')) : '', filetype: 'EXE', owner: '' }) : [];
  const iocs: IocHit[] = options.iocs ? options.iocs.match({ path: options.path, ...hashes, bytes }) : [];
  const summary = peSummary(pe);
  const signature = options.families ? familyVerdict({ yara, iocs }, options.families) : null;
  // The similarity features reuse the parse and, when complete, the program the capability analysis recovered.
  const similar = options.similarity ? similarityVerdict(options.similarity.match(bytes, name, { known: { hashes, pe, program: analysis.program } })) : null;
  const report: SampleReport = {
    type: 'sample',
    schemaVersion: SCHEMA_VERSION,
    sample: { path: options.path, size: bytes.length, ...hashes, ...(summary.imphash ? { imphash: summary.imphash } : {}) },
    source: { kind: 'file' },
    yara,
    iocs,
    capabilities: analysis.capabilities,
    family: combineVerdicts(signature, similar, options.families),
    pe: summary,
    skipped: null,
    errors: [],
  };
  const partial = partialError(analysis);
  if (partial) {
    report.partial = true;
    report.errors.push(partial);
  }
  const { program: _program, capabilities: _caps, ...rest } = analysis;
  return { report, anomalies: pe.anomalies, analysis: rest };
}
