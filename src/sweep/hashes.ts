// md5, sha1 and sha256 of a sample: from the one buffer the pipeline read, or streamed for a file too large to hold.

import { createHash, type Hash } from 'node:crypto';
import { closeSync, readSync } from 'node:fs';
import type { Hashes } from '../core/findings.js';

export function hashBytes(bytes: Uint8Array): Hashes {
  // Node's crypto is OpenSSL's assembly; three passes over a buffer in cache beat any interleaving we measured.
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    sha1: createHash('sha1').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Chunk size for streamed hashing: large enough that syscalls do not dominate, small enough to stay in cache. */
const STREAM_CHUNK = 1024 * 1024;

export class StreamHasher {
  private readonly h: [Hash, Hash, Hash] = [createHash('md5'), createHash('sha1'), createHash('sha256')];
  bytes = 0;
  update(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    for (const h of this.h) h.update(chunk);
  }
  digest(): Hashes {
    return { md5: this.h[0].digest('hex'), sha1: this.h[1].digest('hex'), sha256: this.h[2].digest('hex') };
  }
}

/** Hashes an open file from its start to EOF without holding it in memory, then closes it. */
export function hashFd(fd: number): { hashes: Hashes; size: number } {
  const hasher = new StreamHasher();
  const buf = Buffer.allocUnsafe(STREAM_CHUNK);
  try {
    // Ends at EOF; a file growing as fast as we read is bounded by the pool's per-file time budget.
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      hasher.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return { hashes: hasher.digest(), size: hasher.bytes };
}
