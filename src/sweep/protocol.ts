// The messages between the sweep's main thread and its workers: plain data, small, and cloned once each way.
//
// A worker gets one WorkerPlan (rule sources, indicators, limits) and builds its rule set from it once. Then it
// gets Tasks (a path to read, or bytes the main thread already holds) and answers each with a FileOutcome:
// hashes, stamp and the Analysis, never the file's bytes.

import type { IocList } from '../detect/ioc/types.js';
import type { RuleSource as CapabilityRuleSource } from '../capabilities/load.js';
import type { CompileOptions, EngineName, RuleDiagnostic, RuleSource, SerializedRuleSet } from '../detect/engine.js';
import type { ErrorInfo, Hashes, SkipInfo } from '../core/findings.js';
import type { Analysis } from './analysis.js';
import type { HashName, PartialHashes, StoredHashes } from './hashes.js';
import type { FsPath } from './display.js';
import type { Stamp } from './sources/types.js';
import type { PeScope } from './pe-scope.js';

export interface WorkerPlan {
  engine: EngineName;
  rules: RuleSource[];
  compile: CompileOptions;
  /**
   * The rules compiled once in the main thread, for engines that can serialize them (native): each worker loads
   * these bytes instead of compiling `rules` again. Absent (WASM), each worker compiles.
   */
  compiled?: SerializedRuleSet;
  /** IOC lists as parsed (plain data); each worker builds its own matcher. */
  iocLists: IocList[];
  /** Set the filename/filepath/extension externals per scan (only when some rule mentions them). */
  pathExternals: boolean;
  maxSize: number;
  /** --exclude globs, applied to archive members too. */
  exclude: string[];
  /** Which samples get a PE summary: those with findings, or (a sweep with --all) every PE file. */
  pe: PeScope;
  /** Which hashes each sample keeps (pipeline.ts HashPolicy; plain data, no hasher). */
  hashes: { every: HashName[] };
  /** The cache to look analyses up in by content, after hashing. */
  cache?: { path: string; configHash: string };
  /** With --capabilities: the capability rule folders and their key (capabilities/rule-cache.ts ruleFilesKey). */
  capabilities?: {
    sources: CapabilityRuleSource[];
    key: string;
    /** The per-user rule cache folder; each worker reads the parsed rules from it by key. Absent: no rule cache. */
    ruleCacheDir?: string;
  };
  /** With --db: the similarity database and what identifies its contents (path, size, change time). */
  similarity?: { db: string; identity: string; fallback?: string };
}

export interface Task {
  id: number;
  display: string;
  /** The file to read; absent when `bytes` are given. */
  path?: FsPath;
  /** Size as the walk saw it: small files are read with plain system calls. */
  size?: number;
  /** Open through a symlink (the walk followed it, or it was named on the command line). */
  follow?: boolean;
  /** Bytes already read by the main thread (an explicitly named FIFO or device). */
  bytes?: Uint8Array;
  /**
   * Hashes the cache holds for this file's stamp (when only the rules changed): used instead of hashing again if
   * the file read still has exactly that stamp.
   */
  known?: { stamp: Stamp; hashes: StoredHashes };
}

export type FileOutcome =
  | {
      kind: 'sample';
      size: number;
      /** All three unless the plan's hash policy let some go (a sample no report lists). */
      hashes: PartialHashes;
      /** The file's stamp when it did not change while read and is old enough to trust later (see RACY_WINDOW_NS). */
      stamp?: Stamp;
      /** False when only hashed (too large). */
      scanned: boolean;
      /** The analysis came from the cache (found by content after hashing). */
      fromCache?: boolean;
      analysis: Analysis;
      /** The analysis as JSON, as it crossed from the worker: the cache stores this text as it is. */
      analysisJson?: string;
    }
  | { kind: 'unread'; skipped: SkipInfo | null; errors: ErrorInfo[] };

export interface ReadyInfo {
  ruleCount: number;
  /** The compiled set's own hash (engine, version, sources, options). */
  ruleSetHash: string;
  warnings: RuleDiagnostic[];
  skipped: RuleDiagnostic[];
  compileMs: number;
}

/** A FirebreakError as plain data. */
export interface ErrorData {
  code: string;
  message: string;
  input?: string;
  line?: number;
  column?: number;
}

/**
 * A FileOutcome as it crosses from a worker: the analysis as one JSON string. Cloning a string is a copy of its
 * bytes, while structured-cloning tens of thousands of small match objects cost more than all the file reads.
 */
export type WireOutcome = Exclude<FileOutcome, { kind: 'sample' }> | (Omit<Extract<FileOutcome, { kind: 'sample' }>, 'analysis'> & { analysisJson: string });

export type FromWorker =
  | { t: 'ready'; info: ReadyInfo }
  | { t: 'fatal'; error: ErrorData }
  | { t: 'done'; id: number; outcome: WireOutcome };

export type ToWorker = { t: 'tasks'; tasks: Task[] };
