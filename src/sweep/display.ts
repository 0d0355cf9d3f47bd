// File names as bytes and as text: raw bytes open the file, an escaped UTF-8 form is what reports show.

/**
 * A path as the file system gives it: a string when its bytes are valid UTF-8, the raw bytes otherwise. Node's
 * fs calls take either, so a name that is not UTF-8 still opens.
 */
export type FsPath = string | Buffer;

const fatal = new TextDecoder('utf-8', { fatal: true });

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  let n: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) [n, min] = [2, 0x80];
  else if (c >= 0xe0 && c <= 0xef) [n, min] = [3, 0x800];
  else if (c >= 0xf0 && c <= 0xf4) [n, min] = [4, 0x10000];
  else return 0;
  if (i + n > b.length) return 0;
  let cp = c & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    const d = b[i + k]!;
    if ((d & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/**
 * The text shown for a name's bytes: the UTF-8 text itself when the bytes are valid UTF-8; otherwise valid
 * sequences as text, every other byte as `\xNN`, and `\` as `\\` so the escaped form reads back unambiguously.
 */
export function displayName(raw: Uint8Array): string {
  try {
    return fatal.decode(raw);
  } catch {
    // fall through to escaping
  }
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const n = sequenceLength(raw, i);
    if (n === 0) {
      out += `\\x${raw[i]!.toString(16).padStart(2, '0')}`;
      i++;
    } else {
      const s = fatal.decode(raw.subarray(i, i + n));
      out += s === '\\' ? '\\\\' : s;
      i += n;
    }
  }
  return out;
}

/** A name read as bytes (readdir with encoding 'buffer'): a string when it is UTF-8, the bytes otherwise. */
export function fsName(raw: Buffer): FsPath {
  try {
    return fatal.decode(raw);
  } catch {
    return raw;
  }
}

/** The display form of any FsPath. */
export function displayPath(p: FsPath): string {
  return typeof p === 'string' ? p : displayName(p);
}

/** `dir/name`, keeping bytes as bytes when either side is not UTF-8. */
export function joinPath(dir: FsPath, name: FsPath): FsPath {
  const sep = (typeof dir === 'string' ? dir.endsWith('/') : dir[dir.length - 1] === 0x2f) ? '' : '/';
  if (typeof dir === 'string' && typeof name === 'string') return `${dir}${sep}${name}`;
  const d = typeof dir === 'string' ? Buffer.from(dir, 'utf8') : dir;
  const n = typeof name === 'string' ? Buffer.from(name, 'utf8') : name;
  return Buffer.concat([d, Buffer.from(sep), n]);
}

/** The raw bytes of an FsPath, as a cache key. */
export function pathBytes(p: FsPath): Buffer {
  return typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
}
