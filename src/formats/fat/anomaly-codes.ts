// The stable anomaly codes of the FAT and exFAT reader, with their severities; docs/media.md lists them for people.

import type { Severity } from '../../core/anomaly.js';
import type { VolumeAnomaly } from './types.js';

export const FAT_ANOMALY_CODES = {
  FAT_BOOT_INVALID: 'high',
  FAT_BOOT_SIGNATURE: 'low',
  FAT_BOOT_INCONSISTENT: 'medium',
  FAT_VOLUME_TRUNCATED: 'medium',
  FAT_ROOT_INVALID: 'high',
  FAT_COPIES_DIFFER: 'medium',
  FAT_DOT_NAME: 'high',
  FAT_LFN_ORPHAN: 'medium',
  FAT_LFN_CHECKSUM: 'medium',
  FAT_NAME_MISMATCH: 'medium',
  FAT_ENTRIES_AFTER_END: 'high',
  FAT_HIDDEN_SYSTEM_ROOT: 'medium',
  FAT_NAME_RESERVED: 'medium',
  FAT_NAME_UNOPENABLE: 'medium',
  FAT_SLACK_DATA: 'low',
  FAT_UNALLOCATED_DATA: 'info',
  FAT_LOST_CLUSTERS: 'medium',
  FAT_CLUSTER_OUT_OF_RANGE: 'high',
  FAT_CHAIN_LOOP: 'high',
  FAT_CROSS_LINK: 'high',
  FAT_CHAIN_SHORT: 'medium',
  FAT_CHAIN_LONG: 'medium',
  FAT_CHAIN_BAD: 'low',
  FAT_DIR_LOOP: 'high',
  FAT_LIMIT: 'info',
  FAT_FLAME_DOT_CONTAINER: 'high',
  FAT_GAUSS_THUMBS_DB: 'high',
  FAT_GAUSS_SYSTEM32: 'high',
  FAT_AUTORUN_INF: 'medium',
  FAT_ROOT_LNK: 'medium',
  EXFAT_SET_CHECKSUM: 'medium',
  EXFAT_SET_INCOMPLETE: 'medium',
  EXFAT_ORPHAN_SECONDARY: 'low',
  EXFAT_NAME_HASH: 'medium',
  EXFAT_BITMAP_INVALID: 'high',
  EXFAT_BITMAP_MISMATCH: 'medium',
} as const satisfies Record<string, Severity>;

export type FatAnomalyCode = keyof typeof FAT_ANOMALY_CODES;

/** Collects a volume's anomalies under a cap; severity comes from the code table unless given. */
export class VolumeAnomalies {
  readonly items: VolumeAnomaly[] = [];
  dropped = 0;
  constructor(readonly limit: number) {}
  add(code: FatAnomalyCode, message: string, offset?: number, extra: { path?: string; size?: number; severity?: Severity } = {}): void {
    if (this.items.length >= this.limit) {
      this.dropped++;
      return;
    }
    const a: VolumeAnomaly = { code, severity: extra.severity ?? FAT_ANOMALY_CODES[code], message };
    if (offset !== undefined) a.offset = offset;
    if (extra.path !== undefined) a.path = extra.path;
    if (extra.size !== undefined) a.size = extra.size;
    this.items.push(a);
  }
}
