// Runs the Debian reference tools (tlsh 3.4, ssdeep 2.14) on files and parses their output, for differential tests.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { wineCorpusFiles } from '../helpers/corpus.js';

/** Every `step`-th corpus file, so a differential test covers the whole size range without hashing 640 MiB. */
export function corpusSample(step: number): string[] {
  return wineCorpusFiles().filter((_, i) => i % step === 0);
}

/** A fresh temporary folder holding symlinks to `files` under their base names. */
export function linkFolder(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-sim-'));
  for (const f of files) symlinkSync(f, join(dir, basename(f)));
  return dir;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `tlsh -f FILE`: the digest, or null when the tool says it cannot hash or the file is too small. */
export function refTlsh(file: string): string | null {
  const out = run('tlsh', ['-f', file]).trim();
  const m = /^([0-9A-F]{70})\t/.exec(out);
  return m ? m[1]! : null;
}

/** `tlsh -l LIST -xref [-xlen]` over (name, digest) pairs: distance by "a\tb". */
export function refTlshXref(entries: [string, string][], lengthDiff: boolean): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'fb-tlsh-'));
  const list = join(dir, 'list.txt');
  writeFileSync(list, entries.map(([name, d]) => `${d}\t${name}\n`).join(''));
  const out = run('tlsh', ['-l', list, '-xref', ...(lengthDiff ? [] : ['-xlen'])]);
  const result = new Map<string, number>();
  for (const line of out.split('\n')) {
    const parts = line.split('\t');
    if (parts.length === 3) result.set(`${parts[0]}\t${parts[1]}`, Number(parts[2]));
  }
  return result;
}

/** `ssdeep -b FILES`: signature by base name. */
export function refSsdeep(files: string[]): Map<string, string> {
  const out = run('ssdeep', ['-s', '-b', ...files]);
  const result = new Map<string, string>();
  for (const line of out.split('\n').slice(1)) {
    const m = /^(.*),"(.*)"$/.exec(line);
    if (m) result.set(m[2]!, m[1]!);
  }
  return result;
}

/** `ssdeep -a -x SIGFILE` over (name, signature) pairs: score by "a\tb" in the order the tool prints. */
export function refSsdeepScores(entries: [string, string][]): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'fb-ssdeep-'));
  const file = join(dir, 'sigs.txt');
  writeFileSync(file, ['ssdeep,1.1--blocksize:hash:hash,filename', ...entries.map(([n, s]) => `${s},"${n}"`)].join('\n') + '\n');
  const out = run('ssdeep', ['-s', '-a', '-x', file]);
  const result = new Map<string, number>();
  const prefix = `${file}:`;
  for (const line of out.split('\n')) {
    const m = /^(.*) matches (.*) \((\d+)\)$/.exec(line);
    if (m && m[1]!.startsWith(prefix) && m[2]!.startsWith(prefix)) {
      result.set(`${m[1]!.slice(prefix.length)}\t${m[2]!.slice(prefix.length)}`, Number(m[3]));
    }
  }
  return result;
}

/** Deterministic pseudo-random bytes (xorshift32), so edge-case inputs are the same on every run. */
export function pseudoRandomBytes(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Concatenates files until at least `minBytes`, for a large-input test. */
export function largeInput(files: string[], minBytes: number, read: (f: string) => Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let k = 0; total < minBytes && k < files.length * 100; k++) {
    const b = read(files[k % files.length]!);
    parts.push(b);
    total += b.length;
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
