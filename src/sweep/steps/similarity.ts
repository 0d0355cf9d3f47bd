// Pipeline step (with --db): the nearest family of each PE in a similarity database, by shared code and strings.
//
// The database is opened read-only once per worker. Non-PE files are skipped: the bundled and user databases hold
// programs, and fuzzy hashes alone never make a family (see docs/similarity.md, the score). The features reuse the
// sample's hashes, its PE parse and, after the capability step, the program it recovered; code recovery stops at
// the file's deadline. The verdict goes to the Analysis's `family`; the family report step combines it with the
// signature verdict (family.ts combineVerdicts).

import type { FamilyMatcher } from '../../similarity/index.js';
import type { Analysis } from '../analysis.js';
import { similarityVerdict } from '../family.js';
import { samplePe } from './sample-pe.js';
import type { ContentStep, SampleView } from './types.js';

export class SimilarityStep implements ContentStep {
  readonly name = 'similarity';

  constructor(
    private readonly matcher: FamilyMatcher,
    private readonly now: () => number = () => performance.now(),
  ) {}

  run(sample: SampleView, into: Analysis): void {
    const pe = samplePe(sample);
    if (!pe) return;
    const name = sample.display.split(/[\\/!]/).pop() || sample.display;
    const verdict = this.matcher.match(sample.bytes, name, {
      known: { hashes: sample.hashes, pe, program: sample.scratch?.program ?? null },
      ...(sample.deadline !== undefined ? { budget: { deadline: sample.deadline, now: this.now } } : {}),
    });
    into.family = similarityVerdict(verdict);
  }

  dispose(): void {
    this.matcher.close();
  }
}
