// `firebreak media IMAGE`: partitions, the full tree (deleted and hidden entries marked) and the anomalies of FAT/exFAT media.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FirebreakError } from '../core/errors.js';
import { analyseImage } from '../formats/fat/analyse.js';
import { openImageFile } from '../sweep/sources/image-file.js';
import { EXIT_CLEAN, EXIT_FOUND } from './exit.js';
import type { CliIo } from './io.js';
import { writeOut } from './io.js';
import { setExitStatus } from './main.js';
import { renderMediaText } from './media-text.js';

interface MediaOptions {
  format: string;
  extract?: string;
  unallocated: boolean;
  slack: boolean;
}

const FOUND = new Set(['medium', 'high']);

export function define(cmd: Command, io: CliIo): void {
  cmd
    .argument('<image>', 'disk image, partition image or block device holding FAT12/16/32 or exFAT')
    .option('--format <format>', 'text or json', 'text')
    .option('--extract <dir>', 'write every file (live and recoverable deleted) under this new or empty folder')
    .option('--unallocated', 'also read all free clusters to find data there', false)
    .option('--no-slack', 'do not read the last cluster of each file to look for data in its slack')
    .action(async (image: string, opts: MediaOptions) => {
      if (opts.format !== 'text' && opts.format !== 'json') {
        throw new FirebreakError('E_USAGE', `unknown --format '${opts.format}' (text or json)`, { input: image });
      }
      const src = openImageFile(resolve(io.cwd, image), { display: image });
      try {
        const json = opts.format === 'json';
        const { report, volumes } = analyseImage(src, image, { checkSlack: opts.slack, scanUnallocated: opts.unallocated, listing: json });
        if (!volumes.some((v) => v.image.volume)) {
          const why = report.volumes.flatMap((v) => v.anomalies.map((a) => a.message))[0] ?? 'no FAT or exFAT volume found';
          throw new FirebreakError('E_INPUT_MALFORMED', `no FAT or exFAT volume: ${why}`, { input: image });
        }
        // Loaded only when asked: listing an image never pays for the extractor (and its hashing).
        const extracted = opts.extract ? (await import('./media-extract.js')).extractVolumes(volumes, resolve(io.cwd, opts.extract)) : undefined;
        if (json) await writeOut(io.stdout, `${JSON.stringify(extracted ? { ...report, extracted } : report)}\n`);
        else for (const chunk of renderMediaText(report, volumes, extracted)) await writeOut(io.stdout, chunk);
        const found = report.partitionAnomalies.some((a) => FOUND.has(a.severity)) || report.volumes.some((v) => v.anomalies.some((a) => FOUND.has(a.severity)));
        setExitStatus(cmd, found ? EXIT_FOUND : EXIT_CLEAN);
      } finally {
        src.close();
      }
    });
}
