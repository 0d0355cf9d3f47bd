// Walks the hive bins and their cells once, recording where every cell starts, so later reads only follow offsets
// that land on a real cell (a pointer into the middle of a cell is an anomaly, never a misread).

import type { RegfAnomalies } from './anomalies.js';
import { HBIN_ALIGN, HBIN_HEADER_SIZE, HBINS_START } from './constants.js';

export interface CellMap {
  /** Absolute offset just past the last byte of hive bins data that was read. */
  end: number;
  /** One bit per 4-byte slot from HBINS_START: an allocated cell starts here. */
  allocated: Uint32Array;
  /** One bit per 4-byte slot from HBINS_START: a free cell starts here. */
  free: Uint32Array;
  hbins: number;
  allocatedCells: number;
  freeCells: number;
  freeBytes: number;
}

/** Smallest meaningful cell: the size field and at least 4 bytes of data. */
const MIN_CELL = 8;

function isHbin(bytes: Uint8Array, o: number): boolean {
  return bytes[o] === 0x68 && bytes[o + 1] === 0x62 && bytes[o + 2] === 0x69 && bytes[o + 3] === 0x6e;
}

export function scanBins(bytes: Uint8Array, dv: DataView, hiveBinsSize: number, anomalies: RegfAnomalies): CellMap {
  const declaredEnd = HBINS_START + hiveBinsSize;
  // A zero or unaligned size says nothing useful; fall back to the file's length.
  const usable = hiveBinsSize > 0 && hiveBinsSize % HBIN_ALIGN === 0 ? declaredEnd : bytes.length;
  const limit = Math.min(bytes.length, usable);
  const slots = Math.max(0, Math.ceil((limit - HBINS_START) / 4));
  const map: CellMap = {
    end: limit,
    allocated: new Uint32Array((slots >>> 5) + 1),
    free: new Uint32Array((slots >>> 5) + 1),
    hbins: 0,
    allocatedCells: 0,
    freeCells: 0,
    freeBytes: 0,
  };
  let off = HBINS_START;
  while (off + HBIN_HEADER_SIZE <= limit) {
    if (!isHbin(bytes, off)) {
      anomalies.add('REGF_HBIN_SIGNATURE', `no hive bin header at 0x${off.toString(16)}`, off);
      off += HBIN_ALIGN;
      while (off + HBIN_HEADER_SIZE <= limit && !isHbin(bytes, off)) off += HBIN_ALIGN;
      continue;
    }
    map.hbins++;
    const declaredOffset = dv.getUint32(off + 4, true);
    if (declaredOffset !== off - HBINS_START) {
      anomalies.add(
        'REGF_HBIN_OFFSET',
        `hive bin at 0x${off.toString(16)} says it is at 0x${declaredOffset.toString(16)} (expected 0x${(off - HBINS_START).toString(16)})`,
        off + 4,
      );
    }
    let size = dv.getUint32(off + 8, true);
    if (size < HBIN_ALIGN || size % HBIN_ALIGN !== 0) {
      anomalies.add('REGF_HBIN_SIZE', `hive bin at 0x${off.toString(16)} has size 0x${size.toString(16)}; read as 4096`, off + 8);
      size = HBIN_ALIGN;
    }
    let end = off + size;
    if (end > limit) {
      // A file cut short is already REGF_TRUNCATED; anything else is this bin's own fault.
      if (!(limit === bytes.length && limit < usable)) {
        anomalies.add('REGF_HBIN_SIZE', `hive bin at 0x${off.toString(16)} of 0x${size.toString(16)} bytes runs past the hive bins data`, off + 8);
      }
      end = limit;
    }
    let c = off + HBIN_HEADER_SIZE;
    while (c + 4 <= end) {
      const raw = dv.getInt32(c, true);
      const cellSize = Math.abs(raw);
      if (cellSize < MIN_CELL || cellSize % 4 !== 0 || c + cellSize > end) {
        anomalies.add('REGF_CELL_SIZE', `cell at 0x${c.toString(16)} has size ${raw}; the rest of its hive bin was not read`, c);
        break;
      }
      if (cellSize % 8 !== 0) anomalies.add('REGF_CELL_UNALIGNED', `cell at 0x${c.toString(16)} has size ${cellSize}`, c);
      const slot = (c - HBINS_START) >>> 2;
      if (raw < 0) {
        map.allocated[slot >>> 5]! |= 1 << (slot & 31);
        map.allocatedCells++;
      } else {
        map.free[slot >>> 5]! |= 1 << (slot & 31);
        map.freeCells++;
        map.freeBytes += cellSize;
      }
      c += cellSize;
    }
    off += size;
  }
  if (bytes.length > Math.max(off, limit)) {
    anomalies.add(
      'REGF_TRAILING_DATA',
      `${bytes.length - Math.max(off, limit)} bytes follow the hive bins data (at 0x${Math.max(off, limit).toString(16)})`,
      Math.max(off, limit),
    );
  }
  return map;
}

export type CellState = 'allocated' | 'free' | 'none';

export function cellState(map: CellMap, abs: number): CellState {
  const slot = (abs - HBINS_START) >>> 2;
  const bit = 1 << (slot & 31);
  if ((map.allocated[slot >>> 5]! & bit) !== 0) return 'allocated';
  if ((map.free[slot >>> 5]! & bit) !== 0) return 'free';
  return 'none';
}
