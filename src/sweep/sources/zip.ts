// The ZIP container source: lists an archive held in memory and yields its members' bytes, within caps on
// compression ratio, total size and entry count, so a zip bomb costs a bounded amount of work.

import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import type { SkipReason } from '../../core/findings.js';
import { displayName } from '../display.js';
import { MAX_COMPRESSION_RATIO, RATIO_CHECK_MIN_BYTES } from '../limits.js';
import type { ContainerEntry, ContainerInput, ContainerSource, DetachedSource, ExtractionBudget } from './types.js';

type Yauzl = typeof import('yauzl');

let yauzlModule: Promise<Yauzl> | undefined;
/** Loaded on the first archive, so sweeps of plain files never pay for it. */
function yauzl(): Promise<Yauzl> {
  yauzlModule ??= import('yauzl').then((m) => ((m as { default?: Yauzl }).default ?? m) as Yauzl);
  return yauzlModule;
}

const LOCAL_HEADER = 0x04034b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const SPANNED = 0x08074b50;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function openBuffer(y: Yauzl, bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false, so yauzl does not refuse the whole archive over one hostile member name (`../x`,
    // `C:\x`): nothing is written to disk, and such names are exactly what a responder needs to see.
    y.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    );
  });
}

/** The next central-directory entry, or null at the end. */
function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (e: Entry): void => {
      cleanup();
      resolve(e);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** Reads a member's stream into one buffer of exactly `size` bytes (yauzl checks the size as it inflates). */
function readMember(zip: ZipFile, entry: Entry, size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream: Readable) => {
      if (err) return reject(err);
      const out = Buffer.allocUnsafe(size);
      let at = 0;
      stream.on('data', (chunk: Buffer) => {
        if (at + chunk.length > size) {
          stream.destroy(new Error('member longer than its declared size'));
          return;
        }
        chunk.copy(out, at);
        at += chunk.length;
      });
      stream.on('error', reject);
      stream.on('end', () => (at === size ? resolve(out) : reject(new Error('member shorter than its declared size'))));
    });
  });
}

function nameOf(y: Yauzl, e: Entry): string {
  const raw = e.fileName as unknown as Buffer;
  const utf8 = (e.generalPurposeBitFlag & 0x800) !== 0;
  if (utf8) return displayName(raw);
  // Not flagged UTF-8: CP437 as the format says, or the Info-ZIP Unicode path field when there is one.
  return y.getFileNameLowLevel(e.generalPurposeBitFlag, raw, e.extraFields, false);
}

const METHOD_NAMES: Record<number, string> = { 9: 'deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 98: 'PPMd' };

export interface ZipOptions {
  /** Members larger than this are skipped for size (the sweep's --max-size). */
  maxMemberSize: number;
}

export class ZipSource implements ContainerSource {
  readonly name = 'zip';

  constructor(private readonly options: ZipOptions) {}

  sniff(bytes: Uint8Array): boolean {
    if (bytes.length < 22) return false;
    const sig = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
    return sig === LOCAL_HEADER || sig === END_OF_CENTRAL_DIRECTORY || sig === SPANNED;
  }

  async *open(input: ContainerInput, budget: ExtractionBudget): AsyncGenerator<ContainerEntry> {
    const y = await yauzl();
    const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
    let zip: ZipFile;
    try {
      zip = await openBuffer(y, bytes);
    } catch (e) {
      yield failureOf(e);
      return;
    }
    try {
      // Bounded by the archive's entry count and by the shared entry budget.
      for (;;) {
        let entry: Entry | null;
        try {
          entry = await nextEntry(zip);
        } catch (e) {
          yield failureOf(e);
          return;
        }
        if (entry === null) return;
        if (budget.entriesLeft <= 0) {
          yield { kind: 'failure', reason: 'archive-bomb', detail: 'too many archive entries (entry cap reached)' };
          return;
        }
        budget.entriesLeft--;
        const name = nameOf(y, entry);
        if (name.endsWith('/')) continue; // a folder entry holds no bytes
        yield await this.member(zip, entry, name, input.depth, budget);
      }
    } finally {
      zip.close();
    }
  }

  private async member(zip: ZipFile, entry: Entry, name: string, depth: number, budget: ExtractionBudget): Promise<ContainerEntry> {
    const suffix = `!${name}`;
    const source: DetachedSource = { kind: 'archive-member', container: '', member: name, depth };
    const skip = (reason: SkipReason, detail: string): ContainerEntry => ({
      kind: 'skip',
      suffix,
      source,
      reason,
      detail,
    });
    if (entry.isEncrypted()) return skip('archive-encrypted', 'encrypted member');
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      const m = entry.compressionMethod;
      return skip('archive-corrupt', `unsupported compression method ${m}${METHOD_NAMES[m] ? ` (${METHOD_NAMES[m]})` : ''}`);
    }
    const size = entry.uncompressedSize;
    if (size > RATIO_CHECK_MIN_BYTES && size > Math.max(entry.compressedSize, 1) * MAX_COMPRESSION_RATIO) {
      return skip('archive-bomb', `compression ratio over ${MAX_COMPRESSION_RATIO}:1 (${entry.compressedSize} -> ${size} bytes)`);
    }
    if (size > this.options.maxMemberSize) return skip('too-large', `${size} bytes uncompressed`);
    if (size > budget.bytesLeft) return skip('archive-bomb', 'total uncompressed size cap reached');
    budget.bytesLeft -= size;
    let bytes: Buffer;
    try {
      bytes = await readMember(zip, entry, size);
    } catch (e) {
      return skip('archive-corrupt', messageOf(e));
    }
    // A wrong CRC is reported but does not stop the scan: the bytes are what an extractor would write out.
    if (crc32(bytes) !== entry.crc32) {
      return { kind: 'member', suffix, source, bytes, errors: [{ code: 'E_INPUT_MALFORMED', message: 'member CRC-32 does not match the archive' }] };
    }
    return { kind: 'member', suffix, source, bytes };
  }
}

function failureOf(e: unknown): ContainerEntry {
  const message = messageOf(e);
  if (/encrypt/i.test(message)) return { kind: 'failure', reason: 'archive-encrypted', detail: message };
  return { kind: 'failure', reason: 'archive-corrupt', detail: message };
}
