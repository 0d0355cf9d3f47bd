// Counts a sweep's records as they are emitted: the live progress figures and, at the end, the summary.

import { hasFindings } from '../report/model.js';
import type { DraftRecord } from './assemble.js';

export interface SweepProgress {
  /** Items met so far: files the walk found plus archive members opened. */
  found: number;
  /** Items reported so far. */
  done: number;
  withFindings: number;
  /** Bytes of the files found / done, for the rate and the ETA. */
  bytesFound: number;
  bytesDone: number;
  elapsedMs: number;
  /** The walk has not finished: `found` may still grow. */
  walking: boolean;
}

export class Tally {
  found = 0;
  bytesFound = 0;
  done = 0;
  bytesDone = 0;
  scanned = 0;
  withFindings = 0;
  fromCache = 0;
  unchanged = 0;
  errors = 0;
  bytesScanned = 0;
  yaraHits = 0;
  iocHits = 0;
  capabilityHits = 0;
  readonly skipped: Record<string, number> = {};
  readonly byFamily: Record<string, number> = {};

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  /** Counts one emitted record. `fresh`: analysed in this run (not replayed from the cache). */
  count(r: DraftRecord, fresh: boolean): void {
    this.done++;
    if (r.errors.length > 0) this.errors++;
    if (r.type === 'skip') {
      if (r.skipped) this.skip(r.skipped.reason);
      return;
    }
    if (r.skipped) this.skip(r.skipped.reason);
    if (r.skipped?.reason !== 'too-large') this.scanned++;
    if (fresh) this.bytesScanned += r.sample.size;
    else this.fromCache++;
    if (hasFindings(r)) this.withFindings++;
    this.yaraHits += r.yara.length;
    this.iocHits += r.iocs.length;
    this.capabilityHits += r.capabilities.length;
    if (r.family) this.byFamily[r.family.name] = (this.byFamily[r.family.name] ?? 0) + 1;
  }

  progress(elapsedMs: number, walking: boolean): SweepProgress {
    return {
      found: this.found,
      done: this.done,
      withFindings: this.withFindings,
      bytesFound: this.bytesFound,
      bytesDone: this.bytesDone,
      elapsedMs,
      walking,
    };
  }
}
