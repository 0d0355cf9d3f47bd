// What a command may touch of the outside world, injected so commands run in-process in tests.

import type { Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** True when stderr is a terminal and neither NO_COLOR nor CI is set: progress bars and colour allowed. */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * The status of a command whose reader went away (`firebreak pe x.dll | head`): what a shell reports for a process
 * SIGPIPE stopped (128 + 13). Node ignores SIGPIPE and turns it into an EPIPE error on stdout instead.
 */
export const BROKEN_PIPE_STATUS = 141;

export function processIo(): CliIo {
  const env = process.env;
  // Nobody reads the rest: stop at once and quietly, as other command-line tools do, with no stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(BROKEN_PIPE_STATUS);
    throw e;
  });
  const interactive = Boolean(process.stderr.isTTY) && !env.NO_COLOR && !env.CI;
  return { stdout: process.stdout, stderr: process.stderr, interactive, env, cwd: process.cwd() };
}

/** Writes a line to a stream and resolves once it is flushed, so large outputs are not cut at exit. */
export function writeOut(stream: Writable, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
