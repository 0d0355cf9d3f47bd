// Pipeline step: indicators searched for in the sample's contents (strings, domains, IPs in ASCII and UTF-16LE).

import type { IocSet } from '../../detect/ioc/types.js';
import type { Analysis } from '../analysis.js';
import { contentHits } from '../iocs.js';
import type { ContentStep, SampleView } from './types.js';

export class IocContentStep implements ContentStep {
  readonly name = 'iocs';

  constructor(private readonly iocs: IocSet) {}

  run(sample: SampleView, into: Analysis): void {
    // Hash and path hits are worked out again when the report is built (they depend on the path, and are cheap).
    const hits = this.iocs.match({ path: sample.display, ...sample.hashes, bytes: sample.bytes });
    into.iocs = contentHits(hits);
    sample.otherHits += hits.length - into.iocs.length;
  }
}
