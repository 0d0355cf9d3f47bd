// Reads one file for the pipeline, once: whole into memory when it fits --max-size, streamed through the hashes
// when it does not. Opens without following symlinks (unless asked) and without blocking on a FIFO swapped in
// since the walk looked.

import { close, closeSync, constants, fstat, fstatSync, open, openSync, read, readSync, type BigIntStats } from 'node:fs';
import type { ErrorInfo, Hashes, SkipInfo } from '../core/findings.js';
import { StreamHasher } from './hashes.js';
import { RACY_WINDOW_NS } from './limits.js';
import { skipReasonForErrno, stampOf } from './sources/fs-walk.js';
import type { Stamp } from './sources/types.js';
import type { FsPath } from './display.js';

export type ReadResult =
  | { kind: 'bytes'; bytes: Buffer; stamp?: Stamp }
  | { kind: 'too-large'; size: number; hashes: Hashes; stamp?: Stamp }
  | { kind: 'unread'; skipped: SkipInfo | null; errors: ErrorInfo[] };

/** Files up to this size are read into a buffer the worker keeps and reuses; larger ones get their own. */
export const REUSABLE_BUFFER_MAX = 16 * 1024 * 1024;
const STREAM_CHUNK = 1024 * 1024;

/** A growable buffer reused from file to file, so reading does not fault in fresh pages for every file. */
export class ReadBuffer {
  private buf = Buffer.allocUnsafe(0);
  take(size: number): Buffer {
    if (size > REUSABLE_BUFFER_MAX) return Buffer.allocUnsafe(size);
    if (this.buf.length < size) this.buf = Buffer.allocUnsafe(Math.min(REUSABLE_BUFFER_MAX, Math.max(size, this.buf.length * 2, 64 * 1024)));
    return this.buf;
  }
}

function unread(e: unknown): ReadResult {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ELOOP') return { kind: 'unread', skipped: { reason: 'symlink', detail: 'became a symlink' }, errors: [] };
  if (code === 'EISDIR') return { kind: 'unread', skipped: { reason: 'not-regular', detail: 'became a folder' }, errors: [] };
  const reason = skipReasonForErrno(code);
  if (reason) return { kind: 'unread', skipped: { reason, ...(code ? { detail: code } : {}) }, errors: [] };
  return { kind: 'unread', skipped: null, errors: [{ code: 'E_INPUT_UNREADABLE', message: e instanceof Error ? e.message : String(e) }] };
}

/**
 * The stamp to remember, or undefined when the file changed while it was read, or changed so recently that a
 * further change could keep the same timestamps.
 */
function trustedStamp(before: BigIntStats, after: BigIntStats, readStartNs: bigint): Stamp | undefined {
  if (before.size !== after.size || before.mtimeNs !== after.mtimeNs || before.ctimeNs !== after.ctimeNs) return undefined;
  const newest = after.mtimeNs > after.ctimeNs ? after.mtimeNs : after.ctimeNs;
  if (newest > readStartNs - RACY_WINDOW_NS) return undefined;
  return stampOf(after);
}

/**
 * The file calls a read needs. Large files go through libuv's pool (asyncIo), so the next file is read while the
 * worker scans the current one; small files are read with plain system calls (syncIo), which for a file of a few
 * KiB costs a fraction of five round trips through the pool. (fs/promises' FileHandle is avoided: it costs a
 * tracked object per file.)
 */
export interface FileIo {
  open(path: FsPath, flags: number): number | Promise<number>;
  stat(fd: number): BigIntStats | Promise<BigIntStats>;
  read(fd: number, into: Buffer, at: number, length: number, position: number): number | Promise<number>;
  close(fd: number): void;
}

export const asyncIo: FileIo = {
  open: (path, flags) => new Promise((ok, fail) => open(path, flags, (e, fd) => (e ? fail(e) : ok(fd)))),
  stat: (fd) => new Promise((ok, fail) => fstat(fd, { bigint: true }, (e, st) => (e ? fail(e) : ok(st)))),
  read: (fd, into, at, length, position) => new Promise((ok, fail) => read(fd, into, at, length, position, (e, n) => (e ? fail(e) : ok(n)))),
  close: (fd) => close(fd, () => undefined),
};

export const syncIo: FileIo = {
  open: (path, flags) => openSync(path, flags),
  stat: (fd) => fstatSync(fd, { bigint: true }),
  read: (fd, into, at, length, position) => readSync(fd, into, at, length, position),
  close: (fd) => closeSync(fd),
};

/** Files up to this size (as the walk saw them) are read with syncIo. */
export const SYNC_READ_MAX = 256 * 1024;

async function readAll(io: FileIo, fd: number, into: Buffer, size: number): Promise<number> {
  let at = 0;
  // Ends at `size` or at EOF (a file that shrank since fstat).
  while (at < size) {
    const n = await io.read(fd, into, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at;
}

/** Reads a regular file: bytes (a view of `buffer`'s memory, valid until the next read into it) or hashes only. */
export async function readFileOnce(path: FsPath, follow: boolean, maxSize: number, buffer: ReadBuffer, io: FileIo = asyncIo): Promise<ReadResult> {
  const readStartNs = BigInt(Date.now()) * 1_000_000n;
  let fd: number;
  try {
    fd = await io.open(path, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW));
  } catch (e) {
    return unread(e);
  }
  try {
    const before = await io.stat(fd);
    if (!before.isFile()) return { kind: 'unread', skipped: { reason: 'not-regular', detail: 'no longer a regular file' }, errors: [] };
    const size = Number(before.size);
    if (size > maxSize) {
      const hasher = new StreamHasher();
      const chunk = Buffer.allocUnsafe(STREAM_CHUNK);
      // Ends at EOF; a file that keeps growing is stopped by the pool's per-file time budget.
      for (let pos = 0; ; ) {
        const n = await io.read(fd, chunk, 0, chunk.length, pos);
        if (n === 0) break;
        hasher.update(chunk.subarray(0, n));
        pos += n;
      }
      const after = await io.stat(fd);
      const stamp = trustedStamp(before, after, readStartNs);
      return { kind: 'too-large', size: hasher.bytes, hashes: hasher.digest(), ...(stamp ? { stamp } : {}) };
    }
    const into = buffer.take(size);
    const got = await readAll(io, fd, into, size);
    const after = await io.stat(fd);
    const stamp = got === size ? trustedStamp(before, after, readStartNs) : undefined;
    return { kind: 'bytes', bytes: into.subarray(0, got), ...(stamp ? { stamp } : {}) };
  } catch (e) {
    return unread(e);
  } finally {
    io.close(fd);
  }
}
