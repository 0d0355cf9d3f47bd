// Runs Debian's pefile once over many files (test/pe/pefile_dump.py) and caches its view by the files' and script's hash.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, PROJECT_ROOT } from '../helpers/paths.js';

export const PYTHON = '/usr/bin/python3';
export const DUMP_SCRIPT = join(PROJECT_ROOT, 'test', 'pe', 'pefile_dump.py');

export interface PefileFunction {
  name: string | null;
  ordinal: number | null;
  byOrdinal: boolean;
  iatRva: number | null;
}

export interface PefileDll {
  dll: string;
  functions: PefileFunction[];
}

export interface PefileSection {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  rawSize: number;
  rawPointer: number;
  characteristics: number;
  entropy: number;
  md5: string;
}

/** What pefile_dump.py prints for one file. */
export interface PefileView {
  file: string;
  error?: string;
  /** DOS_HEADER's e_* fields under Firebreak's names (e_res and e_res2 as 16-bit words). */
  dosHeader: Record<string, number | number[]>;
  is64: boolean;
  sections: PefileSection[];
  imports: PefileDll[];
  delayImports: PefileDll[];
  boundImports: { name: string; timeDateStamp: number; forwarders: string[] }[];
  exports: { name: string | null; symbols: { ordinal: number; address: number; name: string | null; forwarder: string | null }[] } | null;
  imphash: string | null;
  imphashError?: string;
  rich: { checksum: number; values: number[]; hash: string } | null;
  version: { stringTables: { lang: string; entries: [string, string][] }[]; fixed: Record<string, number>[] } | null;
  debug: { format: string; pdb: string; guid?: string; age: number }[];
  tlsCallbacks: number[] | null;
  checksum: { stored: number; computed: number };
  overlayOffset: number | null;
  resources: [number | string, number | string, number | string, number, number][] | null;
  loadConfig: { securityCookie: number | null; guardFlags: number | null } | null;
  entryPoint: number;
  imageBase: number;
}

/** pefile's view of each file, in the order given; one python process for all files not cached yet. */
export function pefileViews(files: readonly string[]): Map<string, PefileView> {
  const h = createHash('sha256');
  h.update(readFileSync(DUMP_SCRIPT));
  h.update(readFileSync('/usr/lib/python3/dist-packages/pefile.py'));
  for (const f of files) {
    const st = statSync(f);
    h.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
  }
  const dir = join(CACHE_DIR, 'pefile-views');
  mkdirSync(dir, { recursive: true });
  const cached = join(dir, `${h.digest('hex').slice(0, 24)}.jsonl`);
  if (!existsSync(cached)) {
    const out = execFileSync(PYTHON, [DUMP_SCRIPT], { input: files.join('\n') + '\n', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'inherit'] });
    const tmp = `${cached}.tmp${process.pid}`;
    writeFileSync(tmp, out);
    renameSync(tmp, cached);
  }
  const views = new Map<string, PefileView>();
  for (const line of readFileSync(cached, 'utf8').split('\n')) {
    if (!line) continue;
    const v = JSON.parse(line) as PefileView;
    views.set(v.file, v);
  }
  return views;
}
