// Candidate "rare" strings of a sample: printable ASCII and UTF-16LE runs, filtered to those that carry meaning.
// Whether a string is rare in a collection is decided later, against the database or the set being clustered.

/** Shorter runs are mostly chance bytes. */
export const MIN_STRING_CHARS = 6;
/** Longer strings are cut; the prefix identifies them well enough. */
export const MAX_STRING_CHARS = 200;
/** Per sample, after de-duplication; a file with more keeps the first ones found. */
export const MAX_STRINGS = 4000;

export interface ByteRange {
  start: number;
  end: number;
}

function isPrintable(b: number): boolean {
  return (b >= 0x20 && b < 0x7f) || b === 0x09;
}

/**
 * Whether a run reads as text rather than as data or instruction bytes: some letters, mostly letters, digits,
 * spaces and punctuation of prose or paths, and not one character repeated.
 */
export function looksMeaningful(s: string): boolean {
  let letters = 0;
  let alnumSpace = 0;
  let distinct = 0;
  const seen = new Uint8Array(128);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0x7f;
    if (!seen[c]) {
      seen[c] = 1;
      distinct++;
    }
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (letter) letters++;
    if (letter || (c >= 0x30 && c <= 0x39) || c === 0x20) alnumSpace++;
  }
  return distinct >= 4 && letters >= 3 && alnumSpace / s.length >= 0.6;
}

/**
 * Printable ASCII and UTF-16LE strings of at least MIN_STRING_CHARS in `ranges` of `data` (the whole buffer when
 * no ranges are given), de-duplicated in order of first appearance, at most MAX_STRINGS.
 */
export function extractStrings(data: Uint8Array, ranges?: ByteRange[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (s: string): boolean => {
    const t = s.length > MAX_STRING_CHARS ? s.slice(0, MAX_STRING_CHARS) : s;
    if (!seen.has(t) && looksMeaningful(t)) {
      seen.add(t);
      out.push(t);
    }
    return out.length < MAX_STRINGS;
  };
  for (const r of ranges ?? [{ start: 0, end: data.length }]) {
    const start = Math.max(0, r.start);
    const end = Math.min(data.length, r.end);
    if (!scanAscii(data, start, end, add) || !scanUtf16(data, start, end, add)) break;
  }
  return out;
}

/** Calls `add` for each ASCII run; false once `add` asks to stop. */
function scanAscii(data: Uint8Array, start: number, end: number, add: (s: string) => boolean): boolean {
  let runStart = -1;
  for (let i = start; i <= end; i++) {
    const printable = i < end && isPrintable(data[i]!);
    if (printable) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0 && i - runStart >= MIN_STRING_CHARS) {
      const len = Math.min(i - runStart, MAX_STRING_CHARS);
      if (!add(String.fromCharCode(...data.subarray(runStart, runStart + len)))) return false;
    }
    runStart = -1;
  }
  return true;
}

/** Calls `add` for each UTF-16LE run of printable ASCII characters, at both byte alignments. */
function scanUtf16(data: Uint8Array, start: number, end: number, add: (s: string) => boolean): boolean {
  for (let align = 0; align < 2; align++) {
    let chars: number[] = [];
    for (let i = start + align; i + 1 <= end; i += 2) {
      const printable = i + 1 < end && data[i + 1] === 0 && isPrintable(data[i]!);
      if (printable && chars.length < MAX_STRING_CHARS) {
        chars.push(data[i]!);
        continue;
      }
      if (chars.length >= MIN_STRING_CHARS && !add(String.fromCharCode(...chars))) return false;
      chars = printable ? [data[i]!] : [];
    }
  }
  return true;
}
