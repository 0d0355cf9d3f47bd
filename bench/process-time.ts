// Whole-process timing for the benchmarks: wall and CPU seconds (user + system) from /usr/bin/time, and medians.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessTime {
  wall: number;
  cpu: number;
}

/** Runs `cmd args` to the end (exit 0 or 1: found or not) with its output thrown away, and times it. */
export function timedProcess(label: string, cmd: string, args: string[]): ProcessTime {
  const dir = mkdtempSync(join(tmpdir(), 'fb-time-'));
  const timeFile = join(dir, 'time');
  try {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', timeFile, cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${label} failed (${r.status}): ${r.stderr}`);
    const [wall, user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
    return { wall: wall!, cpu: user! + sys! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
