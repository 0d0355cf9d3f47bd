// Reads a FIFO or device the user named on the command line: as a stream, never seeked, within a time budget and
// --max-size, and without ever blocking the process on an open() that waits for a writer.

import { close, constants, openSync, read } from 'node:fs';
import type { ErrorInfo, SkipInfo } from '../core/findings.js';
import type { FsPath } from './display.js';
import { SPECIAL_FILE_TIME_BUDGET_MS } from './limits.js';
import { skipReasonForErrno } from './sources/fs-walk.js';
import type { SpecialKind } from './sources/types.js';

export type SpecialRead = { kind: 'bytes'; bytes: Buffer } | { kind: 'unread'; skipped: SkipInfo | null; errors: ErrorInfo[] };

const CHUNK = 1024 * 1024;

function unread(e: unknown): SpecialRead {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENXIO') return { kind: 'unread', skipped: { reason: 'not-regular', detail: 'a socket cannot be read as a file' }, errors: [] };
  const reason = skipReasonForErrno(code);
  if (reason) return { kind: 'unread', skipped: { reason, ...(code ? { detail: code } : {}) }, errors: [] };
  return { kind: 'unread', skipped: null, errors: [{ code: 'E_INPUT_UNREADABLE', message: e instanceof Error ? e.message : String(e) }] };
}

const tooLong = (maxSize: number): SpecialRead => ({
  kind: 'unread',
  skipped: { reason: 'too-large', detail: `stream longer than --max-size ${maxSize}; a stream cannot be hashed without keeping it` },
  errors: [],
});

const timedOut = (ms: number): SpecialRead => ({ kind: 'unread', skipped: { reason: 'timeout', detail: `no end of data within ${ms} ms` }, errors: [] });

function readAt(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));
}

export async function readSpecial(path: FsPath, kind: SpecialKind, maxSize: number, budgetMs = SPECIAL_FILE_TIME_BUDGET_MS): Promise<SpecialRead> {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return unread(e);
  }
  // The socket takes the descriptor over and closes it.
  if (kind === 'fifo' || kind === 'socket') return readPipe(fd, maxSize, budgetMs);
  const deadline = Date.now() + budgetMs;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    // Ends at EOF, at --max-size, or at the deadline.
    for (;;) {
      if (Date.now() > deadline) return timedOut(budgetMs);
      const buf = Buffer.allocUnsafe(CHUNK);
      let n: number;
      try {
        n = await readAt(fd, buf);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break; // a terminal with nothing typed: take what there is
        throw e;
      }
      if (n === 0) break;
      total += n;
      if (total > maxSize) return tooLong(maxSize);
      chunks.push(buf.subarray(0, n));
    }
    return { kind: 'bytes', bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    return unread(e);
  } finally {
    close(fd, () => undefined);
  }
}

/** A non-blocking pipe read through libuv, so waiting for data never holds a thread. */
async function readPipe(fd: number, maxSize: number, budgetMs: number): Promise<SpecialRead> {
  const { Socket } = await import('node:net');
  return new Promise((resolve) => {
    const socket = new Socket({ fd, readable: true, writable: false });
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (r: SpecialRead): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish(timedOut(budgetMs)), budgetMs);
    socket.on('data', (c: Buffer) => {
      total += c.length;
      if (total > maxSize) finish(tooLong(maxSize));
      else chunks.push(c);
    });
    socket.on('end', () => finish({ kind: 'bytes', bytes: Buffer.concat(chunks, total) }));
    socket.on('error', (e) => finish(unread(e)));
  });
}
