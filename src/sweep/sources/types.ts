// The source contract: where a sweep's items come from (a file-system walk) and how containers open into members.
//
// Two kinds of source feed the pipeline. A root source walks what the command line names and yields files with
// their stat stamp; the pipeline reads and hashes each once. A container source takes bytes the pipeline already
// holds (a ZIP, later a disk image) and yields the members inside, each with a display suffix appended to the
// container's path (`!inner/path` for archives, `#p1:/DIR/FILE` for a file on a volume in a disk image) and a
// SourceRef. Members are analysed like files, and may be containers themselves, up to MAX_ARCHIVE_DEPTH.

import type { Anomaly } from '../../core/anomaly.js';
import type { ErrorInfo, SkipReason, SourceRef } from '../../core/findings.js';
import type { ByteSource } from '../../formats/partition/byte-source.js';
import type { FsPath } from '../display.js';

/** What identifies a file's state on disk: a file whose stamp has not changed need not be read again. */
export interface Stamp {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** Kinds of non-regular file a walk may meet. */
export type SpecialKind = 'fifo' | 'socket' | 'char-device' | 'block-device';

/** What a root source yields. */
export type WalkEvent =
  | {
      kind: 'file';
      /** Opens the file (raw bytes when its name is not UTF-8). */
      path: FsPath;
      /** What reports show. */
      display: string;
      size: number;
      stamp: Stamp;
      /** Open it following symlinks: it was named on the command line, or reached through a followed link. */
      follow?: boolean;
      /**
       * Set for a FIFO, socket or device the user named on the command line: it is read as a stream, never
       * seeked, within SPECIAL_FILE_TIME_BUDGET_MS. Found by the walk, such files are skipped unopened.
       */
      special?: SpecialKind;
    }
  | { kind: 'skip'; display: string; reason: SkipReason; detail?: string }
  | { kind: 'error'; display: string; error: ErrorInfo };

export interface RootSource {
  /** Every item under the roots, in a stable order (names sorted bytewise within a folder). */
  walk(): AsyncIterable<WalkEvent>;
}

/** A container's bytes, as the pipeline holds them. */
export interface ContainerInput {
  /** The container's display path, for messages. */
  display: string;
  bytes: Uint8Array;
  /** Nesting depth of the members it yields: 1 for members of a file on disk. */
  depth: number;
}

/**
 * What opening containers may still take out, shared by every nested container of one file on disk, so a bomb
 * cannot multiply its budget by nesting.
 */
export interface ExtractionBudget {
  bytesLeft: number;
  entriesLeft: number;
}

/**
 * A member's SourceRef without the container's own path, which the report fills in (`container` of an
 * archive member, `image` of an image file): a cached analysis then replays under any path.
 */
export type DetachedSource = SourceRef;

/** What a container source yields. Malformed bytes never throw: they end the listing with a `failure`. */
export type ContainerEntry =
  | {
      kind: 'member';
      /** Appended to the container's display path: `!inner/path`, `#p1:/DIR/FILE`. */
      suffix: string;
      source: DetachedSource;
      bytes: Uint8Array;
      /** Structural anomalies of the container seen while reading this member (a FAT chain that loops...). */
      anomalies?: Anomaly[];
      /** Problems that did not stop the member being read (a CRC mismatch). */
      errors?: ErrorInfo[];
    }
  | { kind: 'skip'; suffix: string; source: DetachedSource; reason: SkipReason; detail?: string }
  | { kind: 'error'; suffix: string; source: DetachedSource; error: ErrorInfo }
  /** About the container as a whole: it could not be (fully) read. Ends the listing. */
  | { kind: 'failure'; reason: SkipReason; detail: string }
  /** Anomalies of the container as a whole (a FAT volume's), reported on the container's own sample. */
  | { kind: 'anomalies'; anomalies: Anomaly[] };

/** A container read in place through random access rather than held as bytes: a disk image on disk. */
export interface ContainerSourceInput {
  /** The container's display path, for messages. */
  display: string;
  source: ByteSource;
  /** Nesting depth of the members it yields: 1 for members of a file on disk. */
  depth: number;
}

export interface ContainerSource {
  /** Short name for diagnostics: `zip`, `fat-image`. */
  readonly name: string;
  /** True when `bytes` are this kind of container. Looks at magic numbers, not at names alone. */
  sniff(bytes: Uint8Array, display: string): boolean;
  /** The members, in a stable order. */
  open(input: ContainerInput, budget: ExtractionBudget): AsyncIterable<ContainerEntry>;
  /**
   * Optional, for containers too large to hold (a disk image over --max-size, or over memory): the same two calls
   * over a random-access source. The worker uses them for a file too large to read whole; the file's own bytes are
   * then hashed but not scanned, while its members go through the pipeline like any others.
   */
  sniffSource?(source: ByteSource, display: string): boolean;
  openSource?(input: ContainerSourceInput, budget: ExtractionBudget): AsyncIterable<ContainerEntry>;
}
