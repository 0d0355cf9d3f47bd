// Shared set-up for the sweep's tests: fixture trees in a temp folder, the test rules, and a CLI runner that
// never touches the user's cache.

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/paths.js';

export const FIXTURES = join(PROJECT_ROOT, 'test', 'sweep', 'fixtures');
export const TEST_RULES = join(FIXTURES, 'rules', 'test.yar');
export const BROKEN_RULES = join(FIXTURES, 'rules', 'broken.yar');
export const TEST_IOCS = join(FIXTURES, 'iocs', 'test-iocs.txt');
/** Two made-up families; the fixture IOC list speaks for one of them. */
export const TEST_FAMILIES = join(FIXTURES, 'families');

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix = 'fb-sweep-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of fixtures/tree in a temp folder (tests add their own odd files to it). */
export function fixtureTree(): { dir: string; remove: () => void } {
  const t = tempDir();
  cpSync(join(FIXTURES, 'tree'), t.dir, { recursive: true });
  return t;
}

/** Runs `firebreak sweep` in-process with no progress and no cache unless the args name one. */
export function sweepCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const cacheGiven = args.some((a) => a === '--cache' || a === '--no-cache');
  return runCli(['sweep', '--no-progress', ...(cacheGiven ? [] : ['--no-cache']), ...args], { env });
}

export interface Ndjson {
  records: Record<string, unknown>[];
  summary: Record<string, unknown> & { files: Record<string, unknown> & { skipped: Record<string, number> } };
}

export function parseNdjson(text: string): Ndjson {
  const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const summary = lines.pop() as Ndjson['summary'];
  return { records: lines, summary };
}
