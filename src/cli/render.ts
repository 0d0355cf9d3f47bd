// `firebreak render FILE`: re-renders a saved json or ndjson report in another format, without rescanning.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { FirebreakError } from '../core/errors.js';
import { hasFindings } from '../report/model.js';
import { parseReport } from '../report/read.js';
import { FORMATS, type Format } from '../report/render/index.js';
import { EXIT_CLEAN, EXIT_FOUND } from './exit.js';
import type { CliIo } from './io.js';
import { setExitStatus } from './main.js';
import { openOutput } from './sweep.js';

interface RenderFlags {
  format: Format;
  output?: string;
  all?: boolean;
}

export function define(cmd: Command, io: CliIo): void {
  cmd
    .argument('<file>', 'a report saved with --format json or ndjson')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option('--all', 'every sample and skipped item, not only findings (as far as the saved report has them)')
    .action(async (file: string, flags: RenderFlags) => {
      let text: string;
      try {
        text = await readFile(resolve(io.cwd, file), 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new FirebreakError(code === 'ENOENT' ? 'E_INPUT_NOT_FOUND' : 'E_INPUT_UNREADABLE', code === 'ENOENT' ? 'no such file' : String(e), { input: file });
      }
      const report = parseReport(text, file);
      const out = await openOutput(io, flags.output, flags.format, { all: flags.all ?? false });
      for (const r of report.records) await out.write(r);
      await out.end(report.summary);
      setExitStatus(cmd, report.records.some((r) => r.type === 'sample' && hasFindings(r)) ? EXIT_FOUND : EXIT_CLEAN);
    });
}
