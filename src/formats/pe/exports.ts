// The export directory: names, ordinals, addresses and forwarders of what a DLL offers.

import type { AnomalySink } from './anomalies.js';
import { u16, u32 } from './bytes.js';
import { DIR_EXPORT } from './constants.js';
import { bytesAt, dirOffset, nameAt, type PeContext } from './context.js';
import type { ExportDirectory, ExportedSymbol } from './types.js';

const EXPORT_DIRECTORY_SIZE = 40;
const CODE = 'PE_EXPORTS_TRUNCATED';

/** Reads `count` little-endian words of `width` bytes at `rva`, stopping where the image ends. */
function readArray(ctx: PeContext, rva: number, count: number, width: 2 | 4): { values: number[]; complete: boolean } {
  const values: number[] = [];
  if (count === 0) return { values, complete: true };
  const b = bytesAt(ctx, rva, count * width);
  if (b === null) return { values, complete: false };
  // Entries the file should hold but does not (cut short) are not read as zeros.
  let n = Math.floor(b.length / width);
  if (ctx.map.cutOff(rva, n * width)) {
    const r = ctx.map.regionOf(rva);
    n = r === null ? 0 : Math.max(0, Math.floor((r.rLen - (rva - r.vStart)) / width));
  }
  for (let i = 0; i < n; i++) values.push(width === 4 ? u32(b, i * 4) : u16(b, i * 2));
  return { values, complete: n === count };
}

export function parseExports(ctx: PeContext, an: AnomalySink): ExportDirectory | null {
  const dir = ctx.directories[DIR_EXPORT]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return null;
  const base = dir.virtualAddress;
  const h = bytesAt(ctx, base, EXPORT_DIRECTORY_SIZE);
  const where = dirOffset(ctx, dir);
  if (h === null || h.length < EXPORT_DIRECTORY_SIZE) {
    an.add(CODE, 'high', `export directory at RVA 0x${base.toString(16)} is outside the image`, where);
    return null;
  }
  if (ctx.map.cutOff(base, EXPORT_DIRECTORY_SIZE)) {
    an.add(CODE, 'high', `the file ends inside the export directory at RVA 0x${base.toString(16)}`, where);
    return null;
  }
  const ed: ExportDirectory = {
    name: null,
    characteristics: u32(h, 0),
    timeDateStamp: u32(h, 4),
    majorVersion: u16(h, 8),
    minorVersion: u16(h, 10),
    base: u32(h, 16),
    numberOfFunctions: u32(h, 20),
    numberOfNames: u32(h, 24),
    addressOfFunctions: u32(h, 28),
    addressOfNames: u32(h, 32),
    addressOfNameOrdinals: u32(h, 36),
    symbols: [],
  };
  const nameRva = u32(h, 12);
  if (nameRva !== 0) ed.name = nameAt(ctx, nameRva, ctx.limits.maxExportNameLength, an)?.text ?? null;

  let nFunctions = ed.numberOfFunctions;
  if (nFunctions > ctx.limits.maxExportFunctions) {
    an.add('PE_LIMIT_EXCEEDED', 'medium', `NumberOfFunctions is ${nFunctions}; only ${ctx.limits.maxExportFunctions} are read`, where);
    nFunctions = ctx.limits.maxExportFunctions;
  }
  let nNames = ed.numberOfNames;
  if (nNames > ctx.limits.maxExportNames) {
    an.add('PE_LIMIT_EXCEEDED', 'medium', `NumberOfNames is ${nNames}; only ${ctx.limits.maxExportNames} are read`, where);
    nNames = ctx.limits.maxExportNames;
  }
  const functions = readArray(ctx, ed.addressOfFunctions, nFunctions, 4);
  if (!functions.complete) an.add(CODE, 'medium', `export address table holds ${functions.values.length} of ${nFunctions} entries`, where);
  const names = readArray(ctx, ed.addressOfNames, nNames, 4);
  const ordinals = readArray(ctx, ed.addressOfNameOrdinals, nNames, 2);
  const namedCount = Math.min(names.values.length, ordinals.values.length);
  if (namedCount < nNames) an.add(CODE, 'medium', `export name tables hold ${namedCount} of ${nNames} entries`, where);

  const fwdStart = base;
  const fwdEnd = base + dir.size;
  const forwarderOf = (rva: number): string | null =>
    rva >= fwdStart && rva < fwdEnd ? (nameAt(ctx, rva, ctx.limits.maxExportNameLength, an)?.text ?? '') : null;

  const named = new Set<number>();
  let badIndexReported = false;
  for (let j = 0; j < namedCount; j++) {
    const index = ordinals.values[j]!;
    if (index >= functions.values.length) {
      if (!badIndexReported) {
        an.add(CODE, 'medium', `export name ${j} points at function index ${index}, past the address table`, where);
        badIndexReported = true;
      }
      continue;
    }
    const rva = functions.values[index]!;
    if (rva === 0) continue;
    const s = nameAt(ctx, names.values[j]!, ctx.limits.maxExportNameLength, an);
    if (s === null) {
      an.add(CODE, 'low', `export name ${j} at RVA 0x${names.values[j]!.toString(16)} is outside the image`, where);
      continue;
    }
    named.add(index);
    ed.symbols.push({ ordinal: ed.base + index, rva, name: s.text, forwarder: forwarderOf(rva) });
  }
  for (let i = 0; i < functions.values.length; i++) {
    const rva = functions.values[i]!;
    if (rva === 0 || named.has(i)) continue;
    const sym: ExportedSymbol = { ordinal: ed.base + i, rva, name: null, forwarder: forwarderOf(rva) };
    ed.symbols.push(sym);
  }
  const allZero = h.every((x) => x === 0);
  if (ed.symbols.length === 0 && allZero) return null;
  return ed;
}
