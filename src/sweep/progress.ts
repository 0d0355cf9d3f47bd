// The live progress line's text: files done of files found, findings, MiB/s and ETA.

import type { SweepProgress } from './tally.js';

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function progressLine(p: SweepProgress): string {
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? p.bytesDone / 1048576 / secs : 0;
  const left = (p.bytesFound - p.bytesDone) / 1048576;
  // The rate of the first second or first hundredth of the bytes (start-up, rule loading) foretells nothing.
  const settled = secs >= 1 && p.bytesDone * 100 >= p.bytesFound;
  const eta = p.walking || !settled ? '?' : rate > 0 ? clock(left / rate) : '?';
  return `${p.done}/${p.found}${p.walking ? '+' : ''} files, ${p.withFindings} with findings, ${rate.toFixed(1)} MiB/s, ETA ${eta}`;
}
