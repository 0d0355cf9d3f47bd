// `firebreak pe FILE [-f|--format text|json]`: the whole PE parse of one file, as aligned tables or as JSON.

import { Option, type Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { resolve } from 'node:path';
import { FirebreakError } from '../core/errors.js';
import { parsePe, peToJson, peToText, type PeFile } from '../formats/pe/index.js';
import { EXIT_CLEAN } from './exit.js';
import { writeOut, type CliIo } from './io.js';
import { setExitStatus } from './main.js';

/** Reads and parses `file`; a missing, unreadable or non-PE file is a FirebreakError naming it. */
export function loadPe(file: string, cwd: string): PeFile {
  const path = resolve(cwd, file);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new FirebreakError('E_INPUT_UNREADABLE', 'not a regular file', { input: file });
    size = st.size;
  } catch (e) {
    if (e instanceof FirebreakError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such file', { input: file, cause: e });
    throw new FirebreakError('E_INPUT_UNREADABLE', `cannot read it (${code ?? String(e)})`, { input: file, cause: e });
  }
  if (size > bufferConstants.MAX_LENGTH) throw new FirebreakError('E_INPUT_TOO_LARGE', `${size} bytes is more than can be read at once`, { input: file });
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FirebreakError('E_INPUT_UNREADABLE', `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { input: file, cause: e });
  }
  const pe = parsePe(bytes);
  if (!pe.isPe) throw new FirebreakError('E_INPUT_MALFORMED', `not a PE file: ${pe.reason}`, { input: file });
  return pe;
}

export function define(cmd: Command, io: CliIo): void {
  cmd
    .argument('<file>', 'the Windows executable (EXE, DLL, SYS...) to take apart')
    .addOption(new Option('-f, --format <format>', 'output: aligned tables for people, or JSON (addresses as hex strings)').choices(['text', 'json']).default('text'))
    .action(async (file: string, opts: { format: 'text' | 'json' }) => {
      const pe = loadPe(file, io.cwd);
      const out = opts.format === 'json' ? `${JSON.stringify(peToJson(pe), null, 2)}\n` : peToText(pe, file);
      await writeOut(io.stdout, out);
      setExitStatus(cmd, EXIT_CLEAN);
    });
}
