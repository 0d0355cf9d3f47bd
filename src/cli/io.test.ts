// The launcher as a real process whose reader goes away: it stops at once, quietly, with the broken-pipe status.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';
import { BROKEN_PIPE_STATUS } from './io.js';

const BIN = join(PROJECT_ROOT, 'bin', 'firebreak.js');

/** Runs the CLI, closes its stdout after the first chunk, and resolves with its status and stderr. */
function runAndHangUp(args: string[]): Promise<{ status: number | null; stderr: string; firstChunk: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let firstChunk = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', (d: Buffer) => {
      firstChunk = d.toString('utf8');
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr, firstChunk }));
  });
}

test('a reader that stops reading ends the command with the broken-pipe status and no stack trace', async () => {
  // The examples' JSON report is far larger than one pipe buffer, so writes go on after the reader has gone.
  const r = await runAndHangUp(['sweep', '--no-cache', '--no-progress', '--format', 'json', '--all', join(PROJECT_ROOT, 'examples')]);
  assert.match(r.firstChunk, /^\{/);
  assert.equal(r.status, BROKEN_PIPE_STATUS, r.stderr);
  assert.equal(r.stderr, '');
});
