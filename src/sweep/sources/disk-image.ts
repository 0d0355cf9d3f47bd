// The disk-image container source: a raw disk (MBR or GPT) or a bare FAT12/16/32 or exFAT volume opens into the
// files on its volumes, hidden, deleted-but-recoverable and anomalous ones included, each as `#p1:/DIR/FILE`.
// Works on bytes in memory and, for images over --max-size or memory, in place through a random-access source.

import type { Anomaly } from '../../core/anomaly.js';
import { type AnalysedVolume, analyseImage, forEachInTreeOrder } from '../../formats/fat/analyse.js';
import { looksLikeVolume } from '../../formats/fat/boot.js';
import { escapeName } from '../../formats/fat/checks.js';
import { EntryView, F_DIR, F_DOT } from '../../formats/fat/entry.js';
import { readEntry } from '../../formats/fat/read.js';
import type { VolumeAnomaly } from '../../formats/fat/types.js';
import { type ByteSource, bytesSource, sliceSource } from '../../formats/partition/byte-source.js';
import { readPartitionTable } from '../../formats/partition/index.js';
import type { ContainerEntry, ContainerInput, ContainerSource, ContainerSourceInput, DetachedSource, ExtractionBudget } from './types.js';

/** Smallest image worth looking at: a FAT12 floppy boot sector plus a FAT and a root directory. */
const MIN_IMAGE_BYTES = 4096;

export interface DiskImageOptions {
  /** Members larger than this are skipped for size (the sweep's --max-size). */
  maxMemberSize: number;
}

/** A report anomaly without the reader's extra fields (the path is in the message). */
function plain(a: VolumeAnomaly | Anomaly): Anomaly {
  return a.offset === undefined ? { code: a.code, severity: a.severity, message: a.message } : { code: a.code, severity: a.severity, offset: a.offset, message: a.message };
}

/**
 * True when `src` starts with a FAT or exFAT boot sector carrying its 0x55AA signature, or holds a partition table
 * with such a volume in it. Every sample is asked, so this reads a few sectors and walks nothing.
 */
export function isDiskImage(src: ByteSource): boolean {
  if (src.size < MIN_IMAGE_BYTES) return false;
  const signed = (s: ByteSource): boolean => {
    const b = s.read(510, 2);
    return b[0] === 0x55 && b[1] === 0xaa && looksLikeVolume(s);
  };
  if (signed(src)) return true;
  const b = src.read(510, 2);
  const gptSector1 = src.read(512, 8);
  const gpt = String.fromCharCode(...gptSector1) === 'EFI PART';
  if (!gpt && !(b[0] === 0x55 && b[1] === 0xaa)) return false;
  return readPartitionTable(src).partitions.some((p) => signed(sliceSource(src, p.offset, p.length)));
}

export class DiskImageSource implements ContainerSource {
  readonly name = 'disk-image';

  constructor(private readonly options: DiskImageOptions) {}

  sniff(bytes: Uint8Array): boolean {
    return isDiskImage(bytesSource(bytes));
  }

  sniffSource(source: ByteSource): boolean {
    return isDiskImage(source);
  }

  open(input: ContainerInput, budget: ExtractionBudget): AsyncIterable<ContainerEntry> {
    return this.openSource({ display: input.display, source: bytesSource(input.bytes), depth: input.depth }, budget);
  }

  async *openSource(input: ContainerSourceInput, budget: ExtractionBudget): AsyncGenerator<ContainerEntry> {
    const { report, volumes } = analyseImage(input.source, input.display, { listing: false });
    const anomalies = [...report.partitionAnomalies, ...report.volumes.flatMap((v) => v.anomalies)].map(plain);
    if (anomalies.length > 0) yield { kind: 'anomalies', anomalies };
    if (!volumes.some((v) => v.image.volume)) {
      const why = report.volumes.flatMap((v) => v.anomalies.map((a) => a.message))[0] ?? 'no FAT or exFAT volume found';
      yield { kind: 'failure', reason: 'archive-corrupt', detail: `no FAT or exFAT volume: ${why}` };
      return;
    }
    for (const v of volumes) {
      if (!v.image.volume) continue;
      for (const entry of this.members(v, budget)) {
        if (entry.kind === 'failure') {
          yield entry;
          return;
        }
        yield entry;
      }
    }
  }

  /** The files of one volume in tree order, read one at a time (a member's bytes are held only while it is analysed). */
  private *members(v: AnalysedVolume, budget: ExtractionBudget): Generator<ContainerEntry> {
    const volume = v.image.volume!;
    const t = v.table;
    const label = v.image.label;
    const g = volume.geometry;
    // Anomalies that name an entry travel with that entry's sample too.
    const byPath = new Map<string, Anomaly[]>();
    for (const a of v.report.anomalies) {
      if (a.path === undefined) continue;
      const list = byPath.get(a.path);
      if (list) list.push(plain(a));
      else byPath.set(a.path, [plain(a)]);
    }
    const order: number[] = [];
    forEachInTreeOrder(t, (i) => {
      if (!(t.flags[i]! & (F_DIR | F_DOT))) order.push(i);
    });
    const view = new EntryView(t, 0);
    for (const i of order) {
      view.i = i;
      const path = view.path;
      const suffix = `#${label}:${escapeName(path)}`;
      const first = view.firstCluster;
      const source: DetachedSource = {
        kind: 'image-file',
        image: '',
        partition: label,
        volumeOffset: v.image.offset,
        ...(first >= 2 && first < g.clusterCount + 2 ? { dataOffset: v.image.offset + g.dataOffset + (first - 2) * g.clusterSize } : {}),
        ...(view.deleted ? { deleted: true } : {}),
        ...((view.attributes & 2) !== 0 ? { hidden: true } : {}),
        ...(otherShortName(view.name, view.shortName) ? { shortName: view.shortName } : {}),
      };
      if (budget.entriesLeft <= 0) {
        yield { kind: 'failure', reason: 'archive-bomb', detail: 'too many files in the image (entry cap reached)' };
        return;
      }
      budget.entriesLeft--;
      if (view.deleted && view.recovery !== 'full' && view.recovery !== 'partial') {
        yield { kind: 'skip', suffix, source, reason: 'unreadable', detail: 'deleted, and its clusters are in use again or lost' };
        continue;
      }
      const size = view.size;
      if (size > this.options.maxMemberSize) {
        yield { kind: 'skip', suffix, source, reason: 'too-large', detail: `${size} bytes` };
        continue;
      }
      if (size > budget.bytesLeft) {
        yield { kind: 'skip', suffix, source, reason: 'archive-bomb', detail: 'total size cap reached (files sharing clusters?)' };
        continue;
      }
      budget.bytesLeft -= size;
      const r = readEntry(volume, view, this.options.maxMemberSize);
      const anomalies = byPath.get(path);
      yield {
        kind: 'member',
        suffix,
        source,
        bytes: r.data,
        ...(anomalies ? { anomalies } : {}),
        ...(r.complete
          ? {}
          : { errors: [{ code: 'E_INPUT_MALFORMED', message: `only ${r.data.length} of its ${size} bytes could be read (cluster chain or image cut short)` }] }),
      };
    }
  }
}

/** Whether an 8.3 name says more than the long name does (it is not that name in capitals, nor absent). */
function otherShortName(name: string, shortName: string): boolean {
  return shortName !== '' && shortName !== name.toUpperCase();
}
