// The pipeline step contract: one job each (YARA, IOCs, and later PE summary, capabilities, family verdict).

import type { Hashes } from '../../core/findings.js';
import type { Analysis } from '../analysis.js';

/** One sample as a step sees it: its bytes, read once, and what is already known about it. */
export interface SampleView {
  /** Display path: `dir/file`, `a.zip!inner/path`, `image.img#p1:/DIR/FILE`. */
  display: string;
  bytes: Uint8Array;
  hashes: Hashes;
  /** 0 for a file on disk, 1 for a member of it, and so on. */
  depth: number;
  /**
   * IOC hits on the path or hashes, counted by the IOC step (they are reported from the main thread, not kept in
   * the Analysis), so later steps know the sample has findings.
   */
  otherHits: number;
}

/**
 * A step runs in a worker, on one sample's bytes, and fills its part of the Analysis. Steps run in list order,
 * so a later step (a family verdict) reads what earlier ones (YARA, PE summary, capabilities) found. A step that
 * throws costs only its own part: the error is recorded on the sample and the next step runs.
 */
export interface ContentStep {
  readonly name: string;
  run(sample: SampleView, into: Analysis): void | Promise<void>;
  dispose?(): void;
}
