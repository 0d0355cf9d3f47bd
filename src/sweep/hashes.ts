// md5, sha1 and sha256 of a sample: from the one buffer the pipeline read, or streamed for a file too large to hold.

import { createHash, type Hash } from 'node:crypto';
import type { Hashes } from '../core/findings.js';

export function hashBytes(bytes: Uint8Array): Hashes {
  // Node's crypto is OpenSSL's assembly; three passes over a buffer in cache beat any interleaving we measured.
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    sha1: createHash('sha1').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

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
