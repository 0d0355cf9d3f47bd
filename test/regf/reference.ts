// The Debian reference tools for hives, driven from tests: hivexregedit builds hives and exports them, reglookup lists them.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyHive, type BuildKey, type BuildOptions } from './builder.js';

const hexBytes = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(',');
const regQuote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The tree as a regedit file for `hivexregedit --merge`: every key in pre-order, every value as hex(type). */
export function toRegFile(root: BuildKey, prefix: string): string {
  const out = ['Windows Registry Editor Version 5.00', ''];
  const visit = (k: BuildKey, path: string) => {
    out.push(`[${prefix}${path === '' ? '' : `\\${path}`}]`);
    for (const v of k.values ?? []) {
      out.push(`${v.name === '' ? '@' : regQuote(v.name)}=hex(${v.type.toString(16)}):${hexBytes(v.data)}`);
    }
    out.push('');
    for (const c of k.subkeys ?? []) visit(c, path === '' ? c.name : `${path}\\${c.name}`);
  };
  visit(root, '');
  return `${out.join('\n')}\n`;
}

/** A hive built by libhivex: the builder's empty hive, with the tree merged in by hivexregedit. */
export function hivexBuild(root: BuildKey, prefix: string, options: BuildOptions = {}): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'fb-regf-'));
  try {
    const hive = join(dir, 'hive');
    const reg = join(dir, 'merge.reg');
    writeFileSync(hive, emptyHive(options));
    writeFileSync(reg, toRegFile(root, prefix));
    execFileSync('hivexregedit', ['--merge', '--prefix', prefix, hive, reg], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(hive));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a reference tool on bytes written to a temporary file. */
export function withHiveFile<T>(bytes: Uint8Array, run: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fb-regf-'));
  try {
    const path = join(dir, 'hive');
    writeFileSync(path, bytes);
    return run(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ExportedKey {
  /** Hive-relative path, '' for the root. */
  path: string;
  /** value name -> `type:hex` */
  values: Map<string, string>;
}

function unquoteReg(s: string): [string, string] {
  let out = '';
  let i = 1;
  for (; i < s.length && s[i] !== '"'; i++) {
    if (s[i] === '\\') i++;
    out += s[i];
  }
  return [out, s.slice(i + 1)];
}

/** Parses `hivexregedit --export` output (libhivex's view of every key and value, data as exact bytes). */
export function hivexExport(bytes: Uint8Array): ExportedKey[] {
  const raw = withHiveFile(bytes, (p) =>
    execFileSync('hivexregedit', ['--export', p, '\\'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  // The export prints names in UTF-8, except key paths made of Latin-1 (compressed) names, which come out as raw
  // Latin-1 bytes; each line is read as UTF-8 when it is valid UTF-8 and as Latin-1 otherwise.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && raw[i] !== 0x0a) continue;
    const line = raw.subarray(start, i);
    try {
      lines.push(utf8.decode(line));
    } catch {
      lines.push(line.toString('latin1'));
    }
    start = i + 1;
  }
  const keys: ExportedKey[] = [];
  let cur: ExportedKey | undefined;
  for (const line of lines) {
    if (line.startsWith('[')) {
      cur = { path: line.slice(1, -1).replace(/^\\/, ''), values: new Map() };
      keys.push(cur);
    } else if (cur !== undefined && (line.startsWith('"') || line.startsWith('@='))) {
      const [name, rest] = line.startsWith('@=') ? ['', line.slice(1)] : unquoteReg(line);
      const data = rest.slice(1);
      let typed: string;
      if (data.startsWith('dword:')) {
        const n = parseInt(data.slice(6), 16);
        typed = `4:${[0, 8, 16, 24].map((s) => ((n >>> s) & 0xff).toString(16).padStart(2, '0')).join('')}`;
      } else {
        const m = /^hex\(([0-9a-f]+)\):(.*)$/.exec(data);
        if (m === null) throw new Error(`unexpected hivexregedit export line: ${line}`);
        typed = `${parseInt(m[1]!, 16)}:${m[2]!.replace(/,/g, '')}`;
      }
      cur.values.set(name, typed);
    }
  }
  return keys;
}

export interface ReglookupRow {
  /** '/'-separated, '%XX'-escaped as reglookup prints it. */
  path: string;
  type: string;
  value: string;
  mtime: string;
}

/** `reglookup FILE` rows (without the header), and what it said on stderr. */
export function reglookup(bytes: Uint8Array): { rows: ReglookupRow[]; stderr: string } {
  return withHiveFile(bytes, (p) => {
    const out = execFileSync('reglookup', ['-H', p], { encoding: 'latin1', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    const rows = out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [path, type, value, mtime] = l.split(',');
        return { path: path!, type: type!, value: value ?? '', mtime: mtime ?? '' };
      });
    return { rows, stderr: '' };
  });
}

/** Undoes reglookup's `%XX` escapes (as Latin-1 characters). */
export function unescapeReglookup(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
