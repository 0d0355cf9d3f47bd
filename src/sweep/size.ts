// Reads sizes as people write them on the command line: 1048576, 512K, 64M, 2G (binary multiples).

import { FirebreakError } from '../core/errors.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Bytes for `text` such as `100`, `512K`, `64M`, `2G`, `1.5GiB`. Throws FirebreakError E_USAGE naming `what`. */
export function parseSize(text: string, what = 'size'): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new FirebreakError('E_USAGE', `${what} '${text}' is not a size (e.g. 1048576, 512K, 64M, 2G)`);
  const bytes = Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
  if (!Number.isSafeInteger(bytes)) throw new FirebreakError('E_USAGE', `${what} '${text}' is too large`);
  return bytes;
}
