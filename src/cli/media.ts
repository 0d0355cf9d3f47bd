// `firebreak media IMAGE`: partitions, the full tree (deleted and hidden entries marked) and the anomalies of FAT/exFAT media.

import type { Command } from 'commander';
import { FirebreakError } from '../core/errors.js';
import { analyseImage, type MediaReport, type MediaVolume } from '../formats/fat/analyse.js';
import { openImageFile } from '../sweep/sources/image-file.js';
import { EXIT_CLEAN, EXIT_FOUND } from './exit.js';
import type { CliIo } from './io.js';
import { writeOut } from './io.js';
import { setExitStatus } from './main.js';
import { extractVolumes, type ExtractedFile } from './media-extract.js';

interface MediaOptions {
  format: string;
  extract?: string;
  unallocated: boolean;
  slack: boolean;
}

const hex = (n: number): string => `0x${n.toString(16)}`;
const esc = (s: string): string => s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

function renderVolume(v: MediaVolume): string[] {
  const lines: string[] = [];
  if (!v.kind) {
    lines.push(`volume ${v.label} @${hex(v.offset)}: ${v.note ?? 'no volume'}`);
  } else {
    lines.push(
      `volume ${v.label} @${hex(v.offset)}: ${v.kind}, ${v.clusterCount} clusters of ${v.clusterSize} bytes, label "${esc(v.volumeLabel ?? '')}", serial ${v.serial}`,
    );
    const s = v.stats!;
    lines.push(`  ${s.files} files, ${s.directories} directories, ${s.deleted} deleted${s.truncated ? ' (walk stopped at a limit)' : ''}`);
    lines.push(`  ${'type'.padEnd(4)} ${'attr'.padEnd(4)} ${'size'.padStart(12)} ${'entry@'.padEnd(12)} path`);
    for (const e of v.entries) {
      const type = `${e.type === 'dir' ? 'd' : 'f'}${e.deleted ? '*' : ' '}`;
      const notes: string[] = [];
      if (e.longName !== undefined && e.shortName && e.shortName.toUpperCase() !== e.longName.toUpperCase()) notes.push(`8.3 ${esc(e.shortName)}`);
      if (e.deleted) notes.push(`deleted, recoverable: ${e.recovery ?? 'none'}`);
      if (e.afterEnd) notes.push('after end marker');
      lines.push(
        `  ${type.padEnd(4)} ${e.attributes} ${String(e.size).padStart(12)} ${hex(e.entryOffset).padEnd(12)} ${esc(e.path)}${notes.length ? `  (${notes.join('; ')})` : ''}`,
      );
    }
    if (v.unallocated) {
      const u = v.unallocated;
      lines.push(`  unallocated: ${u.freeClusters} free clusters, ${u.dataClusters} hold data (${u.dataBytes} bytes)`);
    }
  }
  if (v.anomalies.length > 0) {
    lines.push(`  anomalies (${v.anomalies.length}${v.anomaliesDropped ? ` + ${v.anomaliesDropped} not kept` : ''}):`);
    for (const a of v.anomalies) {
      lines.push(`    ${a.severity.toUpperCase().padEnd(6)} ${a.code} ${a.offset !== undefined ? `@${hex(a.offset)} ` : ''}${esc(a.message)}`);
    }
  }
  return lines;
}

export function renderMediaText(r: MediaReport, extracted?: ExtractedFile[]): string {
  const lines: string[] = [`${esc(r.image)}: ${r.size} bytes, partition table: ${r.scheme}${r.scheme !== 'none' ? `, ${r.partitions.length} partitions` : ''}`];
  for (const p of r.partitions) {
    lines.push(
      `  ${p.label.padEnd(4)} ${p.type.padEnd(10)} ${p.typeName.padEnd(22)} @${hex(p.offset)} ${p.length} bytes${p.name ? ` "${esc(p.name)}"` : ''}`,
    );
  }
  for (const a of r.partitionAnomalies) lines.push(`  ${a.severity.toUpperCase().padEnd(6)} ${a.code} ${a.offset !== undefined ? `@${hex(a.offset)} ` : ''}${a.message}`);
  for (const v of r.volumes) lines.push(...renderVolume(v));
  if (extracted) lines.push(`extracted ${extracted.length} files`);
  return `${lines.join('\n')}\n`;
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
      const src = openImageFile(image);
      try {
        const { report, volumes } = analyseImage(src, image, { checkSlack: opts.slack, scanUnallocated: opts.unallocated });
        if (!volumes.some((v) => v.image.volume)) {
          const why = report.volumes.flatMap((v) => v.anomalies.map((a) => a.message))[0] ?? 'no FAT or exFAT volume found';
          throw new FirebreakError('E_INPUT_MALFORMED', `no FAT or exFAT volume: ${why}`, { input: image });
        }
        const extracted = opts.extract ? extractVolumes(volumes, opts.extract) : undefined;
        const out = opts.format === 'json' ? `${JSON.stringify(extracted ? { ...report, extracted } : report)}\n` : renderMediaText(report, extracted);
        await writeOut(io.stdout, out);
        const found = report.partitionAnomalies.some((a) => FOUND.has(a.severity)) || report.volumes.some((v) => v.anomalies.some((a) => FOUND.has(a.severity)));
        setExitStatus(cmd, found ? EXIT_FOUND : EXIT_CLEAN);
      } finally {
        src.close();
      }
    });
}
