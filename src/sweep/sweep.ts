// `sweep()`: the library function behind `firebreak sweep`. Walks the roots, analyses each file once (in the
// worker pool, or from the cache), and hands every record to the caller in walk order, then returns the summary.

import { availableParallelism } from 'node:os';
import type { RuleSource as CapabilityRuleSource } from '../capabilities/load.js';
import { FirebreakError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { formatDiagnostic, loadEngine, loadRuleSources } from '../detect/index.js';
import type { EnginePreference, RuleDiagnostic } from '../detect/engine.js';
import type { IocSet } from '../detect/ioc/types.js';
import { listedWithoutAll, SCHEMA_VERSION } from '../report/model.js';
import type { SweepRecord, SweepSummary } from '../report/schema.js';
import { isCacheable, tooLargeAnalysis } from './analysis.js';
import { type DraftRecord, finished, sampleRecords, skipRecord } from './assemble.js';
import { SweepCache } from './cache.js';
import { configHash } from './config.js';
import { displayPath, pathBytes, type FsPath } from './display.js';
import { excludeMatcher } from './exclude.js';
import { HASH_NAMES, type HashName, isComplete, type PartialHashes, type StoredHashes } from './hashes.js';
import { buildIocSet, loadIocs } from './iocs.js';
import { DEFAULT_MAX_SIZE, MAX_IN_FLIGHT, MAX_JOBS } from './limits.js';
import { WorkerPool } from './pool.js';
import type { FileOutcome, ReadyInfo, Task, WorkerPlan } from './protocol.js';
import { checkRoots, FsWalk } from './sources/fs-walk.js';
import type { RootSource, WalkEvent } from './sources/types.js';
import { familiesPossible, familyStep, loadFamilyCatalog } from './family.js';
import type { ReportStep } from './report-steps.js';
import { readSpecial } from './special.js';
import { similarityPlan } from './similarity-db.js';
import type { PeScope } from './pe-scope.js';
import { defaultExternals, usesPathExternals } from './steps/yara.js';
import { Tally, type SweepProgress } from './tally.js';

export interface SweepOptions {
  /** Files and folders to sweep (bytes for a name that is not UTF-8). */
  paths: FsPath[];
  /** Rule files and folders of them. */
  rules: string[];
  iocs?: string[];
  exclude?: string[];
  maxSize?: number;
  /** Worker threads; default: the number of cores. */
  jobs?: number;
  engine?: EnginePreference;
  followSymlinks?: boolean;
  skipBadRules?: boolean;
  /** The SQLite cache file; no cache when absent. */
  cachePath?: string;
  /** Every record, in walk order (a container's members right after it). Awaited: slow output slows the sweep. */
  onRecord?: (r: SweepRecord) => void | Promise<void>;
  /**
   * Which records `onRecord` gets: `all` (default) every one; `listed` only the skip records and the samples a
   * report without --all lists (report/model.ts listedWithoutAll). With `listed` and no cache, a sample nothing
   * lists is hashed only as far as the IOC lists need (their hash types), not with all three.
   */
  records?: 'all' | 'listed';
  /** Live figures, at most every PROGRESS_INTERVAL_MS. */
  onProgress?: (p: SweepProgress) => void;
  /** Rule warnings, skipped rule files, a cache that would not open. */
  onWarning?: (message: string) => void;
  /**
   * Which samples get a PE summary: `family` (default: an IOC hit or a hit from a rule naming a family), `findings`
   * (any finding), `all` (as a sweep with --all reports every file), or `off`. A summary (its anomaly checks:
   * section entropy, checksum) costs half as much as the YARA scan.
   */
  peSummary?: PeScope;
  /**
   * Folders of family files (rules/families/*.yaml): each sample report gets the family its hits name (`family`),
   * from a report step run before `reportSteps`. None: no family verdicts.
   */
  families?: string[];
  /** Steps on each finished report, after every IOC hit is in (and after the family verdict). */
  reportSteps?: ReportStep[];
  /** Replaces the file-system walk (tests, and later roots that are not paths). */
  rootSource?: RootSource;
  /**
   * Capability analysis of every PE (--capabilities): capa-format rule folders (the bundled rules/capabilities, capa's
   * corpus with --capa-rules), and the folder of the per-user rule cache (none: each worker parses the rules).
   */
  capabilities?: { rules: CapabilityRuleSource[]; ruleCacheDir?: string };
  /** A similarity database (--db): each PE's nearest family, combined with the signature verdict. */
  similarityDb?: string;
  /** A database whose runtime baseline `similarityDb` borrows when it has none of its own (the CLI: the bundled one). */
  similarityBaseline?: string;
}

/**
 * The hashes every sample gets: all three when every record is reported; otherwise the types the IOC lists' hash
 * indicators have, and sha256 with a cache (it keys analyses by it). A sample a report lists gets all three in any
 * case (pipeline.ts settleHashes).
 */
export function hashesForEverySample(listedOnly: boolean, cached: boolean, iocs: IocSet | undefined): HashName[] {
  if (!listedOnly) return [...HASH_NAMES];
  return HASH_NAMES.filter((n) => (cached && n === 'sha256') || (iocs?.hashTypes.has(n) ?? false));
}

const PROGRESS_INTERVAL_MS = 100;
/** Walk events held ahead of the analysis, so `found` (and the ETA) is known early without unbounded memory. */
const MAX_WALK_AHEAD = 100_000;

/** What a compile produced, as the cache keeps it for sweeps that need not compile. */
interface RuleInfo {
  ruleCount: number;
  ruleSetHash: string;
  skipped: RuleDiagnostic[];
  warnings: number;
}

function ruleInfoOf(r: ReadyInfo): RuleInfo {
  return { ruleCount: r.ruleCount, ruleSetHash: r.ruleSetHash, skipped: r.skipped, warnings: r.warnings.length };
}

interface Slot {
  records: DraftRecord[] | undefined;
  fresh: boolean;
  unchanged: boolean;
  promise: Promise<void>;
  bytes: number;
}

export async function sweep(o: SweepOptions): Promise<SweepSummary> {
  const startedAt = new Date();
  const t0 = performance.now();
  if (!o.rootSource) await checkRoots(o.paths);
  const maxSize = o.maxSize ?? DEFAULT_MAX_SIZE;
  const jobs = Math.max(1, Math.min(MAX_JOBS, o.jobs ?? availableParallelism()));
  const exclude = o.exclude ?? [];
  const warn = o.onWarning ?? (() => undefined);

  const sources = await loadRuleSources(o.rules);
  const iocLists = await loadIocs(o.iocs ?? []);
  const engine = await loadEngine(o.engine ?? 'auto');
  const iocs: IocSet | undefined = buildIocSet(iocLists);
  const listedOnly = o.records === 'listed';
  const plan: WorkerPlan = {
    engine: engine.name,
    rules: sources,
    compile: { externals: defaultExternals(), ...(o.skipBadRules ? { skipBadRules: true } : {}) },
    iocLists,
    pathExternals: usesPathExternals(sources.map((s) => s.text)),
    maxSize,
    exclude,
    pe: o.peSummary ?? 'family',
    // Part of the configuration: with a cache path given, sha256 is kept even if the cache then fails to open.
    hashes: { every: hashesForEverySample(listedOnly, o.cachePath !== undefined, iocs) },
  };
  if (o.capabilities) {
    // Only the key is made here (the rule files read and hashed): each worker builds its engine, from the rule cache.
    const { ruleSourcesKey } = await import('../capabilities/rule-cache.js');
    const { rules: sources, ruleCacheDir } = o.capabilities;
    plan.capabilities = { sources, key: ruleSourcesKey(sources), ...(ruleCacheDir ? { ruleCacheDir } : {}) };
  }
  if (o.similarityDb) {
    const { note, ...similarity } = await similarityPlan(o.similarityDb, o.similarityBaseline);
    plan.similarity = similarity;
    if (note) warn(note);
  }
  const config = configHash(plan, engine.version);
  // Read before anything is reported, so a broken family file stops the run (exit 2) like a broken rule file.
  const withFamilies = o.families?.length && familiesPossible(sources.map((s) => s.text), iocLists.length);
  const families = withFamilies ? [await familyStep(await loadFamilyCatalog(o.families!))] : [];
  const reportSteps = [...families, ...(o.reportSteps ?? [])];
  for (const l of iocLists) for (const w of l.warnings) warn(`${w.list}:${w.line}: IOC left out: ${w.message}`);

  let cache: SweepCache | undefined;
  if (o.cachePath) {
    try {
      cache = await SweepCache.open(o.cachePath);
      plan.cache = { path: o.cachePath, configHash: config };
    } catch (e) {
      warn(`cache not used: ${e instanceof FirebreakError ? e.oneLine() : String(e)}`);
    }
  }
  const pool = new WorkerPool(plan, jobs);
  // An engine that can serialize its rules (native) compiles them once, here, and the workers load the bytes
  // (signature-base: 2.2 s of CPU to compile, 0.65 s to load; with --jobs 2 a sweep used 0.77x the CPU and 0.84x
  // the wall time of compiling in every worker). WASM workers compile their own.
  const shipCompiled = engine.deserialize !== undefined;
  const compileHere = (): ReadyInfo => {
    const rs = engine.compile(sources, plan.compile);
    plan.compiled = rs.serialize();
    rs.dispose();
    return { ruleCount: rs.ruleCount, ruleSetHash: rs.hash, warnings: rs.warnings, skipped: rs.skipped, compileMs: rs.compileMs };
  };
  /** Before the first file goes to a worker when the configuration was known (and nothing compiled yet). */
  const readyToRun = (): void => {
    if (shipCompiled && !plan.compiled) compileHere();
  };
  /** Ends the walk early when the sweep stops on an error. */
  let stop = (): void => undefined;
  try {
    let ruleInfo: RuleInfo | undefined;
    const stored = cache?.useConfig(config);
    if (stored) ruleInfo = JSON.parse(stored) as RuleInfo;
    // Unknown configuration: the rules compile (here, or in the workers while the walk starts).
    const compiling = ruleInfo ? undefined : shipCompiled ? Promise.resolve(compileHere()) : pool.start();
    if (compiling && shipCompiled) void pool.start();

    const tally = new Tally();
    const pathKey = (display: string): string => (plan.pathExternals ? display : '');
    let nextId = 0;
    let lastProgress = 0;
    let walking = true;
    const progress = (force = false): void => {
      if (!o.onProgress) return;
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      o.onProgress(tally.progress(now - t0, walking));
    };

    /** A record this sweep hands on whose hashes are not all there (see `records` and SweepOptions.records). */
    const lacksShownHashes = (r: DraftRecord): boolean =>
      r.type === 'sample' && !isComplete(r.sample) && (!listedOnly || listedWithoutAll(r));

    const fromOutcome = (display: string, outcome: FileOutcome, path: Buffer | undefined): { records: DraftRecord[]; fresh: boolean } => {
      if (outcome.kind === 'unread') return { records: [skipRecord(display, { kind: 'file' }, outcome.skipped, outcome.errors)], fresh: true };
      // With a cache every sample keeps its sha256 (the plan's policy), so the guard never leaves one out.
      if (cache && path && hasSha256(outcome.hashes)) {
        if (outcome.stamp) cache.putStamp(path, outcome.stamp, outcome.hashes);
        if (!outcome.fromCache && isCacheable(outcome.analysis)) cache.putAnalysis(outcome.hashes.sha256, pathKey(display), outcome.analysis, outcome.analysisJson);
      }
      const records = sampleRecords({ path: display, source: { kind: 'file' }, size: outcome.size, hashes: outcome.hashes, analysis: outcome.analysis }, iocs, reportSteps);
      return { records, fresh: !outcome.fromCache };
    };

    const handle = async (ev: WalkEvent): Promise<{ records: DraftRecord[]; fresh: boolean; unchanged?: boolean }> => {
      if (ev.kind === 'skip') {
        return { records: [skipRecord(ev.display, { kind: 'file' }, { reason: ev.reason, ...(ev.detail ? { detail: ev.detail } : {}) }, [])], fresh: true };
      }
      if (ev.kind === 'error') return { records: [skipRecord(ev.display, { kind: 'file' }, null, [ev.error])], fresh: true };
      if (ev.special) {
        const r = await readSpecial(ev.path, ev.special, maxSize);
        if (r.kind === 'unread') return { records: [skipRecord(ev.display, { kind: 'file' }, r.skipped, r.errors)], fresh: true };
        const task: Task = { id: nextId++, display: ev.display, bytes: r.bytes };
        readyToRun();
        return fromOutcome(ev.display, await pool.run(task, r.bytes.length), undefined);
      }
      const raw = pathBytes(ev.path);
      const hashes = cache?.hashesFor(raw, ev.stamp);
      // A stamp written by a sweep that kept fewer hashes (other IOC lists) cannot stand in for this one's: hash
      // IOCs would go unmatched. The file is read again, its known hashes not computed twice.
      if (hashes && plan.hashes.every.every((n) => hashes[n] !== undefined)) {
        // A large file whose stamp is unchanged needs no reading at all, whatever the rules: it is not scanned.
        const analysis = cache!.analysisFor(hashes.sha256, pathKey(ev.display)) ?? (ev.size > maxSize ? tooLargeAnalysis(ev.size, maxSize) : undefined);
        if (analysis) {
          const records = sampleRecords({ path: ev.display, source: { kind: 'file' }, size: ev.size, hashes, analysis }, iocs, reportSteps);
          // The stamp keeps only the hashes an earlier sweep computed: a record this one shows without them is
          // read again (below, its known hashes not computed twice).
          if (!records.some(lacksShownHashes)) return { records, fresh: false, unchanged: true };
        }
      }
      const task: Task = {
        id: nextId++,
        display: ev.display,
        path: ev.path,
        size: ev.size,
        ...(ev.follow ? { follow: true } : {}),
        // Unchanged file, new rules: the worker reads and scans it but need not hash it again.
        ...(hashes ? { known: { stamp: ev.stamp, hashes } } : {}),
      };
      readyToRun();
      return fromOutcome(ev.display, await pool.run(task, ev.size), raw);
    };

    // The walk runs ahead of the analysis (up to MAX_WALK_AHEAD events) so `found` is known early.
    const walker = o.rootSource ?? new FsWalk({ roots: o.paths, followSymlinks: o.followSymlinks ?? false, exclude: excludeMatcher(exclude) });
    const events: WalkEvent[] = [];
    let walkError: unknown;
    let stopped = false;
    stop = () => {
      stopped = true;
      roomSignal?.();
    };
    let signal: (() => void) | undefined;
    let roomSignal: (() => void) | undefined;
    const notify = (): void => {
      const s = signal;
      signal = undefined;
      s?.();
    };
    const producer = (async () => {
      try {
        for await (const ev of walker.walk()) {
          if (stopped) break;
          events.push(ev);
          tally.found++;
          if (ev.kind === 'file') tally.bytesFound += ev.size;
          notify();
          if (events.length >= MAX_WALK_AHEAD) await new Promise<void>((r) => (roomSignal = r));
        }
      } catch (e) {
        walkError = e;
      } finally {
        walking = false;
        notify();
      }
    })();
    const waitForEvent = (): Promise<void> => new Promise((r) => (signal = r));

    if (compiling) {
      // Compiled before anything is reported, so broken rules stop the run (exit 2) with no partial output.
      const ready = await compiling;
      ruleInfo = ruleInfoOf(ready);
      for (const w of ready.warnings) warn(formatDiagnostic(w));
      cache?.setConfigInfo(JSON.stringify(ruleInfo));
    }
    const rulesUsed = ruleInfo!;
    for (const s of rulesUsed.skipped) warn(`rule file skipped: ${formatDiagnostic(s)}`);

    const slots: Slot[] = [];
    const emit = async (slot: Slot): Promise<void> => {
      for (const [i, r] of slot.records!.entries()) {
        // Members met inside containers count as found when they are reported.
        if (i > 0) tally.found++;
        tally.count(r, slot.fresh);
        if (!o.onRecord || (listedOnly && r.type === 'sample' && !listedWithoutAll(r))) continue;
        const record = finished(r);
        // Only a report step that made a sample reportable after its worker left its hashes out lands here.
        if (record) await o.onRecord(record);
        else warn(`${r.type === 'sample' ? r.sample.path : r.path}: not reported: a report step gave it findings after its hashes were left out`);
      }
      if (slot.unchanged) tally.unchanged++;
      tally.bytesDone += slot.bytes;
      progress();
    };

    // Each pass dispatches what it can, then emits the head slot or waits for the walk; it ends when the walk
    // has ended and every slot is emitted.
    for (;;) {
      while (slots.length < MAX_IN_FLIGHT && events.length > 0) {
        const ev = events.shift()!;
        const slot: Slot = { records: undefined, fresh: true, unchanged: false, bytes: ev.kind === 'file' ? ev.size : 0, promise: Promise.resolve() };
        slot.promise = handle(ev).then((r) => {
          slot.records = r.records;
          slot.fresh = r.fresh;
          slot.unchanged = r.unchanged ?? false;
        });
        // A failure surfaces when the slot is awaited in order; if an earlier one stops the sweep first, this
        // one must not become an unhandled rejection that changes the exit status.
        slot.promise.catch(() => undefined);
        slots.push(slot);
      }
      if (events.length < MAX_WALK_AHEAD && roomSignal) {
        const r = roomSignal;
        roomSignal = undefined;
        r();
      }
      const head = slots[0];
      if (!head) {
        if (!walking && events.length === 0) break;
        await waitForEvent();
        continue;
      }
      if (!head.records) {
        // Keep the workers fed while the head is slow: wake for a new walk event as well as for the head.
        const more = walking && slots.length < MAX_IN_FLIGHT ? waitForEvent() : new Promise<void>(() => undefined);
        await Promise.race([head.promise, more]);
        if (!head.records) continue;
      }
      slots.shift();
      await emit(head);
    }
    await producer;
    if (walkError) throw walkError;
    progress(true);

    const finishedAt = new Date();
    const durationMs = performance.now() - t0;
    return {
      type: 'summary',
      schemaVersion: SCHEMA_VERSION,
      tool: { name: 'firebreak', version: VERSION },
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.round(durationMs),
      roots: o.paths.map(displayPath),
      engine: engine.name,
      rules: { count: rulesUsed.ruleCount, hash: rulesUsed.ruleSetHash, skippedFiles: rulesUsed.skipped.map((s) => s.path), warnings: rulesUsed.warnings },
      iocs: { count: iocs?.count ?? 0, lists: iocs?.lists ?? [] },
      files: {
        found: tally.found,
        scanned: tally.scanned,
        withFindings: tally.withFindings,
        fromCache: tally.fromCache,
        unchanged: tally.unchanged,
        skipped: tally.skipped,
        errors: tally.errors,
      },
      bytesScanned: tally.bytesScanned,
      throughputMiBps: durationMs > 0 ? Math.round((tally.bytesScanned / 1048576 / (durationMs / 1000)) * 10) / 10 : 0,
      findings: { yara: tally.yaraHits, iocs: tally.iocHits, capabilities: tally.capabilityHits, byFamily: tally.byFamily },
    };
  } finally {
    stop();
    await pool.close();
    cache?.close();
  }
}

function hasSha256(h: PartialHashes): h is StoredHashes {
  return h.sha256 !== undefined;
}
