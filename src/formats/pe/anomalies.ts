// The anomaly list of one PE file: capped per code as well as in total, so a thousand copies of one cheap finding
// (a hostile table repeating the same fault) cannot crowd out the one finding that matters.

import type { Anomaly, Severity } from '../../core/anomaly.js';

/** What parsers report to. */
export interface AnomalySink {
  add(code: string, severity: Severity, message: string, offset?: number): void;
}

/** Anomalies of one code kept per list; later ones are counted in `dropped`. */
export const MAX_ANOMALIES_PER_CODE = 32;

export class PeAnomalies implements AnomalySink {
  readonly items: Anomaly[] = [];
  dropped = 0;
  readonly #perCode = new Map<string, number>();

  constructor(readonly limit: number) {}

  add(code: string, severity: Severity, message: string, offset?: number): void {
    const n = this.#perCode.get(code) ?? 0;
    if (this.items.length >= this.limit || n >= MAX_ANOMALIES_PER_CODE) {
      this.dropped++;
      return;
    }
    this.#perCode.set(code, n + 1);
    this.items.push(offset === undefined ? { code, severity, message } : { code, severity, message, offset });
  }
}
