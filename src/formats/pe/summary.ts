// The PE summary a sweep's report carries for every PE file: what it is, when built, its imphash, PDB and signer.

import type { PeSummary } from '../../core/findings.js';
import type { PeFile } from './pe.js';

export function peSummary(pe: PeFile): PeSummary {
  const signer = pe.authenticode?.signer ?? null;
  return {
    machine: pe.coff.machineName,
    subsystem: pe.optional.subsystemName,
    isDll: pe.isDll,
    is64: pe.is64,
    compileTime: pe.coff.timeDateStamp === 0 ? null : new Date(pe.coff.timeDateStamp * 1000).toISOString(),
    imphash: pe.imphash,
    pdbPath: pe.codeView?.pdbPath ?? null,
    signer: signer === null ? null : (signer.subject.commonName ?? signer.subject.text),
    anomalies: [...new Set(pe.anomalies.map((a) => a.code))],
  };
}
