// Command-line arguments as the bytes they were: Node decodes argv as UTF-8 and replaces what is not, so a file
// name that is not UTF-8 (common on evidence from other systems, and passed by a shell glob) would not open.

import { readFileSync } from 'node:fs';
import type { FsPath } from '../sweep/index.js';

const REPLACEMENT = '\uFFFD';

/** The user's arguments as raw bytes, from /proc/self/cmdline (Linux); undefined where it cannot be read. */
function rawArguments(): Buffer[] | undefined {
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < cmdline.length; i++) {
    if (cmdline[i] !== 0) continue;
    parts.push(cmdline.subarray(start, i));
    start = i + 1;
  }
  // cmdline is node, its own options, the script, then the user's arguments: the last ones are process.argv's.
  const user = process.argv.length - 2;
  return user >= 0 && parts.length >= user ? parts.slice(parts.length - user) : undefined;
}

/**
 * A path argument as the bytes the user passed: the string itself when it decoded cleanly, else the raw bytes of
 * the argument it came from (the one whose lossy decoding it is), else the string as it is.
 */
export function pathArgument(arg: string): FsPath {
  if (!arg.includes(REPLACEMENT)) return arg;
  const raw = rawArguments();
  if (!raw) return arg;
  const user = process.argv.slice(2);
  for (let i = 0; i < user.length; i++) {
    if (user[i] === arg && raw[i] !== undefined && raw[i]!.toString('utf8') === arg) return Buffer.from(raw[i]!);
  }
  return arg;
}
