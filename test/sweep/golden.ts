// Golden files for the sweep's tests: UPDATE_GOLDEN=1 rewrites them; a mismatch fails with a unified diff.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { tempDir } from './helpers.js';

export const GOLDEN_DIR = join(PROJECT_ROOT, 'test', 'sweep', 'golden');

export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file ${name} is missing: run the tests with UPDATE_GOLDEN=1`);
  const expected = readFileSync(path, 'utf8');
  if (expected === actual) return;
  const t = tempDir('fb-golden-');
  let diff = '';
  try {
    const got = join(t.dir, name.replace(/\//g, '_'));
    writeFileSync(got, actual);
    try {
      execFileSync('diff', ['-u', path, got], { encoding: 'utf8' });
    } catch (e) {
      diff = (e as { stdout?: string }).stdout ?? '';
    }
  } finally {
    t.remove();
  }
  assert.fail(`${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it):\n${diff.slice(0, 20_000)}`);
}
