// `firebreak db add|info` in-process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/cli.js';
import { cliEnv } from '../../test/similarity/cli-env.js';

test('db add stores each file once, with its family and variant; db info lists families', async () => {
  const env = cliEnv();
  const db = join(env.dir, 'added.db');
  const files = [env.byId('sumtool-v1-x86-O0').path, env.byId('sumtool-v2-x86-O2').path];
  const r = await runCli(['db', 'add', ...files, '--family', 'sumtool', '--variant', 'v1', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l.startsWith('added\t')));
  const again = await runCli(['db', 'add', files[0]!, '--db', db]);
  assert.ok(again.stdout.startsWith('exists\t'));
  const info = await runCli(['db', 'info', '--db', db]);
  assert.equal(info.status, 0);
  assert.match(info.stdout, /^samples: 2 /);
  assert.match(info.stdout, /sumtool\t2 samples\tvariants v1/);
});

test('db add on a missing file fails with one line naming it and exit 2', async () => {
  const env = cliEnv();
  const missing = join(env.dir, 'no-such-file.exe');
  const r = await runCli(['db', 'add', missing, '--db', join(env.dir, 'x.db')]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /no-such-file\.exe.*\[E_INPUT_NOT_FOUND\]/);
});
