// The report document: the one versioned shape every detector fills and every renderer, store and console reads.

import { z } from 'zod';
import type {
  CapabilityMatch,
  ErrorInfo,
  EvidenceNode,
  FamilyVerdict,
  IocHit,
  PeSummary,
  SampleInfo,
  SkipInfo,
  SourceRef,
  YaraMatch,
} from '../core/findings.js';
import type { Anomaly } from '../core/anomaly.js';

import { SCHEMA_VERSION } from './model.js';

export { SCHEMA_VERSION, hasFindings } from './model.js';

const hexAddress = z.string().regex(/^0x[0-9a-f]+$/) as z.ZodType<`0x${string}`>;
const hash = (len: number) => z.string().regex(new RegExp(`^[0-9a-f]{${len}}$`));

export const sampleSchema: z.ZodType<SampleInfo> = z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  md5: hash(32),
  sha1: hash(40),
  sha256: hash(64),
  tlsh: z.string().optional(),
  ssdeep: z.string().optional(),
  imphash: z.string().optional(),
});

export const sourceSchema: z.ZodType<SourceRef> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file') }),
  z.object({
    kind: z.literal('archive-member'),
    container: z.string(),
    member: z.string(),
    depth: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('image-file'),
    image: z.string(),
    partition: z.string(),
    volumeOffset: z.number().int().nonnegative(),
    dataOffset: z.number().int().nonnegative().optional(),
    deleted: z.boolean().optional(),
    hidden: z.boolean().optional(),
    shortName: z.string().optional(),
  }),
  z.object({ kind: z.literal('hive-key'), hive: z.string(), key: z.string() }),
]);

const metaValue = z.union([z.string(), z.number(), z.boolean()]);

export const yaraMatchSchema: z.ZodType<YaraMatch> = z.object({
  rule: z.string(),
  namespace: z.string(),
  tags: z.array(z.string()),
  meta: z.record(z.string(), metaValue),
  strings: z.array(
    z.object({
      id: z.string(),
      matches: z.array(z.object({ offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() })),
    }),
  ),
});

export const iocHitSchema: z.ZodType<IocHit> = z.object({
  type: z.enum(['sha256', 'sha1', 'md5', 'filename', 'path', 'string', 'domain', 'ip', 'regkey', 'regvalue']),
  indicator: z.string(),
  list: z.string(),
  line: z.number().int().positive().optional(),
  score: z.number(),
  description: z.string().optional(),
  why: z.string(),
  offset: z.number().int().nonnegative().optional(),
});

const evidenceSchema: z.ZodType<EvidenceNode> = z.lazy(() =>
  z.object({
    node: z.string(),
    matched: z.boolean(),
    addresses: z.array(hexAddress),
    fileOffsets: z.array(hexAddress).optional(),
    children: z.array(evidenceSchema).optional(),
  }),
);

export const capabilitySchema: z.ZodType<CapabilityMatch> = z.object({
  rule: z.string(),
  namespace: z.string().optional(),
  scope: z.string(),
  attack: z.array(z.object({ id: z.string(), tactic: z.string().optional(), technique: z.string().optional() })),
  mbc: z.array(z.object({ id: z.string(), objective: z.string().optional(), behavior: z.string().optional() })),
  addresses: z.array(hexAddress),
  fileOffsets: z.array(hexAddress).optional(),
  evidence: z.array(evidenceSchema).optional(),
  ruleSet: z.string().optional(),
});

export const familySchema: z.ZodType<FamilyVerdict> = z.object({
  name: z.string(),
  variant: z.string().optional(),
  score: z.number(),
  summary: z.string(),
  why: z.array(z.string()),
  relations: z.array(z.object({ relation: z.string(), family: z.string() })).optional(),
});

export const peSummarySchema: z.ZodType<PeSummary> = z.object({
  machine: z.string(),
  subsystem: z.string(),
  isDll: z.boolean(),
  is64: z.boolean(),
  compileTime: z.string().nullable(),
  imphash: z.string().nullable(),
  pdbPath: z.string().nullable(),
  signer: z.string().nullable(),
  anomalies: z.array(z.string()),
});

export const anomalySchema: z.ZodType<Anomaly> = z.object({
  code: z.string(),
  severity: z.enum(['info', 'low', 'medium', 'high']),
  offset: z.number().int().nonnegative().optional(),
  message: z.string(),
});

export const skipSchema: z.ZodType<SkipInfo> = z.object({
  reason: z.enum([
    'too-large',
    'excluded',
    'not-regular',
    'symlink',
    'symlink-loop',
    'unreadable',
    'vanished',
    'archive-corrupt',
    'archive-encrypted',
    'archive-bomb',
    'archive-depth',
    'timeout',
    'budget',
  ]),
  detail: z.string().optional(),
});

export const errorInfoSchema: z.ZodType<ErrorInfo> = z.object({
  code: z.string(),
  message: z.string(),
  offset: z.number().int().nonnegative().optional(),
});

export const sampleReportSchema = z.object({
  type: z.literal('sample'),
  schemaVersion: z.literal(SCHEMA_VERSION),
  sample: sampleSchema,
  source: sourceSchema,
  yara: z.array(yaraMatchSchema),
  iocs: z.array(iocHitSchema),
  capabilities: z.array(capabilitySchema),
  family: familySchema.nullable(),
  pe: peSummarySchema.nullable(),
  /** Structural anomalies of a container (FAT volume, hive) found while reading this sample's source. */
  anomalies: z.array(anomalySchema).optional(),
  /** Set when analysis of capabilities ran out of its budget and the result is partial. */
  partial: z.boolean().optional(),
  skipped: skipSchema.nullable(),
  errors: z.array(errorInfoSchema),
});

export type SampleReport = z.infer<typeof sampleReportSchema>;

/**
 * Something the sweep met but could not read: a FIFO found by the walk, an unreadable or vanished file, an
 * encrypted archive member, a symlink not followed. It has no hashes, so it is not a sample. (Files that were
 * read but not fully analysed, such as files over --max-size, are samples with `skipped` set.)
 */
export const skipRecordSchema = z.object({
  type: z.literal('skip'),
  schemaVersion: z.literal(SCHEMA_VERSION),
  path: z.string(),
  source: sourceSchema,
  skipped: skipSchema.nullable(),
  errors: z.array(errorInfoSchema),
});

export type SkipRecord = z.infer<typeof skipRecordSchema>;

/** One line of an NDJSON report before its summary. */
export type SweepRecord = SampleReport | SkipRecord;

export const summarySchema = z.object({
  type: z.literal('summary'),
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('firebreak'), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().nonnegative(),
  roots: z.array(z.string()),
  engine: z.string(),
  rules: z.object({
    count: z.number().int().nonnegative(),
    hash: z.string(),
    skippedFiles: z.array(z.string()),
    warnings: z.number().int().nonnegative(),
  }),
  iocs: z.object({ count: z.number().int().nonnegative(), lists: z.array(z.string()) }),
  files: z.object({
    found: z.number().int().nonnegative(),
    scanned: z.number().int().nonnegative(),
    withFindings: z.number().int().nonnegative(),
    fromCache: z.number().int().nonnegative(),
    /** Files whose stat stamp showed them unchanged since a cached sweep: not even read again. */
    unchanged: z.number().int().nonnegative(),
    skipped: z.record(z.string(), z.number().int().nonnegative()),
    errors: z.number().int().nonnegative(),
  }),
  bytesScanned: z.number().nonnegative(),
  throughputMiBps: z.number().nonnegative(),
  findings: z.object({
    yara: z.number().int().nonnegative(),
    iocs: z.number().int().nonnegative(),
    capabilities: z.number().int().nonnegative(),
    byFamily: z.record(z.string(), z.number().int().nonnegative()),
  }),
});

export type SweepSummary = z.infer<typeof summarySchema>;

/**
 * The `json` format and `firebreak render` input: the sample reports (those with findings, or all with --all),
 * the skip records (with --all), then the summary.
 */
export const reportDocumentSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  samples: z.array(sampleReportSchema),
  skips: z.array(skipRecordSchema),
  summary: summarySchema,
});

export type ReportDocument = z.infer<typeof reportDocumentSchema>;
