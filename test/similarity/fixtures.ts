// The synthetic families with their features extracted once per test process.

import { readFileSync } from 'node:fs';
import { extractFeatures, type SampleFeatures } from '../../src/similarity/index.js';
import { buildFixtures, type Fixture } from './families.js';

export interface FixtureWithFeatures extends Fixture {
  features: SampleFeatures;
}

let cache: FixtureWithFeatures[] | undefined;

export function fixturesWithFeatures(): FixtureWithFeatures[] {
  cache ??= buildFixtures().map((f) => ({ ...f, features: extractFeatures(readFileSync(f.path), { name: f.id }) }));
  return cache;
}
