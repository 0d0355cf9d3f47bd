// Pipeline step: a registry hive found by a sweep (magic `regf`) is parsed and matched against the IOC set's
// regkey/regvalue indicators; hits join the sample's IOC hits, the hive's anomalies its anomalies.

import { matchHiveBytes } from '../../detect/ioc/hive-view.js';
import type { IocSet } from '../../detect/ioc/types.js';
import type { Analysis } from '../analysis.js';
import type { ContentStep, SampleView } from './types.js';

export class HiveStep implements ContentStep {
  readonly name = 'hive';

  constructor(private readonly iocs: IocSet) {}

  run(sample: SampleView, into: Analysis): void {
    // Anything without the `regf` signature, and hive transaction logs, are turned away at the first bytes.
    const m = matchHiveBytes(this.iocs, sample.bytes);
    if (!m.isHive) return;
    // Appended, not assigned: the content-IOC step before this one has already filled `iocs`.
    into.iocs.push(...m.hits);
    if (m.anomalies.length > 0) (into.anomalies ??= []).push(...m.anomalies);
  }
}
