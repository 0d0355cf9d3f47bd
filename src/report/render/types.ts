// The renderer contract: every output format reads the same records and summary, streamed in walk order.

import type { SweepRecord, SweepSummary } from '../schema.js';

export const FORMATS = ['text', 'ndjson', 'json', 'sarif', 'stix'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** Every sample and skip record, not only samples with findings. */
  all: boolean;
}

/** Feeds on records as they come, returning text to write now ('' for none); `end` returns the rest. */
export interface Renderer {
  record(r: SweepRecord): string;
  end(summary: SweepSummary): string;
}
