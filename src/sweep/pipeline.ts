// The per-sample pipeline inside a worker: the content steps in order, then containers opened into members,
// each member going through the same pipeline, nested to MAX_ARCHIVE_DEPTH.

import type { ErrorInfo, IocHit } from '../core/findings.js';
import { isFirebreakError } from '../core/errors.js';
import { emptyAnalysis, type Analysis, type MemberOutcome } from './analysis.js';
import { listedWithoutAll } from '../report/model.js';
import { digest, HASH_NAMES, type Hasher, type HashName, LazyHashes, type PartialHashes } from './hashes.js';
import { altNamesOf } from './iocs.js';
import { MAX_ARCHIVE_DEPTH } from './limits.js';
import type { ByteSource } from '../formats/partition/byte-source.js';
import type { ContainerEntry, ContainerSource, ExtractionBudget } from './sources/types.js';
import type { ContentStep, SampleView } from './steps/types.js';

export function errorInfo(e: unknown, where: string): ErrorInfo {
  if (isFirebreakError(e)) return { code: e.code, message: `${where}: ${e.message}` };
  return { code: 'E_INTERNAL', message: `${where}: ${e instanceof Error ? e.message : String(e)}` };
}

/**
 * Which hashes a sample keeps: `every` for each sample (what the IOC lists and the cache need, or all three when
 * every record is reported), all three for one a report lists (listedWithoutAll). `hasher` computes each digest.
 */
export interface HashPolicy {
  every: readonly HashName[];
  hasher?: Hasher;
}

/** Every hash of every sample: the policy when nothing says fewer will do. */
export const ALL_HASHES: HashPolicy = { every: HASH_NAMES };

export class Pipeline {
  constructor(
    private readonly steps: readonly ContentStep[],
    private readonly containers: readonly ContainerSource[],
    private readonly exclude?: (display: string) => boolean,
    private readonly hashing: HashPolicy = ALL_HASHES,
  ) {}

  /** A sample's hashes, each computed from `bytes` when first read; `known` ones are not computed again. */
  lazyHashes(bytes: Uint8Array, known?: PartialHashes): LazyHashes {
    return new LazyHashes(bytes, this.hashing.hasher ?? digest, known);
  }

  /**
   * The hashes a sample keeps once its steps have run, as a plain object: those computed already, the policy's
   * `every`, and all three when a report will list the sample. Its IOC hits on path and hashes (`otherHits`) are
   * part of its report's findings, so they count; the family verdict follows from its hits, `a.family` and its
   * anomalies (a family file may claim an anomaly code as its artefact, and only the main thread knows: a sample
   * with anomalies, rare outside disk images, keeps all three).
   */
  settleHashes(hashes: LazyHashes, a: Analysis, otherHits: readonly IocHit[]): PartialHashes {
    const listed =
      (a.anomalies?.length ?? 0) > 0 ||
      listedWithoutAll({ yara: a.yara, iocs: [...a.iocs, ...otherHits], family: a.family, skipped: a.skipped, errors: a.errors });
    return hashes.settle(listed ? HASH_NAMES : this.hashing.every);
  }

  async analyse(sample: SampleView, budget: ExtractionBudget): Promise<Analysis> {
    const a = emptyAnalysis();
    for (const step of this.steps) {
      try {
        await step.run(sample, a);
      } catch (e) {
        a.errors.push(errorInfo(e, step.name));
      }
    }
    const container = this.containers.find((c) => c.sniff(sample.bytes, sample.display));
    if (container) {
      const input = { display: sample.display, bytes: sample.bytes, depth: sample.depth + 1 };
      await this.expand(container, sample, a, budget, () => container.open(input, budget));
    }
    return a;
  }

  /** True when some container source can open a sample in place (see ContainerSource.openSource). */
  get opensInPlace(): boolean {
    return this.containers.some((c) => c.openSource && c.sniffSource);
  }

  /**
   * For a sample too large to hold: opens it in place when a container source knows it (a disk image), adding its
   * members to `a`. Returns false when no source claims it.
   */
  async expandInPlace(sample: { display: string; source: ByteSource; depth: number; deadline?: number }, a: Analysis, budget: ExtractionBudget): Promise<boolean> {
    const container = this.containers.find((c) => c.openSource && c.sniffSource?.(sample.source, sample.display));
    if (!container) return false;
    const input = { display: sample.display, source: sample.source, depth: sample.depth + 1 };
    await this.expand(container, sample, a, budget, () => container.openSource!(input, budget));
    return true;
  }

  private async expand(
    container: ContainerSource,
    sample: { display: string; depth: number; deadline?: number },
    a: Analysis,
    budget: ExtractionBudget,
    open: () => AsyncIterable<ContainerEntry>,
  ): Promise<void> {
    if (sample.depth >= MAX_ARCHIVE_DEPTH) {
      a.skipped = { reason: 'archive-depth', detail: `${container.name} nested deeper than ${MAX_ARCHIVE_DEPTH} levels, not opened` };
      return;
    }
    const depth = sample.depth + 1;
    const members: MemberOutcome[] = [];
    try {
      for await (const e of open()) {
        if (e.kind === 'failure') {
          a.skipped = { reason: e.reason, detail: e.detail };
        } else if (e.kind === 'anomalies') {
          (a.anomalies ??= []).push(...e.anomalies);
        } else if (e.kind === 'skip') {
          members.push({ suffix: e.suffix, source: e.source, skipped: { reason: e.reason, ...(e.detail ? { detail: e.detail } : {}) }, errors: [] });
        } else if (e.kind === 'error') {
          members.push({ suffix: e.suffix, source: e.source, skipped: null, errors: [e.error] });
        } else {
          const display = sample.display + e.suffix;
          if (this.exclude?.(display)) {
            members.push({ suffix: e.suffix, source: e.source, skipped: { reason: 'excluded' }, errors: [] });
            continue;
          }
          const lazy = this.lazyHashes(e.bytes);
          // Members share their file's deadline: the worker's watchdog times the file on disk, not each member.
          const deadline = sample.deadline !== undefined ? { deadline: sample.deadline } : {};
          const altNames = altNamesOf(e.source);
          const view: SampleView = { display, bytes: e.bytes, hashes: lazy, depth, otherHits: [], ...deadline, ...(altNames ? { altNames } : {}) };
          const child = await this.analyse(view, budget);
          if (e.anomalies?.length) (child.anomalies ??= []).push(...e.anomalies);
          if (e.errors?.length) child.errors.push(...e.errors);
          // Settled now, while the member's bytes are held.
          const hashes = this.settleHashes(lazy, child, view.otherHits);
          members.push({ suffix: e.suffix, source: e.source, size: e.bytes.length, hashes, analysis: child });
        }
      }
    } catch (e) {
      // A container source must not throw on bad bytes; if one does, keep what it listed and say so.
      a.errors.push(errorInfo(e, container.name));
    }
    a.members = members;
  }

  dispose(): void {
    for (const s of this.steps) s.dispose?.();
  }
}
