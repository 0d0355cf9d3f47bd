// The shapes every detector produces and the report document carries; report/schema.ts validates them.

import type { HexAddress } from './address.js';

export interface Hashes {
  md5: string;
  sha1: string;
  sha256: string;
}

export interface SampleInfo extends Hashes {
  /** Display path: a file path, `archive.zip!inner/path`, or `image.img#p1:/DIR/FILE`. */
  path: string;
  size: number;
  tlsh?: string;
  ssdeep?: string;
  imphash?: string;
}

/** Where the bytes came from. */
export type SourceRef =
  | { kind: 'file' }
  | { kind: 'archive-member'; container: string; member: string; depth: number }
  | {
      kind: 'image-file';
      image: string;
      /** Partition label such as `p1`, or `whole` for an unpartitioned volume. */
      partition: string;
      /** Byte offset of the volume in the image. */
      volumeOffset: number;
      /** Byte offset of the file's first cluster in the image, when it has one. */
      dataOffset?: number;
      deleted?: boolean;
      hidden?: boolean;
      /** The entry's 8.3 name, when it is not just the long name in capitals (Flame's "." is HUB001.DAT). */
      shortName?: string;
    }
  | { kind: 'hive-key'; hive: string; key: string };

export type MetaValue = string | number | boolean;

export interface YaraStringMatch {
  /** Identifier with its `$`, e.g. `$mutex`. */
  id: string;
  matches: { offset: number; length: number }[];
}

export interface YaraMatch {
  rule: string;
  namespace: string;
  tags: string[];
  meta: Record<string, MetaValue>;
  strings: YaraStringMatch[];
}

export type IocType =
  | 'sha256'
  | 'sha1'
  | 'md5'
  | 'filename'
  | 'path'
  | 'string'
  | 'domain'
  | 'ip'
  | 'regkey'
  | 'regvalue';

export interface IocHit {
  type: IocType;
  /** The indicator as written in its list. */
  indicator: string;
  /** The list (file) it came from, and its line there. */
  list: string;
  line?: number;
  score: number;
  description?: string;
  /** Why it matched, for a person: "sha256 equals", "UTF-16LE at 0x1234"... */
  why: string;
  offset?: number;
}

export interface AttackRef {
  /** e.g. "T1113" or "T1071.001". */
  id: string;
  tactic?: string;
  technique?: string;
}

export interface MbcRef {
  id: string;
  objective?: string;
  behavior?: string;
}

export interface EvidenceNode {
  /** What this node is: `and`, `or`, `api(CreateFileA)`, `match(...)`... */
  node: string;
  matched: boolean;
  /** Virtual addresses. */
  addresses: HexAddress[];
  /** File offsets, for what has no virtual address (a PE carved from the overlay, a string in it). */
  fileOffsets?: HexAddress[];
  children?: EvidenceNode[];
}

export interface CapabilityMatch {
  rule: string;
  namespace?: string;
  scope: string;
  attack: AttackRef[];
  mbc: MbcRef[];
  /** Virtual addresses. */
  addresses: HexAddress[];
  /** File offsets of file-scope evidence that has no virtual address (an embedded PE in the overlay). */
  fileOffsets?: HexAddress[];
  /** Present when asked for (`--verbose`). */
  evidence?: EvidenceNode[];
  /** Which rule set it came from: `firebreak` or `capa`. */
  ruleSet?: string;
}

export interface FamilyVerdict {
  name: string;
  variant?: string;
  score: number;
  /** A sentence such as "miniFlame 4.x, a plugin of Flame and Gauss". */
  summary: string;
  why: string[];
  relations?: { relation: string; family: string }[];
}

export interface PeSummary {
  machine: string;
  subsystem: string;
  isDll: boolean;
  is64: boolean;
  /** ISO-8601 from the COFF timestamp, or null when it is zero. */
  compileTime: string | null;
  imphash: string | null;
  pdbPath: string | null;
  signer: string | null;
  anomalies: string[];
}

export type SkipReason =
  | 'too-large'
  | 'excluded'
  | 'not-regular'
  | 'symlink'
  | 'symlink-loop'
  | 'unreadable'
  | 'vanished'
  | 'archive-corrupt'
  | 'archive-encrypted'
  | 'archive-bomb'
  | 'archive-depth'
  | 'timeout'
  | 'budget';

export interface SkipInfo {
  reason: SkipReason;
  detail?: string;
}

export interface ErrorInfo {
  code: string;
  message: string;
  offset?: number;
}
