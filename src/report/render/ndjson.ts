// NDJSON: one line per sample with findings (every sample and skip with --all), then the summary line.

import { hasFindings } from '../model.js';
import type { SweepRecord, SweepSummary } from '../schema.js';
import type { Renderer, RenderOptions } from './types.js';

/** Whether a record is shown: findings always, everything else only with --all. */
export function shown(r: SweepRecord, options: RenderOptions): boolean {
  return options.all || (r.type === 'sample' && hasFindings(r));
}

export function ndjsonRenderer(options: RenderOptions): Renderer {
  return {
    record: (r) => (shown(r, options) ? `${JSON.stringify(r)}\n` : ''),
    end: (summary: SweepSummary) => `${JSON.stringify(summary)}\n`,
  };
}
