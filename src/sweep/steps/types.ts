// The pipeline step contract: one job each (YARA, IOCs, hives, capabilities, PE summary, similarity).

import type { Program } from '../../code/index.js';
import type { Hashes, IocHit } from '../../core/findings.js';
import type { NotPe, PeFile } from '../../formats/pe/index.js';
import type { Analysis } from '../analysis.js';

/** What one step parsed or recovered from a sample's bytes, kept for the steps after it (never cached or sent). */
export interface SampleScratch {
  /** The PE parse of the bytes (a non-PE result too, so it is not parsed again). */
  pe?: PeFile | NotPe;
  /** The program the capability step recovered, for the similarity step's function hashes. */
  program?: Program | null;
}

/** One sample as a step sees it: its bytes, read once, and what is already known about it. */
export interface SampleView {
  /** Display path: `dir/file`, `a.zip!inner/path`, `image.img#p1:/DIR/FILE`. */
  display: string;
  bytes: Uint8Array;
  /** Other names of the file for filename: indicators (a disk image member's 8.3 name; sweep/iocs.ts altNamesOf). */
  altNames?: readonly string[];
  /** Computed on first read in the sweep (hashes.ts LazyHashes): read only the ones a step needs. */
  hashes: Hashes;
  /** 0 for a file on disk, 1 for a member of it, and so on. */
  depth: number;
  /**
   * IOC hits on the path or hashes, found by the IOC step (they are reported from the main thread, not kept in
   * the Analysis), so later steps, and the choice of which hashes to keep, know the sample has findings.
   */
  otherHits: IocHit[];
  /**
   * performance.now() by which the steps of this file on disk (its members included) should be done: a step that
   * can stop early (code recovery) stops there with a partial result. Absent: no deadline.
   */
  deadline?: number;
  scratch?: SampleScratch;
}

/**
 * A step runs in a worker, on one sample's bytes, and fills its part of the Analysis. Steps run in list order,
 * so a later step (the similarity lookup) reads what earlier ones (YARA, capabilities, PE summary) found. A step
 * that throws costs only its own part: the error is recorded on the sample and the next step runs.
 */
export interface ContentStep {
  readonly name: string;
  run(sample: SampleView, into: Analysis): void | Promise<void>;
  dispose?(): void;
}
