// The real PE files the fuzzers mutate: the small (stripped) test programs and their Rich, CLR, load-config and
// bound-import, and signed variants.

import { readFileSync } from 'node:fs';
import { buildFixtures, clrFixture, loadConfigFixture, richFixture, signedFixture } from './build.js';
import { seedOf, type Seed } from './fuzz.js';

export function fuzzSeeds(): Seed[] {
  const fx = buildFixtures();
  const files: [string, string][] = [];
  for (const arch of ['x86', 'x64'] as const) {
    const f = fx[arch];
    files.push(
      [`features-${arch}`, f.featuresStripped],
      [`exports-${arch}`, f.exportsStripped],
      [`hello-${arch}`, f.hello],
      [`rich-${arch}`, richFixture(f.hello)],
      [`clr-${arch}`, clrFixture(f.hello)],
      [`loadconfig-${arch}`, loadConfigFixture(f.hello)],
      [`signed-${arch}`, signedFixture(f.featuresStripped)],
    );
  }
  return files.map(([name, path]) => seedOf(name, readFileSync(path)));
}
