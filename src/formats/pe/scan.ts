// One pass over a file for everything that needs every byte: the checksum's word sum and the high-entropy decision of
// each section. Fused because these passes, not the structures, dominate parse time: the counting and histogram
// loops of the decisions add the word sum for free, so each byte is read once.

import { aligned, checksumFromWordSum, spanMod, WORD_SUM_MOD, wordView } from './checksum.js';
import { decideRun, type EntropyDecision } from './entropybound.js';

export interface ScanRange {
  start: number;
  end: number;
}

export interface FileScan {
  /** The file's checksum as CheckSumMappedFile computes it, or null when the scan was asked not to sum. */
  checksum: number | null;
  /** One decision per range, in the order given. */
  decisions: EntropyDecision[];
}

/**
 * Decides whether each range's entropy is above `threshold` and, with `checksumOffset` not null, computes the
 * checksum (that field's bytes left out). `ranges` must be sorted by start and must not overlap (callers decide
 * overlapping ranges apart).
 */
export function scanFile(data: Uint8Array, ranges: readonly ScanRange[], threshold: number, checksumOffset: number | null): FileScan {
  const d = aligned(data);
  const u = wordView(d);
  const withSum = checksumOffset !== null;
  const decisions: EntropyDecision[] = [];
  let sum = 0;
  let at = 0;
  for (const r of ranges) {
    const start = Math.max(at, Math.min(r.start, d.length));
    const end = Math.max(start, Math.min(r.end, d.length));
    if (withSum) sum = (sum + spanMod(d, u, at, start)) % WORD_SUM_MOD;
    const dec = decideRun(d, u, start, end, threshold, withSum);
    sum = (sum + dec.sum) % WORD_SUM_MOD;
    decisions.push({ above: dec.above, entropy: dec.entropy });
    at = end;
  }
  if (!withSum) return { checksum: null, decisions };
  sum = (sum + spanMod(d, u, at, d.length)) % WORD_SUM_MOD;
  return { checksum: checksumFromWordSum(d, sum, checksumOffset), decisions };
}
