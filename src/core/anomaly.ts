// Non-fatal findings a parser reports about malformed or suspicious structure, instead of throwing.

export type Severity = 'info' | 'low' | 'medium' | 'high';

export interface Anomaly {
  /** Stable code, e.g. `PE_EP_OUTSIDE_SECTIONS`, `FAT_DOT_ENTRY`. Never renamed once published. */
  code: string;
  severity: Severity;
  /** Byte offset in the parsed input that the anomaly concerns, when there is one. */
  offset?: number;
  /** A plain explanation for a person. */
  message: string;
}

/** Collects anomalies with a cap, so a hostile input cannot make the list itself a resource problem. */
export class AnomalyList {
  readonly items: Anomaly[] = [];
  dropped = 0;
  constructor(readonly limit = 1000) {}
  add(code: string, severity: Severity, message: string, offset?: number): void {
    if (this.items.length >= this.limit) {
      this.dropped++;
      return;
    }
    this.items.push(offset === undefined ? { code, severity, message } : { code, severity, message, offset });
  }
}
