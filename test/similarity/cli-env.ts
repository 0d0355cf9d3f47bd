// A family database and sample files on disk for the CLI tests of db, similar and cluster.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFamilyDb } from './familydb.js';
import { buildFixtures, type Fixture } from './families.js';

export interface CliEnv {
  dir: string;
  db: string;
  fixtures: Fixture[];
  byId(id: string): Fixture;
}

let env: CliEnv | undefined;

export function cliEnv(): CliEnv {
  if (!env) {
    const dir = mkdtempSync(join(tmpdir(), 'fb-sim-cli-'));
    const fixtures = buildFixtures();
    const db = join(dir, 'families.db');
    buildFamilyDb(db, fixtures);
    env = { dir, db, fixtures, byId: (id) => fixtures.find((f) => f.id === id)! };
  }
  return env;
}
