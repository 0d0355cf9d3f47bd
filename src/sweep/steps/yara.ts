// Pipeline step: YARA rules over the sample's bytes, offsets capped per string so one hostile file stays small.

import { basename, extname } from 'node:path';
import type { MetaValue, YaraMatch } from '../../core/findings.js';
import { isFirebreakError } from '../../core/errors.js';
import type { RuleSet } from '../../detect/engine.js';
import type { Analysis } from '../analysis.js';
import { MAX_REPORTED_MATCHES_PER_STRING, scanTimeoutMs } from '../limits.js';
import type { ContentStep, SampleView } from './types.js';

/** The externals Loki and THOR define, which signature-base's rules use. filetype and owner stay empty. */
export const PATH_EXTERNALS = ['filename', 'filepath', 'extension', 'filetype', 'owner'] as const;

export function defaultExternals(): Record<string, MetaValue> {
  return Object.fromEntries(PATH_EXTERNALS.map((k) => [k, '']));
}

/** Whether any rule text mentions a path external: only then are they set per scan (and cached per path). */
export function usesPathExternals(texts: readonly string[]): boolean {
  const re = /\b(filename|filepath|extension)\b/;
  return texts.some((t) => re.test(t));
}

function externalsFor(display: string): Record<string, MetaValue> {
  // For an archive member the name is the member's own: `a.zip!x/y.exe` has filename `y.exe`.
  const inner = display.slice(display.lastIndexOf('!') + 1);
  return { filename: basename(inner), filepath: display, extension: extname(inner).toLowerCase() };
}

export function trimMatches(matches: YaraMatch[]): YaraMatch[] {
  for (const m of matches) for (const s of m.strings) if (s.matches.length > MAX_REPORTED_MATCHES_PER_STRING) s.matches.length = MAX_REPORTED_MATCHES_PER_STRING;
  return matches;
}

export class YaraStep implements ContentStep {
  readonly name = 'yara';

  constructor(
    private readonly rules: RuleSet,
    private readonly pathExternals: boolean,
  ) {}

  run(sample: SampleView, into: Analysis): void {
    const options = { timeoutMs: scanTimeoutMs(sample.bytes.length) };
    try {
      into.yara = trimMatches(this.rules.scan(sample.bytes, this.pathExternals ? externalsFor(sample.display) : undefined, options));
    } catch (e) {
      if (!isFirebreakError(e) || e.code !== 'E_TIMEOUT') throw e;
      // The engine stopped the scan in time for the worker to go on: the sample keeps its hashes and other steps.
      into.skipped = { reason: 'timeout', detail: e.message };
    }
  }

  dispose(): void {
    this.rules.dispose();
  }
}
