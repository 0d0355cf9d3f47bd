// Pipeline step: the PE summary (formats/pe) for PE files whose report will show it.
//
// A full PE parse with its anomaly checks costs about as much as the YARA scan of the file, and a summary is only
// read where there is something to explain. So by default it is made for samples with findings; with `all` (a
// sweep with --all, where every sample is reported) for every PE file.

import { isPeFile, parsePe, peSummary } from '../../formats/pe/index.js';
import type { Analysis } from '../analysis.js';
import type { ContentStep, SampleView } from './types.js';

/** Which samples get a PE summary; `off` leaves the step out (it is the costliest step after YARA). */
export type PeScope = 'all' | 'findings' | 'off';

export class PeSummaryStep implements ContentStep {
  readonly name = 'pe';

  constructor(private readonly scope: PeScope) {}

  run(sample: SampleView, into: Analysis): void {
    const b = sample.bytes;
    if (b.length < 64 || b[0] !== 0x4d || b[1] !== 0x5a) return;
    if (this.scope === 'findings' && into.yara.length === 0 && into.iocs.length === 0 && sample.otherHits === 0) return;
    const pe = parsePe(b);
    if (isPeFile(pe)) into.pe = peSummary(pe);
  }
}
