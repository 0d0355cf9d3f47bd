// The regf base block: signature, sequence numbers, version, root cell, hive bins size, file name and checksum.

import type { RegfAnomalies } from './anomalies.js';
import { BASE_BLOCK_SIZE } from './constants.js';
import { decodeUtf16leZ, filetimeToIso } from './text.js';

export interface RegfBaseBlock {
  primarySequence: number;
  secondarySequence: number;
  /** ISO-8601 of the last-written FILETIME, or null when zero (Windows 8.1+ stopped updating it). */
  lastWritten: string | null;
  majorVersion: number;
  minorVersion: number;
  /** 0 for a primary file; 1 and 2 are transaction logs, 6 an alternate file. */
  fileType: number;
  fileFormat: number;
  /** Relative to the first hive bin. */
  rootCellOffset: number;
  hiveBinsSize: number;
  clusteringFactor: number;
  /** The last characters of the path the hive was saved from, e.g. `\SystemRoot\System32\Config\SYSTEM`. */
  fileName: string;
  checksum: number;
  computedChecksum: number;
  checksumValid: boolean;
  /** Sequence numbers differ or the checksum is wrong: Windows would replay the transaction logs first. */
  dirty: boolean;
}

export function isRegfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x72 && bytes[1] === 0x65 && bytes[2] === 0x67 && bytes[3] === 0x66;
}

/** XOR-32 of the first 508 bytes, with 0 and -1 remapped as Windows does. */
export function baseBlockChecksum(dv: DataView): number {
  let sum = 0;
  for (let i = 0; i < 0x1fc; i += 4) sum ^= dv.getUint32(i, true);
  sum >>>= 0;
  if (sum === 0xffffffff) return 0xfffffffe;
  if (sum === 0) return 1;
  return sum;
}

/** Reads the base block from `header` (at least BASE_BLOCK_SIZE bytes) of a file `fileLength` bytes long. */
export function parseBaseBlock(header: Uint8Array, fileLength: number, anomalies: RegfAnomalies): RegfBaseBlock {
  const dv = new DataView(header.buffer, header.byteOffset, BASE_BLOCK_SIZE);
  const u32 = (o: number) => dv.getUint32(o, true);
  const checksum = u32(0x1fc);
  const computedChecksum = baseBlockChecksum(dv);
  const base: RegfBaseBlock = {
    primarySequence: u32(0x04),
    secondarySequence: u32(0x08),
    lastWritten: filetimeToIso(dv.getBigUint64(0x0c, true)),
    majorVersion: u32(0x14),
    minorVersion: u32(0x18),
    fileType: u32(0x1c),
    fileFormat: u32(0x20),
    rootCellOffset: u32(0x24),
    hiveBinsSize: u32(0x28),
    clusteringFactor: u32(0x2c),
    fileName: decodeUtf16leZ(header, 0x30, 64),
    checksum,
    computedChecksum,
    checksumValid: checksum === computedChecksum,
    dirty: false,
  };
  if (!base.checksumValid) {
    anomalies.add(
      'REGF_BAD_CHECKSUM',
      `base block checksum is 0x${checksum.toString(16)}, its contents give 0x${computedChecksum.toString(16)}`,
      0x1fc,
    );
  }
  if (base.primarySequence !== base.secondarySequence) {
    anomalies.add(
      'REGF_DIRTY',
      `sequence numbers ${base.primarySequence} and ${base.secondarySequence} differ: the hive was not cleanly written, recent changes may be in its transaction logs`,
      0x04,
    );
  }
  base.dirty = !base.checksumValid || base.primarySequence !== base.secondarySequence;
  if (base.majorVersion !== 1 || base.minorVersion < 2 || base.minorVersion > 6) {
    anomalies.add('REGF_VERSION', `format version ${base.majorVersion}.${base.minorVersion} (expected 1.2 to 1.6)`, 0x14);
  }
  if (base.fileType !== 0) anomalies.add('REGF_NOT_PRIMARY', `file type ${base.fileType} is not a primary hive (0)`, 0x1c);
  if (base.fileFormat !== 1) anomalies.add('REGF_FORMAT', `file format ${base.fileFormat} (expected 1)`, 0x20);
  if (base.hiveBinsSize === 0 || base.hiveBinsSize % 0x1000 !== 0) {
    anomalies.add('REGF_HBINS_SIZE', `hive bins data size 0x${base.hiveBinsSize.toString(16)} is not a positive multiple of 4096`, 0x28);
  }
  if (BASE_BLOCK_SIZE + base.hiveBinsSize > fileLength) {
    anomalies.add(
      'REGF_TRUNCATED',
      `hive bins data of 0x${base.hiveBinsSize.toString(16)} bytes runs past the end of the file (0x${fileLength.toString(16)} bytes)`,
      0x28,
    );
  }
  return base;
}
