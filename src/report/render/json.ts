// JSON: one ReportDocument, written as it goes (samples streamed, skips held to the end) so memory stays flat.

import { SCHEMA_VERSION } from '../model.js';
import type { SkipRecord, SweepSummary } from '../schema.js';
import { shown } from './ndjson.js';
import type { Renderer, RenderOptions } from './types.js';

export function jsonRenderer(options: RenderOptions): Renderer {
  let samples = 0;
  const skips: SkipRecord[] = [];
  const head = `{"schemaVersion":${SCHEMA_VERSION},"samples":[`;
  return {
    record(r) {
      if (!shown(r, options)) return '';
      if (r.type === 'skip') {
        skips.push(r);
        return '';
      }
      const text = `${samples === 0 ? `${head}\n` : ',\n'}${JSON.stringify(r)}`;
      samples++;
      return text;
    },
    end(summary: SweepSummary) {
      const open = samples === 0 ? head : '\n';
      const skipText = skips.length === 0 ? '' : `\n${skips.map((s) => JSON.stringify(s)).join(',\n')}\n`;
      return `${open}],"skips":[${skipText}],"summary":${JSON.stringify(summary)}}\n`;
    },
  };
}
