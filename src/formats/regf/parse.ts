// Entry point of the regf parser: `{isRegf:false}` for anything else, otherwise a navigable RegfHive.

import { RegfAnomalies } from './anomalies.js';
import { isRegfMagic, parseBaseBlock } from './base-block.js';
import { scanBins } from './bins.js';
import { BASE_BLOCK_SIZE, type RegfLimits } from './constants.js';
import { RegfHive } from './hive.js';

export interface NotRegf {
  isRegf: false;
  /** One sentence for a person. */
  reason: string;
}

export type RegfParseResult = RegfHive | NotRegf;

/**
 * Parses the base block and maps the hive bins' cells; keys, values and data are read on demand from the returned
 * hive. Never throws on malformed bytes: damage becomes anomalies (see REGF_ANOMALY_CODES).
 */
export interface RegfParseOptions {
  /** Tighter (or looser) limits than DEFAULT_LIMITS for this hive. */
  limits?: Partial<RegfLimits>;
}

export function parseRegf(bytes: Uint8Array, options: RegfParseOptions = {}): RegfParseResult {
  if (!isRegfMagic(bytes)) {
    return { isRegf: false, reason: bytes.length < 4 ? 'too short to be a registry hive' : "no 'regf' signature" };
  }
  const anomalies = new RegfAnomalies();
  let header = bytes;
  if (bytes.length < BASE_BLOCK_SIZE) {
    anomalies.add('REGF_BASE_BLOCK_TRUNCATED', `the file has ${bytes.length} bytes, fewer than its 4096-byte base block`, 0);
    header = new Uint8Array(BASE_BLOCK_SIZE);
    header.set(bytes);
  }
  const base = parseBaseBlock(header, bytes.length, anomalies);
  const cells = scanBins(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), base.hiveBinsSize, anomalies);
  return new RegfHive(bytes, base, cells, anomalies, options.limits);
}
