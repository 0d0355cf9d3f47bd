// Runs the CLI in-process with captured stdout and stderr, the way every CLI test drives a command.

import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** With `terminal`, stdout and stderr are one terminal (interactive, stdout a TTY) and `terminal` holds both, interleaved. */
export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; terminal?: boolean } = {},
): Promise<CliResult & { terminal: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const both: Buffer[] = [];
  stdout.on('data', (c: Buffer) => (out.push(c), both.push(c)));
  stderr.on('data', (c: Buffer) => (err.push(c), both.push(c)));
  if (options.terminal) Object.assign(stdout, { isTTY: true });
  const io: CliIo = {
    stdout,
    stderr,
    interactive: options.terminal ?? false,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? process.cwd(),
  };
  const status = await run(argv, io);
  stdout.end();
  stderr.end();
  return { status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), terminal: Buffer.concat(both).toString('utf8') };
}
