// triageSample: the analyst's one-file view, as a report record: PE summary, capabilities, YARA and IOC hits, anomalies.

import { createHash } from 'node:crypto';
import type { Anomaly } from '../core/anomaly.js';
import { FirebreakError } from '../core/errors.js';
import type { IocHit, MetaValue, YaraMatch } from '../core/findings.js';
import { SCHEMA_VERSION, type SampleReport } from '../report/schema.js';
import { isPeFile, parsePe, peSummary } from '../formats/pe/index.js';
import type { IocSet } from '../detect/ioc/types.js';
import { analyzeCapabilities, type CapabilityAnalysis, type CapabilityEngine } from './analyze.js';

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
  /** Evidence trees in the capabilities (`--verbose`). */
  verbose?: boolean;
  timeBudgetMs?: number;
  maxBytes?: number;
  now?: () => number;
}

export interface TriageResult {
  /** The report record (src/report/schema.ts `sample`), what `--format json` prints. */
  report: SampleReport;
  /** The PE's structural anomalies with their messages (the record carries their codes). */
  anomalies: Anomaly[];
  analysis: Omit<CapabilityAnalysis, 'program' | 'capabilities'>;
}

function digest(alg: string, bytes: Uint8Array): string {
  return createHash(alg).update(bytes).digest('hex');
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
  const hashes = { md5: digest('md5', bytes), sha1: digest('sha1', bytes), sha256: digest('sha256', bytes) };
  const name = options.path.split(/[\\/]/).pop() ?? options.path;
  const yara: YaraMatch[] = options.yara ? options.yara.scan(bytes, { filename: name, filepath: options.path, extension: name.includes('.') ? name.slice(name.lastIndexOf('.')) : '', filetype: 'EXE', owner: '' }) : [];
  const iocs: IocHit[] = options.iocs ? options.iocs.match({ path: options.path, ...hashes, bytes }) : [];
  const summary = peSummary(pe);
  const report: SampleReport = {
    type: 'sample',
    schemaVersion: SCHEMA_VERSION,
    sample: { path: options.path, size: bytes.length, ...hashes, ...(summary.imphash ? { imphash: summary.imphash } : {}) },
    source: { kind: 'file' },
    yara,
    iocs,
    capabilities: analysis.capabilities,
    family: null,
    pe: summary,
    skipped: null,
    errors: [],
  };
  if (analysis.partial) {
    report.partial = true;
    const reason = analysis.partialReason ?? 'budget reached';
    report.errors.push({ code: /time/.test(reason) ? 'E_TIMEOUT' : 'E_LIMIT', message: `capability analysis partial: ${reason}` });
  }
  const { program: _program, capabilities: _caps, ...rest } = analysis;
  return { report, anomalies: pe.anomalies, analysis: rest };
}
