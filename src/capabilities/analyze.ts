// analyzeCapabilities: one PE's bytes in, its capabilities out, within a time and size budget. The library entry point.

import type { CapabilityMatch, ErrorInfo } from '../core/findings.js';
import { codeImageFromPe } from '../code/pe-image.js';
import { recoverProgram, type Program } from '../code/recover.js';
import { isPeFile, parsePe, type PeFile } from '../formats/pe/index.js';
import { extractFileFeatures, extractGlobalFeatures } from '../features/file.js';
import type { StaticFeatureExtractor } from '../features/extractor.js';
import { fileFactsFromPe } from '../features/pe-facts.js';
import { PeFeatureExtractor } from '../features/pe-extractor.js';
import { findCapabilities, type Capabilities } from './find.js';
import { loadRules, type RuleSource } from './load.js';
import { loadRulesCached, type RuleCacheOptions } from './rule-cache.js';
import { IndexedMatcher, type Matcher } from './matcher.js';
import { toCapabilityMatches } from './results.js';
import type { RuleSet, RuleFailure } from './ruleset.js';

/** Default time budget per sample. */
export const DEFAULT_TIME_BUDGET_MS = 30_000;
/** Default size budget: larger files get file-scope analysis only. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Rules loaded and indexed once, then used for any number of samples (one per sweep worker). */
export interface CapabilityEngine {
  rules: RuleSet;
  matcher: Matcher;
  failures: RuleFailure[];
  /** Rule files read. */
  files: number;
}

/**
 * Loads rule folders (bundled and/or capa's corpus) into an engine; rules that fail to load are listed, not fatal.
 * With `cache`, the parsed rules come from (or go to) the per-user rule cache (rule-cache.ts).
 */
export function createCapabilityEngine(sources: RuleSource[], options: { cache?: RuleCacheOptions } = {}): CapabilityEngine {
  const loaded = options.cache ? loadRulesCached(sources, options.cache) : loadRules(sources);
  return { rules: loaded.rules, matcher: new IndexedMatcher(loaded.rules), failures: loaded.failures, files: loaded.files };
}

export interface AnalyzeOptions {
  engine: CapabilityEngine;
  /** Wall-clock budget for code recovery and matching together (ms). */
  timeBudgetMs?: number;
  /** Files larger than this are not disassembled; file-scope rules still run, and the result is partial. */
  maxBytes?: number;
  /** Instructions decoded at most. */
  maxInstructions?: number;
  /** Keep evidence trees (`--verbose`). */
  evidence?: boolean;
  now?: () => number;
  /** An already parsed PE of these bytes, to avoid parsing twice. */
  pe?: PeFile;
}

export interface CapabilityAnalysis {
  /** False when the bytes are not a PE; capabilities are then empty. */
  isPe: boolean;
  capabilities: CapabilityMatch[];
  /** True when a budget cut the analysis short; `partialReason` says which. */
  partial: boolean;
  partialReason?: string;
  stats: {
    functions: number;
    instructions: number;
    apiCalls: number;
    recoveryMs: number;
    matchMs: number;
  };
  /** The recovered program, for callers that want more (triage's summary, similarity's code hashes). */
  program: Program | null;
}

/** File-scope-only extraction, for files that are too large, not x86/x64, or out of time. */
class FileOnlyExtractor implements StaticFeatureExtractor {
  private readonly facts: ReturnType<typeof fileFactsFromPe>;
  constructor(pe: PeFile) {
    this.facts = fileFactsFromPe(pe);
  }
  extractGlobalFeatures(sink: Parameters<StaticFeatureExtractor['extractGlobalFeatures']>[0]): void {
    extractGlobalFeatures(this.facts, sink);
  }
  extractFileFeatures(sink: Parameters<StaticFeatureExtractor['extractFileFeatures']>[0]): void {
    extractFileFeatures(this.facts, sink);
  }
  functions(): Iterable<{ address: number }> {
    return [];
  }
  extractFunctionFeatures(): void {}
  basicBlocks(): Iterable<{ address: number }> {
    return [];
  }
  extractBasicBlockFeatures(): void {}
  instructions(): Iterable<{ address: number }> {
    return [];
  }
  extractInstructionFeatures(): void {}
}

/**
 * Recovers the code of a PE and matches every rule of the engine against it. Never throws on malformed bytes and
 * never runs past its budget: when a budget is hit, what was recovered is matched and the result is marked partial.
 */
export function analyzeCapabilities(bytes: Uint8Array, options: AnalyzeOptions): CapabilityAnalysis {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const deadline = start + (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
  const empty: CapabilityAnalysis = {
    isPe: false,
    capabilities: [],
    partial: false,
    stats: { functions: 0, instructions: 0, apiCalls: 0, recoveryMs: 0, matchMs: 0 },
    program: null,
  };
  const parsed = options.pe ?? parsePe(bytes);
  if (!isPeFile(parsed)) return empty;
  const pe = parsed;
  let partialReason: string | undefined;
  let program: Program | null = null;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const image = bytes.length > maxBytes ? null : codeImageFromPe(pe);
  if (bytes.length > maxBytes) partialReason = `file larger than ${maxBytes} bytes: file-scope rules only`;
  else if (!image) partialReason = `machine ${pe.coff.machineName} is not x86 or x64: file-scope rules only`;
  if (image) {
    program = recoverProgram(image, { deadline, now, ...(options.maxInstructions !== undefined ? { maxInstructions: options.maxInstructions } : {}) });
    if (program.partial) partialReason = program.partialReason;
  }
  const recovered = now();
  const extractor: StaticFeatureExtractor = program ? new PeFeatureExtractor(program, fileFactsFromPe(pe)) : new FileOnlyExtractor(pe);
  const caps: Capabilities = findCapabilities(extractor, options.engine.matcher, { evidence: options.evidence ?? false, deadline, now });
  if (caps.partial && partialReason === undefined) partialReason = 'time budget reached while matching';
  const done = now();
  const result: CapabilityAnalysis = {
    isPe: true,
    capabilities: toCapabilityMatches(caps.matches, options.engine.rules.rules, { evidence: options.evidence ?? false }),
    partial: partialReason !== undefined,
    stats: {
      functions: program?.functions.size ?? 0,
      instructions: program?.instructionCount ?? 0,
      apiCalls: program?.apiCalls.size ?? 0,
      recoveryMs: recovered - start,
      matchMs: done - recovered,
    },
    program,
  };
  if (partialReason !== undefined) result.partialReason = partialReason;
  return result;
}

/**
 * The error a partial analysis puts on its report: E_TIMEOUT when time ran out, E_LIMIT for a size, instruction or
 * architecture limit. Both mark the result as incomplete, so a sweep does not cache it.
 */
export function partialError(a: Pick<CapabilityAnalysis, 'partial' | 'partialReason'>): ErrorInfo | undefined {
  if (!a.partial) return undefined;
  const reason = a.partialReason ?? 'budget reached';
  return { code: /time/.test(reason) ? 'E_TIMEOUT' : 'E_LIMIT', message: `capability analysis partial: ${reason}` };
}
