// `firebreak hive FILE`: prints an offline registry hive's keys and values (text or JSON), and its anomalies.

import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Anomaly } from '../core/anomaly.js';
import { FirebreakError } from '../core/errors.js';
import {
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_QWORD,
  REG_SZ,
  openHiveListing,
  type HiveSummary,
  type ListedKey,
  type ListedValue,
} from '../formats/regf/index.js';
import { EXIT_CLEAN } from './exit.js';
import { writeOut, type CliIo } from './io.js';
import { setExitStatus } from './main.js';

/** Windows refuses hives over 2 GiB, so a larger file is not one. */
const MAX_HIVE_FILE_BYTES = 2 * 1024 * 1024 * 1024;
/** Hex bytes of binary data shown per value in text output (JSON carries all of it). */
const TEXT_HEX_BYTES = 256;
/** Output is flushed in chunks of about this many characters. */
const FLUSH_CHARS = 1 << 16;

interface HiveOptions {
  key?: string;
  format: string;
  recursive?: boolean;
  mount?: string;
}

export function define(cmd: Command, io: CliIo): void {
  cmd
    .argument('<file>', 'registry hive file (SYSTEM, SOFTWARE, SAM, SECURITY, DEFAULT, NTUSER.DAT, USRCLASS.DAT...)')
    .option('--key <path>', 'key to print: a full path (HKLM\\SYSTEM\\CurrentControlSet\\...) or one relative to the hive')
    .option('--format <format>', 'output format: text or json', 'text')
    .option('--recursive', 'print every key below the key as well')
    .option('--mount <path>', "mount point to show paths under, instead of the one the hive's kind implies")
    .action(async (file: string, opts: HiveOptions) => {
      if (opts.format !== 'text' && opts.format !== 'json') {
        throw new FirebreakError('E_USAGE', `unknown format '${opts.format}' (text or json)`);
      }
      const bytes = await readHive(resolve(io.cwd, file), file);
      const listing = openHiveListing(bytes, {
        path: file,
        ...(opts.key === undefined ? {} : { key: opts.key }),
        ...(opts.mount === undefined ? {} : { mountPoint: opts.mount }),
        recursive: opts.recursive === true,
      });
      const out = new Chunked(io);
      if (opts.format === 'json') {
        out.add(`{"file":${JSON.stringify(file)},"hive":${JSON.stringify(listing.summary)},"keys":[`);
        let first = true;
        for (const key of listing.keys()) {
          out.add(`${first ? '' : ','}\n${JSON.stringify(key)}`);
          first = false;
          await out.maybeFlush();
        }
        const a = listing.anomalies();
        out.add(`\n],"anomalies":${JSON.stringify(a.items)},"anomaliesDropped":${a.dropped}}\n`);
      } else {
        out.add(summaryText(file, listing.summary));
        for (const key of listing.keys()) {
          out.add(keyText(key));
          await out.maybeFlush();
        }
        out.add(anomaliesText(listing.anomalies().items, listing.anomalies().dropped));
      }
      await out.flush();
      setExitStatus(cmd, EXIT_CLEAN);
    });
}

async function readHive(path: string, shown: string): Promise<Uint8Array> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new FirebreakError('E_INPUT_UNREADABLE', 'not a regular file', { input: shown });
    size = st.size;
  } catch (e) {
    if (e instanceof FirebreakError) throw e;
    throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such file', { input: shown, cause: e });
  }
  if (size > MAX_HIVE_FILE_BYTES) {
    throw new FirebreakError('E_INPUT_TOO_LARGE', `${size} bytes is larger than any registry hive (2 GiB)`, { input: shown });
  }
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new FirebreakError('E_INPUT_UNREADABLE', e instanceof Error ? e.message : String(e), { input: shown, cause: e });
  }
}

class Chunked {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly io: CliIo) {}
  add(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }
  async maybeFlush(): Promise<void> {
    if (this.size >= FLUSH_CHARS) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await writeOut(this.io.stdout, text);
  }
}

function summaryText(file: string, s: HiveSummary): string {
  const facts = [
    `regf ${s.version}`,
    `sequence ${s.sequence[0]}/${s.sequence[1]}${s.dirty ? ' (dirty: transaction logs not applied)' : ''}`,
    `checksum ${s.checksumValid ? 'ok' : 'BAD'}`,
  ];
  if (s.lastWritten !== null) facts.push(`written ${s.lastWritten}`);
  const lines = [`# ${escapeControls(file)}: ${s.kind} hive mounted at ${escapeControls(s.mountPoint)} (${facts.join(', ')})`];
  if (s.currentControlSet !== undefined) lines.push(`# CurrentControlSet is ${s.currentControlSet}`);
  if (s.fileName !== '') lines.push(`# saved as ${quote(s.fileName)}`);
  return `${lines.join('\n')}\n`;
}

function keyText(k: ListedKey): string {
  const lines = [``, `[${escapeControls(k.path)}]${k.lastWritten === null ? '' : `  ${k.lastWritten}`}`];
  if (k.className !== null) lines.push(`  class ${quote(k.className)}`);
  for (const v of k.values) lines.push(`  ${v.name === '' ? '@' : quote(v.name)} ${v.typeName} ${dataText(v)}`);
  if (k.subkeys !== undefined) {
    lines.push(`  ${k.subkeys.length} subkey${k.subkeys.length === 1 ? '' : 's'}${k.subkeys.length > 0 ? ':' : ''}`);
    for (const s of k.subkeys) lines.push(`    ${quote(s.name)}${s.lastWritten === null ? '' : `  ${s.lastWritten}`}`);
  }
  return `${lines.join('\n')}\n`;
}

function dataText(v: ListedValue): string {
  const cut = v.truncated ? ` (cut, ${v.size} bytes)` : '';
  switch (v.type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_LINK:
      return quote(v.data) + cut;
    case REG_MULTI_SZ:
      return `[${v.data === '' ? '' : v.data.split('\n').map(quote).join(', ')}]${cut}`;
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN:
    case REG_QWORD:
      if (/^\d+$/.test(v.data)) {
        const width = v.type === REG_QWORD ? 16 : 8;
        return `0x${BigInt(v.data).toString(16).padStart(width, '0')} (${v.data})`;
      }
      return `hex:${spacedHex(v.data)} (size does not fit the type)`;
    default:
      return `hex:${spacedHex(v.data)}${cut}`;
  }
}

function spacedHex(hex: string): string {
  const n = hex.length / 2;
  const shown = Math.min(n, TEXT_HEX_BYTES);
  const pairs: string[] = [];
  for (let i = 0; i < shown; i++) pairs.push(hex.slice(2 * i, 2 * i + 2));
  return pairs.join(' ') + (n > shown ? ` ... (${n} bytes)` : '');
}

/** Control characters as escapes, so a hostile name cannot drive the terminal or break a line. */
function escapeControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\0') return '\\0';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Double-quoted, quotes and control characters escaped; backslashes stay as they are, as paths read best. */
function quote(s: string): string {
  return `"${escapeControls(s.replace(/"/g, '\\"'))}"`;
}

function anomaliesText(items: readonly Anomaly[], dropped: number): string {
  if (items.length === 0) return '';
  const lines = ['', `# anomalies (${items.length + dropped})`];
  for (const a of items) {
    lines.push(`  ${a.code} ${a.severity}${a.offset === undefined ? '' : ` @0x${a.offset.toString(16)}`}: ${escapeControls(a.message)}`);
  }
  if (dropped > 0) lines.push(`  ... ${dropped} more not kept`);
  return `${lines.join('\n')}\n`;
}
