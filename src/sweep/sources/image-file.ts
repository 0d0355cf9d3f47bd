// A ByteSource over an image file or block device, read with positioned reads so images of any size stay on disk.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { FirebreakError } from '../../core/errors.js';
import type { ByteSource } from '../../formats/partition/byte-source.js';

export interface FileByteSource extends ByteSource {
  readonly path: string;
  close(): void;
}

/** Largest size probed for a block device (fstat gives 0 for them): 2^50 bytes. */
const MAX_DEVICE_BYTES = 2 ** 50;

/** Block devices report size 0; find the end by probing single bytes, halving the interval each time. */
function deviceSize(fd: number): number {
  const one = Buffer.alloc(1);
  const has = (at: number): boolean => {
    try {
      return readSync(fd, one, 0, 1, at) === 1;
    } catch {
      return false;
    }
  };
  if (!has(0)) return 0;
  let lo = 0;
  let hi = 1;
  while (hi < MAX_DEVICE_BYTES && has(hi)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (has(mid)) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

export interface OpenImageOptions {
  /** Follow a symlink at `path` (default true); the sweep passes false for files its walk found. */
  follow?: boolean;
  /** The name errors give (default: the path); for paths passed as raw bytes. */
  display?: string;
}

/** Opens an image file or block device for positioned reads. `path` may be raw bytes (names that are not UTF-8). */
export function openImageFile(path: string | Buffer, options: OpenImageOptions = {}): FileByteSource {
  const display = options.display ?? (typeof path === 'string' ? path : path.toString('latin1'));
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (options.follow === false ? constants.O_NOFOLLOW : 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_INPUT_NOT_FOUND' : 'E_INPUT_UNREADABLE';
    throw new FirebreakError(code, code === 'E_INPUT_NOT_FOUND' ? 'no such file' : `cannot open: ${(e as Error).message}`, { input: display, cause: e });
  }
  const st = fstatSync(fd);
  if (st.isDirectory()) {
    closeSync(fd);
    throw new FirebreakError('E_INPUT_UNREADABLE', 'is a directory, not an image', { input: display });
  }
  const size = st.isBlockDevice() ? deviceSize(fd) : st.size;
  let closed = false;
  /** Fills `target[0, n)` from `offset`; stops early only at the end of the file. */
  const fill = (target: Uint8Array, n: number, offset: number): number => {
    let got = 0;
    try {
      while (got < n) {
        const r = readSync(fd, target, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
    } catch (e) {
      throw new FirebreakError('E_INPUT_UNREADABLE', `read failed: ${(e as Error).message}`, { input: display, offset, cause: e });
    }
    return got;
  };
  return {
    path: display,
    size,
    read(offset: number, length: number): Uint8Array {
      if (!(offset >= 0) || !(length > 0) || offset >= size) return new Uint8Array(0);
      const n = Math.min(length, size - offset);
      const buf = Buffer.allocUnsafe(n);
      const got = fill(buf, n, offset);
      return new Uint8Array(buf.buffer, buf.byteOffset, got);
    },
    readInto(target: Uint8Array, offset: number): number {
      if (!(offset >= 0) || offset >= size) return 0;
      return fill(target, Math.min(target.length, size - offset), offset);
    },
    close(): void {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
