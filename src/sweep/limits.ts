// Every default, cap and budget of a sweep, named in one place so docs/sweep.md and the code cannot drift apart.

const MiB = 1024 * 1024;

/** Files larger than this are hashed (streamed) but not scanned, unless --max-size says otherwise. */
export const DEFAULT_MAX_SIZE = 256 * MiB;
/** Deepest folder level the walk descends below a root. */
export const MAX_WALK_DEPTH = 256;
/** Directory entries read from one folder at most; the rest are counted as skipped (budget). */
export const MAX_DIR_ENTRIES = 1_000_000;

/** Archives nested deeper than this (a zip in a zip in a zip...) are scanned as bytes but not opened. */
export const MAX_ARCHIVE_DEPTH = 4;
/** Entries read from one archive at most. */
export const MAX_ARCHIVE_ENTRIES = 100_000;
/** Uncompressed bytes taken out of one top-level file's archives, all nesting levels together. */
export const MAX_ARCHIVE_TOTAL_BYTES = 1024 * MiB;
/** A member whose uncompressed size exceeds its compressed size this many times is a bomb (deflate tops out near 1032:1). */
export const MAX_COMPRESSION_RATIO = 200;
/** ...but only when it is also bigger than this: a tiny file of zeros compresses well and is harmless. */
export const RATIO_CHECK_MIN_BYTES = 1 * MiB;

/** Offsets kept per YARA string in a report: enough to show where, without a hostile file making reports huge. */
export const MAX_REPORTED_MATCHES_PER_STRING = 32;

/** Wall time a worker may spend on one file before it is stopped and the file reported as skipped (timeout). */
export const FILE_TIME_BUDGET_MS = 60_000;
/** ...plus this much per MiB, so a large file on a loaded machine is not cut short. */
export const FILE_TIME_BUDGET_MS_PER_MIB = 250;
/**
 * A YARA scan may take this share of its file's budget: the native engine stops it there (the sample is reported
 * with `skipped: timeout`), before the watchdog has to replace the worker and it loads its rules again.
 */
export const SCAN_TIMEOUT_SHARE = 0.75;
/** Scan timeouts are whole multiples of this, so files of nearby sizes share one (a new value rebuilds the scanner). */
export const SCAN_TIMEOUT_STEP_MS = 5000;
/**
 * The content steps of one file on disk (its members included) should be done by this share of its budget; the
 * capability and similarity steps stop their code recovery there (a partial result), so the watchdog need not.
 */
export const STEPS_DEADLINE_SHARE = 0.9;
/** Wall time the capability analysis of one PE may take at most, inside its file's budget (triage's default too). */
export const CAPABILITY_TIME_BUDGET_MS = 30_000;
/** Time an explicitly named FIFO, socket or character device may take to deliver its bytes. */
export const SPECIAL_FILE_TIME_BUDGET_MS = 30_000;

/** Tasks queued to one worker (the one it is on included), so reads overlap scanning. */
export const WORKER_QUEUE_DEPTH = 3;
/** ...and more, up to this many, while they add up to under WORKER_QUEUE_BYTES (small files). */
export const WORKER_QUEUE_MAX_TASKS = 64;
export const WORKER_QUEUE_BYTES = 4 * 1024 * 1024;
/** Files handed out but not yet reported: bounds the reorder buffer that keeps output in walk order. */
export const MAX_IN_FLIGHT = 256;
/** Workers at most, whatever --jobs says. */
export const MAX_JOBS = 64;

/** Cache rows not used for this long are pruned (checked at most once a day). */
export const CACHE_MAX_AGE_DAYS = 90;
/**
 * A file changed less than this long before its read is not given a stat stamp: a later change within the
 * file system's timestamp granularity (2 s on FAT) could leave the stamp unchanged.
 */
export const RACY_WINDOW_NS = 3_000_000_000n;

/** The wall time one file may take in a worker, by its size. */
export function fileBudgetMs(size: number): number {
  return FILE_TIME_BUDGET_MS + Math.ceil(size / MiB) * FILE_TIME_BUDGET_MS_PER_MIB;
}

/** The time the YARA scan of `size` bytes may take, inside its file's budget. */
export function scanTimeoutMs(size: number): number {
  return Math.max(SCAN_TIMEOUT_STEP_MS, Math.floor((fileBudgetMs(size) * SCAN_TIMEOUT_SHARE) / SCAN_TIMEOUT_STEP_MS) * SCAN_TIMEOUT_STEP_MS);
}
