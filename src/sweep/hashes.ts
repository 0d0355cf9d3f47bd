// md5, sha1 and sha256 of a sample: from the one buffer the pipeline read (all three, or lazily only those some
// part of the sweep asks for), or streamed for a file too large to hold.

import * as crypto from 'node:crypto';
import { createHash, type Hash } from 'node:crypto';
import type { Hashes } from '../core/findings.js';

export type HashName = keyof Hashes;
/** The three, in report order. */
export const HASH_NAMES: readonly HashName[] = ['md5', 'sha1', 'sha256'];

/** Some of a sample's hashes: those the sweep computed (see LazyHashes.settle). */
export type PartialHashes = Partial<Hashes>;
/** What the cache keeps of a file's hashes: sha256 (the key of its analyses) and whatever else was computed. */
export type StoredHashes = PartialHashes & { sha256: string };

/** One digest of a whole buffer, as lower-case hex. Injectable so a test can count what is computed. */
export type Hasher = (algorithm: HashName, bytes: Uint8Array) => string;

/** Node's one-shot digest (20.12 and later): no Hash object per digest, a fifth cheaper on small files. */
const oneShot: ((algorithm: string, data: Uint8Array) => string) | undefined =
  typeof (crypto as { hash?: unknown }).hash === 'function' ? (algorithm, data) => crypto.hash(algorithm, data, 'hex') : undefined;

// Node's crypto is OpenSSL's assembly (SHA-NI for sha1/sha256 where the CPU has it). Three whole passes cost the
// same as feeding all three chunk by chunk (measured with two workers; md5 alone is half the time).
export const digest: Hasher = oneShot ?? ((algorithm, bytes) => createHash(algorithm).update(bytes).digest('hex'));

export function hashBytes(bytes: Uint8Array): Hashes {
  return { md5: digest('md5', bytes), sha1: digest('sha1', bytes), sha256: digest('sha256', bytes) };
}

export function isComplete(h: PartialHashes): h is Hashes {
  return h.md5 !== undefined && h.sha1 !== undefined && h.sha256 !== undefined;
}

/**
 * A sample's hashes computed on first use, each once, from the buffer already read: the steps and the cache
 * lookup read what they need, and `settle` adds what the report needs. Getters do not survive structured clone or
 * object spread, so only `settle`'s plain object leaves the worker. The buffer must not be reused before `settle`.
 */
export class LazyHashes implements Hashes {
  private readonly known: PartialHashes;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly hasher: Hasher = digest,
    known: PartialHashes = {},
  ) {
    this.known = { ...known };
  }

  get md5(): string {
    return this.of('md5');
  }

  get sha1(): string {
    return this.of('sha1');
  }

  get sha256(): string {
    return this.of('sha256');
  }

  /** The hashes computed so far plus `names`, as a plain object. */
  settle(names: readonly HashName[]): PartialHashes {
    for (const n of names) this.of(n);
    return { ...this.known };
  }

  private of(name: HashName): string {
    return (this.known[name] ??= this.hasher(name, this.bytes));
  }
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
