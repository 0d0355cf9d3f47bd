// A sweep worker: builds the rule set once from its plan, then reads, hashes and analyses the files it is given,
// reading the next file while it scans the current one.

import { parentPort, workerData } from 'node:worker_threads';
import { isFirebreakError } from '../core/errors.js';
import { type Analysis, tooLargeAnalysis } from './analysis.js';
import { CacheReader } from './cache.js';
import { excludeMatcher } from './exclude.js';
import { fileBudgetMs, MAX_ARCHIVE_ENTRIES, MAX_ARCHIVE_TOTAL_BYTES, STEPS_DEADLINE_SHARE } from './limits.js';
import { HASH_NAMES } from './hashes.js';
import { Pipeline } from './pipeline.js';
import type { ErrorData, FileOutcome, FromWorker, Task, ToWorker, WireOutcome, WorkerPlan } from './protocol.js';
import { asyncIo, ReadBuffer, readFileOnce, SYNC_READ_MAX, syncIo, type ReadResult } from './read.js';
import { containerSources } from './sources/index.js';
import { type FileByteSource, openImageFile } from './sources/image-file.js';
import type { Stamp } from './sources/types.js';
import { buildSteps } from './steps/index.js';
import type { SampleView } from './steps/types.js';

const port = parentPort!;
const plan = workerData as WorkerPlan;

function post(m: FromWorker): void {
  port.postMessage(m);
}

function errorData(e: unknown): ErrorData {
  if (isFirebreakError(e)) {
    return {
      code: e.code,
      message: e.message,
      ...(e.input !== undefined ? { input: e.input } : {}),
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.column !== undefined ? { column: e.column } : {}),
    };
  }
  return { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

const queue: Task[] = [];
let wake: (() => void) | undefined;
port.on('message', (m: ToWorker) => {
  queue.push(...m.tasks);
  wake?.();
});

function nextTask(): Promise<Task> {
  const t = queue.shift();
  if (t) return Promise.resolve(t);
  return new Promise((resolve) => {
    wake = () => {
      const n = queue.shift();
      if (n) {
        wake = undefined;
        resolve(n);
      }
    };
  });
}

function startRead(task: Task, buffer: ReadBuffer): Promise<ReadResult> {
  if (task.bytes) {
    const b = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
    return Promise.resolve({ kind: 'bytes', bytes: b });
  }
  const io = task.size !== undefined && task.size <= SYNC_READ_MAX ? syncIo : asyncIo;
  return readFileOnce(task.path!, task.follow ?? false, plan.maxSize, buffer, io);
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** Same rule as the main thread's: the path is part of the key only when rules read it (path externals). */
function pathKey(display: string): string {
  return plan.pathExternals ? display : '';
}

/** When the steps of a file of `size` bytes, started now, should be done (see STEPS_DEADLINE_SHARE). */
function stepsDeadline(size: number): number {
  return performance.now() + fileBudgetMs(size) * STEPS_DEADLINE_SHARE;
}

async function outcomeOf(pipeline: Pipeline, cache: CacheReader | undefined, task: Task, r: ReadResult): Promise<FileOutcome> {
  if (r.kind === 'unread') return r;
  if (r.kind === 'too-large') {
    const analysis = tooLargeAnalysis(r.size, plan.maxSize);
    if (task.path !== undefined && pipeline.opensInPlace) await expandInPlace(pipeline, task, r.size, analysis);
    return { kind: 'sample', size: r.size, hashes: r.hashes, ...(r.stamp ? { stamp: r.stamp } : {}), scanned: false, analysis };
  }
  const known = task.known && r.stamp && sameStamp(task.known.stamp, r.stamp) ? task.known.hashes : undefined;
  // Computed as read: by the cache lookup (sha256), the IOC step (the types its lists hold), settleHashes (the rest).
  const lazy = pipeline.lazyHashes(r.bytes, known);
  const stamp = r.stamp ? { stamp: r.stamp } : {};
  const cached = cache?.analysisFor(plan.cache!.configHash, lazy.sha256, pathKey(task.display));
  if (cached) {
    // The path and hash IOC hits that may make it listed are worked out in the main thread, so all three are kept.
    return { kind: 'sample', size: r.bytes.length, hashes: lazy.settle(HASH_NAMES), ...stamp, scanned: true, fromCache: true, analysis: cached };
  }
  const view: SampleView = { display: task.display, bytes: r.bytes, hashes: lazy, depth: 0, otherHits: [], deadline: stepsDeadline(r.bytes.length) };
  const analysis = await pipeline.analyse(view, { bytesLeft: MAX_ARCHIVE_TOTAL_BYTES, entriesLeft: MAX_ARCHIVE_ENTRIES });
  return { kind: 'sample', size: r.bytes.length, hashes: pipeline.settleHashes(lazy, analysis, view.otherHits), ...stamp, scanned: true, analysis };
}

/**
 * A file too large to read whole may still be a container read in place (a disk image): its members go through
 * the pipeline. Their budget grows with the image: its size in bytes, and a member per 4 KiB cluster it could hold.
 */
async function expandInPlace(pipeline: Pipeline, task: Task, size: number, analysis: Analysis): Promise<void> {
  let source: FileByteSource;
  try {
    source = openImageFile(task.path!, { follow: task.follow ?? false, display: task.display });
  } catch (e) {
    analysis.errors.push({ code: errorData(e).code, message: errorData(e).message });
    return;
  }
  try {
    const budget = { bytesLeft: Math.max(MAX_ARCHIVE_TOTAL_BYTES, size), entriesLeft: Math.max(MAX_ARCHIVE_ENTRIES, Math.floor(size / 4096)) };
    await pipeline.expandInPlace({ display: task.display, source, depth: 0, deadline: stepsDeadline(size) }, analysis, budget);
  } finally {
    source.close();
  }
}

function toWire(o: FileOutcome): WireOutcome {
  if (o.kind !== 'sample') return o;
  const { analysis, ...rest } = o;
  return { ...rest, analysisJson: JSON.stringify(analysis) };
}

async function main(): Promise<void> {
  let pipeline: Pipeline;
  const cache = plan.cache ? await CacheReader.open(plan.cache.path) : undefined;
  try {
    const built = await buildSteps(plan);
    pipeline = new Pipeline(built.steps, containerSources({ maxSize: plan.maxSize }), excludeMatcher(plan.exclude), plan.hashes);
    post({
      t: 'ready',
      info: { ruleCount: built.ruleCount, ruleSetHash: built.ruleSetHash, warnings: built.warnings, skipped: built.skipped, compileMs: built.compileMs },
    });
  } catch (e) {
    post({ t: 'fatal', error: errorData(e) });
    return;
  }
  // Two buffers: one holds the file being analysed, the other receives the next file meanwhile.
  const buffers = [new ReadBuffer(), new ReadBuffer()];
  let slot = 0;
  let next: { task: Task; read: Promise<ReadResult> } | undefined;
  // Runs until the main thread terminates the worker.
  for (;;) {
    if (!next) {
      const task = await nextTask();
      next = { task, read: startRead(task, buffers[slot]!) };
      slot ^= 1;
    }
    const current = next;
    next = undefined;
    const r = await current.read;
    const queued = queue.shift();
    if (queued) {
      next = { task: queued, read: startRead(queued, buffers[slot]!) };
      slot ^= 1;
    }
    let outcome: FileOutcome;
    try {
      outcome = await outcomeOf(pipeline, cache, current.task, r);
    } catch (e) {
      outcome = { kind: 'unread', skipped: null, errors: [{ code: errorData(e).code, message: errorData(e).message }] };
    }
    post({ t: 'done', id: current.task.id, outcome: toWire(outcome) });
  }
}

void main();
