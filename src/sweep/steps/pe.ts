// Pipeline step: the PE summary (formats/pe) for PE files whose report will show it.
//
// A PE parse with its anomaly checks (section entropy, checksum: a pass over every byte) costs half what the YARA
// scan does, and a summary is only read where there is something to explain. So by default (`family`) it is made
// for samples that look like an implant: an IOC hit, or a hit from a rule that names a family (every rule of the
// bundled pack does). `findings` makes it for every sample with findings (generic rules included), `all` (a sweep
// with --all, where every sample is reported) for every PE file.

import { peSummary } from '../../formats/pe/index.js';
import type { Analysis } from '../analysis.js';
import type { PeScope } from '../pe-scope.js';
import { samplePe } from './sample-pe.js';
import type { ContentStep, SampleView } from './types.js';

/** Whether a sample's findings so far call for its PE summary under `scope`. */
function wanted(scope: PeScope, sample: SampleView, a: Analysis): boolean {
  if (scope === 'all') return true;
  if (a.iocs.length > 0 || sample.otherHits.length > 0) return true;
  if (scope === 'findings') return a.yara.length > 0;
  return a.yara.some((m) => typeof m.meta.family === 'string');
}

export class PeSummaryStep implements ContentStep {
  readonly name = 'pe';

  constructor(private readonly scope: PeScope) {}

  run(sample: SampleView, into: Analysis): void {
    const b = sample.bytes;
    if (b.length < 64 || b[0] !== 0x4d || b[1] !== 0x5a) return;
    if (!wanted(this.scope, sample, into)) return;
    const pe = samplePe(sample);
    if (pe) into.pe = peSummary(pe);
  }
}
