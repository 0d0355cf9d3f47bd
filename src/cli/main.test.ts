import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../test/helpers/cli.js';
import { VERSION } from '../core/version.js';

test('no command prints usage and exits 2', async () => {
  const r = await runCli([]);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /Usage: firebreak <command>/);
});

test('--help exits 0', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Commands:/);
});

test('--version prints the version', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), VERSION);
});

test('an unknown command is a one-line usage error with exit 2', async () => {
  const r = await runCli(['frobnicate']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /unknown command 'frobnicate'.*E_USAGE/);
});
