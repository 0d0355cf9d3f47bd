// Reads a file's content by its entry: the FAT chain for live files, the likely contiguous run for deleted ones.

import type { ByteSource } from '../partition/byte-source.js';
import { MAX_READ_BYTES, MAX_READ_ENTRY_BYTES } from './limits.js';
import type { VolumeEntry } from './types.js';
import type { FatVolume } from './volume.js';

/** A byte range of the volume's source holding part of a file, in file order. */
export interface Extent {
  /** Offset in the volume's source (add the volume's base for the image offset). */
  offset: number;
  length: number;
}

/** Where the file's bytes are, trimmed to its size. Shorter than the size when the chain is. */
export function entryExtents(v: FatVolume, e: VolumeEntry): Extent[] {
  const g = v.geometry;
  const cs = g.clusterSize;
  const chain = e.chain;
  let left = e.isDir && g.kind !== 'exFAT' ? chain.clusters * cs : e.size;
  const out: Extent[] = [];
  for (const r of chain.runs) {
    if (left <= 0) break;
    const length = Math.min(left, r.count * cs);
    out.push({ offset: g.dataOffset + (r.first - 2) * cs, length });
    left -= length;
  }
  return out;
}

export interface ReadResult {
  data: Uint8Array;
  /** False when the chain (or the image) ended before the file's size, or the size was over `maxBytes`. */
  complete: boolean;
}

/** The content of `e` (up to `maxBytes`). Deleted files read from the run they most likely occupied. */
export function readEntry(v: FatVolume, e: VolumeEntry, maxBytes = MAX_READ_ENTRY_BYTES): ReadResult {
  const extents = entryExtents(v, e);
  let total = 0;
  for (const x of extents) total += x.length;
  const want = e.isDir ? total : e.size;
  const data = new Uint8Array(Math.min(total, maxBytes));
  let at = 0;
  let short = false;
  for (const x of extents) {
    for (let done = 0; done < x.length && at < data.length; ) {
      const n = Math.min(MAX_READ_BYTES, x.length - done, data.length - at);
      const got = v.src.read(x.offset + done, n);
      data.set(got, at);
      if (got.length < n) short = true;
      at += n;
      done += n;
    }
  }
  return { data, complete: !short && total >= want && data.length === want };
}

/** Streams the content of `e` chunk by chunk, for callers that hash or scan large files without holding them. */
export function* readEntryChunks(src: ByteSource, extents: Extent[], chunk = MAX_READ_BYTES): Generator<Uint8Array> {
  for (const x of extents) {
    for (let done = 0; done < x.length; done += chunk) {
      const got = src.read(x.offset + done, Math.min(chunk, x.length - done));
      if (got.length === 0) return;
      yield got;
    }
  }
}
