// The worker pool: N worker threads, each with its own rule set, fed a few tasks ahead so reads overlap scans.
// A worker that overruns a file's time budget or dies is replaced, and its other tasks go to the queue again.

import { Worker } from 'node:worker_threads';
import { FirebreakError, type ErrorCode } from '../core/errors.js';
import { fileBudgetMs, WORKER_QUEUE_BYTES, WORKER_QUEUE_DEPTH, WORKER_QUEUE_MAX_TASKS } from './limits.js';
import type { Analysis } from './analysis.js';
import type { ErrorData, FileOutcome, FromWorker, ReadyInfo, Task, ToWorker, WireOutcome, WorkerPlan } from './protocol.js';

interface Pending {
  task: Task;
  size: number;
  resolve: (o: FileOutcome) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  inFlight: Pending[];
  /** When the oldest task in flight became the one the worker is on. */
  headSince: number;
  dead: boolean;
}

/** Workers replaced at most in one sweep before it gives up: something is wrong beyond one bad file. */
export const MAX_WORKER_RESTARTS = 16;
const WATCHDOG_INTERVAL_MS = 1000;

function toError(e: ErrorData): FirebreakError {
  return new FirebreakError(e.code as ErrorCode, e.message, {
    ...(e.input !== undefined ? { input: e.input } : {}),
    ...(e.line !== undefined ? { line: e.line } : {}),
    ...(e.column !== undefined ? { column: e.column } : {}),
  });
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private restarts = 0;
  private failed: FirebreakError | undefined;
  private started: Promise<ReadyInfo> | undefined;
  private resolveReady!: (i: ReadyInfo) => void;
  private rejectReady!: (e: unknown) => void;
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly plan: WorkerPlan,
    private readonly jobs: number,
    private readonly budgetMs: (size: number) => number = fileBudgetMs,
    private readonly watchdogMs = WATCHDOG_INTERVAL_MS,
  ) {}

  get isStarted(): boolean {
    return this.started !== undefined;
  }

  /** Starts the workers; resolves with the first one's compile report, rejects if the rules do not compile. */
  start(): Promise<ReadyInfo> {
    if (this.started) return this.started;
    this.started = new Promise<ReadyInfo>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Callers that only wait on run() must not see an unhandled rejection here.
    this.started.catch(() => undefined);
    for (let i = 0; i < this.jobs; i++) this.slots.push(this.spawn());
    this.watchdog = setInterval(() => this.checkBudgets(), this.watchdogMs);
    this.watchdog.unref();
    return this.started;
  }

  /** Analyses one file in some worker. `size` (as the walk saw it) sets the file's time budget. */
  run(task: Task, size: number): Promise<FileOutcome> {
    if (this.failed) return Promise.reject(this.failed);
    void this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ task, size, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => undefined)));
    this.slots.length = 0;
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: this.plan });
    const slot: Slot = { worker, ready: false, inFlight: [], headSince: 0, dead: false };
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (e) => this.onDeath(slot, `worker failed: ${e instanceof Error ? e.message : String(e)}`));
    worker.on('exit', (code) => {
      if (!this.closed && !slot.dead) this.onDeath(slot, `worker exited with code ${code}`);
    });
    return slot;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.t === 'ready') {
      slot.ready = true;
      this.resolveReady(m.info);
      this.pump();
    } else if (m.t === 'fatal') {
      this.fail(toError(m.error));
    } else {
      const i = slot.inFlight.findIndex((p) => p.task.id === m.id);
      if (i < 0) return; // a task taken back after a timeout, answered late
      const [p] = slot.inFlight.splice(i, 1);
      slot.headSince = Date.now();
      p!.resolve(fromWire(m.outcome));
      this.pump();
    }
  }

  /** Fails the whole pool: the rule set could not be built, so no file can be analysed. */
  private fail(e: FirebreakError): void {
    if (this.failed) return;
    this.failed = e;
    this.rejectReady(e);
    for (const s of this.slots) {
      for (const p of s.inFlight) p.reject(e);
      s.inFlight = [];
    }
    for (const p of this.waiting.splice(0)) p.reject(e);
    void this.close();
  }

  /** Replaces a dead or stopped worker; its current task gets `headOutcome`, the rest are queued again. */
  private replace(slot: Slot, headOutcome: FileOutcome): void {
    slot.dead = true;
    void slot.worker.terminate().catch(() => undefined);
    const [head, ...rest] = slot.inFlight;
    slot.inFlight = [];
    head?.resolve(headOutcome);
    this.waiting.unshift(...rest);
    const at = this.slots.indexOf(slot);
    if (this.closed || at < 0) return;
    if (++this.restarts > MAX_WORKER_RESTARTS) {
      this.fail(new FirebreakError('E_INTERNAL', `workers failed ${this.restarts} times; giving up`));
      return;
    }
    this.slots[at] = this.spawn();
  }

  private onDeath(slot: Slot, why: string): void {
    if (slot.dead || this.failed) return;
    if (!slot.ready && !this.slots.some((s) => s.ready)) {
      // No worker ever got going: the same would happen again.
      this.fail(new FirebreakError('E_INTERNAL', why));
      return;
    }
    this.replace(slot, { kind: 'unread', skipped: null, errors: [{ code: 'E_INTERNAL', message: why }] });
  }

  private checkBudgets(): void {
    const now = Date.now();
    for (const slot of [...this.slots]) {
      const head = slot.inFlight[0];
      if (!head || slot.dead) continue;
      const budget = this.budgetMs(head.size);
      if (now - slot.headSince > budget) {
        this.replace(slot, { kind: 'unread', skipped: { reason: 'timeout', detail: `over the ${budget} ms budget for one file` }, errors: [] });
      }
    }
    this.pump();
  }

  /**
   * Hands waiting tasks to ready workers, the least loaded first. A worker holds up to WORKER_QUEUE_DEPTH tasks,
   * or more while they add up to under WORKER_QUEUE_BYTES: a worker on tiny files must not wait on the main
   * thread between them.
   */
  private pump(): void {
    const batches = new Map<Slot, Task[]>();
    // Each pass hands out one task or stops, and there are finitely many waiting.
    while (this.waiting.length > 0) {
      let best: Slot | undefined;
      for (const s of this.slots) {
        if (!s.ready || s.dead || !hasRoom(s)) continue;
        if (!best || load(s) < load(best)) best = s;
      }
      if (!best) break;
      const p = this.waiting.shift()!;
      if (best.inFlight.length === 0) best.headSince = Date.now();
      best.inFlight.push(p);
      const batch = batches.get(best) ?? [];
      batch.push(p.task);
      batches.set(best, batch);
    }
    for (const [slot, tasks] of batches) {
      const m: ToWorker = { t: 'tasks', tasks };
      slot.worker.postMessage(m);
    }
  }
}

function fromWire(o: WireOutcome): FileOutcome {
  if (o.kind !== 'sample') return o;
  const { analysisJson, ...rest } = o;
  return { ...rest, analysis: JSON.parse(analysisJson) as Analysis, analysisJson };
}

function hasRoom(s: Slot): boolean {
  if (s.inFlight.length < WORKER_QUEUE_DEPTH) return true;
  if (s.inFlight.length >= WORKER_QUEUE_MAX_TASKS) return false;
  let bytes = 0;
  for (const p of s.inFlight) bytes += p.size;
  return bytes < WORKER_QUEUE_BYTES;
}

function load(s: Slot): number {
  let bytes = 0;
  for (const p of s.inFlight) bytes += p.size;
  return bytes + s.inFlight.length * 65536;
}
