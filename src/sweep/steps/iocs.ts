// Pipeline step: indicators searched for in the sample's contents (strings, domains, IPs in ASCII and UTF-16LE).

import type { IocSet, IocSubject } from '../../detect/ioc/types.js';
import type { Analysis } from '../analysis.js';
import { contentHits, nonContentHits } from '../iocs.js';
import type { ContentStep, SampleView } from './types.js';

export class IocContentStep implements ContentStep {
  readonly name = 'iocs';

  constructor(private readonly iocs: IocSet) {}

  run(sample: SampleView, into: Analysis): void {
    // Hash and path hits are worked out again when the report is built (they depend on the path, and are cheap).
    // Getters, not a spread: a spread would compute all three hashes, and the set reads only the types it holds.
    const h = sample.hashes;
    const subject: IocSubject = {
      path: sample.display,
      bytes: sample.bytes,
      ...(sample.altNames ? { altNames: sample.altNames } : {}),
      get md5() {
        return h.md5;
      },
      get sha1() {
        return h.sha1;
      },
      get sha256() {
        return h.sha256;
      },
    };
    const hits = this.iocs.match(subject);
    into.iocs = contentHits(hits);
    sample.otherHits.push(...nonContentHits(hits));
  }
}
