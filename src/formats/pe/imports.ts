// Import, delay-load import and bound import directories: which DLLs the loader binds, and which IAT slot gets what.

import type { AnomalySink } from './anomalies.js';
import { u16, u32 } from './bytes.js';
import { DIR_BOUND_IMPORT, DIR_DELAY_IMPORT, DIR_IMPORT, MACHINE_I386 } from './constants.js';
import { bytesAt, dirOffset, fileSpan, nameAt, u16At, type PeContext } from './context.js';
import { ordinalName } from './ordinals.js';
import type { BoundImport, DataDirectory, DelayImportedDll, ImportedDll, ImportedFunction } from './types.js';

const IMPORT_DESCRIPTOR_SIZE = 20;
const DELAY_DESCRIPTOR_SIZE = 32;
const BOUND_DESCRIPTOR_SIZE = 8;

/** Shared across the import and delay-import tables of one file, so the thunk limit holds for the file. */
export interface ThunkBudget {
  left: number;
  reported: boolean;
}

export function thunkBudget(ctx: PeContext): ThunkBudget {
  return { left: ctx.limits.maxImportThunks, reported: false };
}

/** One lookup-table entry, split the way both widths share: ordinal flag, low 16 bits, name RVA, raw value. */
interface Thunk {
  rva: number;
  byOrdinal: boolean;
  ordinal: number;
  /** RVA of IMAGE_IMPORT_BY_NAME, or -1 when the value cannot be one (high bits set in PE32+). */
  nameRva: number;
  /** The raw value's two halves (numbers, not a bigint: tables can hold tens of thousands of entries). */
  lo: number;
  hi: number;
}

/**
 * Reads a zero-terminated thunk array at `rva`. `vaBase` (old delay-load layout) turns VAs back into RVAs.
 * Stops at the terminator, at unmapped memory (truncated), or when the file's thunk budget runs out.
 */
function readThunks(
  ctx: PeContext,
  rva: number,
  budget: ThunkBudget,
  an: AnomalySink,
  code: string,
  vaBase: number | null,
  where: number,
): { thunks: Thunk[]; truncated: boolean } {
  const thunks: Thunk[] = [];
  if (rva === 0) return { thunks, truncated: false };
  const width = ctx.is64 ? 8 : 4;
  for (let at = rva; ; at += width) {
    if (budget.left <= 0) {
      if (!budget.reported) {
        an.add('PE_LIMIT_EXCEEDED', 'medium', `more than ${ctx.limits.maxImportThunks} import thunks; the rest are not read`, where);
        budget.reported = true;
      }
      return { thunks, truncated: true };
    }
    let b: Uint8Array | null = ctx.data;
    let o = fileSpan(ctx, at, width);
    if (o < 0) {
      b = bytesAt(ctx, at, width);
      o = 0;
    }
    if (b === null || b.length < o + width || ctx.map.cutOff(at, width)) {
      const why = b !== null && b.length >= o + width ? 'the file ends inside it' : 'it runs out of the image';
      an.add(code, 'medium', `thunk array at RVA 0x${rva.toString(16)}: ${why} at 0x${at.toString(16)}`, ctx.map.rvaToOffset(rva) ?? where);
      return { thunks, truncated: true };
    }
    budget.left--;
    const lo = u32(b, o);
    const hi = width === 8 ? u32(b, o + 4) : 0;
    if (lo === 0 && hi === 0) return { thunks, truncated: false };
    let byOrdinal: boolean;
    let nameRva: number;
    if (width === 8) {
      byOrdinal = (hi & 0x80000000) !== 0;
      nameRva = hi === 0 && lo < 0x80000000 ? lo : -1;
    } else {
      byOrdinal = (lo & 0x80000000) !== 0;
      nameRva = lo & 0x7fffffff;
    }
    if (!byOrdinal && vaBase !== null) {
      nameRva = lo >= vaBase ? lo - vaBase : lo;
    }
    thunks.push({ rva: at, byOrdinal, ordinal: lo & 0xffff, nameRva, lo, hi });
  }
}

/** Names the functions of one DLL from its lookup table (or its IAT when there is none). */
function functionsOf(
  ctx: PeContext,
  dll: string,
  lookupRva: number,
  iatRva: number,
  budget: ThunkBudget,
  an: AnomalySink,
  code: string,
  vaBase: number | null,
  compareIat: boolean,
  where: number,
): ImportedFunction[] {
  const width = ctx.is64 ? 8 : 4;
  const ilt = readThunks(ctx, lookupRva, budget, an, code, vaBase, where);
  const iat = compareIat || ilt.thunks.length === 0 ? readThunks(ctx, iatRva, budget, an, code, vaBase, where) : { thunks: [], truncated: false };
  const table = ilt.thunks.length > 0 ? ilt.thunks : iat.thunks;
  const fromIlt = ilt.thunks.length > 0;
  const out: ImportedFunction[] = [];
  let unterminated = 0;
  for (let i = 0; i < table.length; i++) {
    const t = table[i]!;
    let name: string | null = null;
    let hint: number | null = null;
    if (t.byOrdinal) {
      name = ordinalName(dll, t.ordinal);
    } else {
      const h = t.nameRva >= 0 ? u16At(ctx, t.nameRva) : null;
      const s = t.nameRva >= 0 ? nameAt(ctx, t.nameRva + 2, ctx.limits.maxImportNameLength, an) : null;
      if (h === null || s === null) {
        an.add(code, 'medium', `${dll}: import name at RVA 0x${t.nameRva.toString(16)} is outside the image`, ctx.map.rvaToOffset(t.rva) ?? where);
      } else {
        hint = h;
        name = s.text;
        if (!s.terminated && unterminated++ === 0) {
          an.add(code, 'low', `${dll}: import name at RVA 0x${t.nameRva.toString(16)} is not terminated within ${ctx.limits.maxImportNameLength} bytes`, ctx.map.rvaToOffset(t.nameRva) ?? where);
        }
      }
    }
    let bound: bigint | null = null;
    if (compareIat && fromIlt && i < iat.thunks.length) {
      const b = iat.thunks[i]!;
      if (b.lo !== t.lo || b.hi !== t.hi) bound = (BigInt(b.hi) << 32n) | BigInt(b.lo);
    }
    out.push({
      name,
      ordinal: t.byOrdinal ? t.ordinal : null,
      byOrdinal: t.byOrdinal,
      hint,
      iatRva: (iatRva + i * width) >>> 0,
      thunkRva: t.rva,
      bound,
    });
  }
  return out;
}

function dllName(ctx: PeContext, rva: number, an: AnomalySink, code: string, where: number): string {
  const s = nameAt(ctx, rva, ctx.limits.maxImportNameLength, an);
  if (s === null) {
    an.add(code, 'medium', `DLL name at RVA 0x${rva.toString(16)} is outside the image`, where);
    return '';
  }
  return s.text;
}

/**
 * Walks a table of fixed-size descriptors from the directory's RVA until an all-zero one, reporting a table that runs
 * out of the image or the file, or past the descriptor limit. `visit` gets each descriptor's bytes and RVA.
 */
function walkDescriptors(
  ctx: PeContext,
  dir: DataDirectory,
  size: number,
  code: string,
  label: string,
  an: AnomalySink,
  visit: (b: Uint8Array, rva: number) => void,
): void {
  for (let n = 0, rva = dir.virtualAddress; ; n++, rva += size) {
    if (n >= ctx.limits.maxImportDescriptors) {
      an.add('PE_LIMIT_EXCEEDED', 'medium', `more than ${ctx.limits.maxImportDescriptors} ${label} descriptors`, dirOffset(ctx, dir, rva));
      return;
    }
    const b = bytesAt(ctx, rva, size);
    if (b === null || b.length < size) {
      an.add(code, 'high', `${label} descriptor at RVA 0x${rva.toString(16)} is outside the image (no terminator)`, dirOffset(ctx, dir));
      return;
    }
    if (ctx.map.cutOff(rva, size)) {
      an.add(code, 'high', `the file ends inside the ${label} directory (descriptor at RVA 0x${rva.toString(16)})`, dirOffset(ctx, dir));
      return;
    }
    if (b.every((x) => x === 0)) return;
    visit(b, rva);
  }
}

/** IMAGE_DIRECTORY_ENTRY_IMPORT: descriptors until an all-zero one. */
export function parseImports(ctx: PeContext, budget: ThunkBudget, an: AnomalySink): ImportedDll[] {
  const dir = ctx.directories[DIR_IMPORT]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return [];
  const out: ImportedDll[] = [];
  const code = 'PE_IMPORTS_TRUNCATED';
  walkDescriptors(ctx, dir, IMPORT_DESCRIPTOR_SIZE, code, 'import', an, (b, rva) => {
    const originalFirstThunk = u32(b, 0);
    const timeDateStamp = u32(b, 4);
    const forwarderChain = u32(b, 8);
    const nameRva = u32(b, 12);
    const firstThunk = u32(b, 16);
    const where = dirOffset(ctx, dir, rva);
    const dll = dllName(ctx, nameRva, an, code, where);
    const functions = functionsOf(ctx, dll, originalFirstThunk, firstThunk, budget, an, code, null, true, where);
    out.push({ dll, descriptorRva: rva, originalFirstThunk, timeDateStamp, forwarderChain, nameRva, firstThunk, functions });
  });
  return out;
}

/** Old (VC6) delay-load descriptors hold VAs; pefile converts those in the image range back to RVAs, and so do we. */
function toRva(ctx: PeContext, v: number, vaMode: boolean): number {
  if (!vaMode) return v;
  const base = Number(ctx.imageBase);
  return v >= base && v < base + ctx.sizeOfImage ? v - base : v;
}

/** IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT: ImgDelayDescr records until an all-zero one. */
export function parseDelayImports(ctx: PeContext, budget: ThunkBudget, an: AnomalySink): DelayImportedDll[] {
  const dir = ctx.directories[DIR_DELAY_IMPORT]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return [];
  const out: DelayImportedDll[] = [];
  const code = 'PE_DELAY_IMPORTS_TRUNCATED';
  walkDescriptors(ctx, dir, DELAY_DESCRIPTOR_SIZE, code, 'delay-import', an, (b, rva) => {
    const f = [0, 4, 8, 12, 16, 20, 24, 28].map((o) => u32(b, o));
    const attributes = f[0]!;
    // dloadsup.h: bit 0 of grAttrs set means RVAs; the VC6 layout (0) used VAs, and only 32-bit images have it.
    const vaMode = (attributes & 1) === 0 && ctx.machine === MACHINE_I386;
    const base = Number(ctx.imageBase);
    const nameRva = toRva(ctx, f[1]!, vaMode);
    const iatRva = toRva(ctx, f[3]!, vaMode);
    const intRva = toRva(ctx, f[4]!, vaMode);
    const where = dirOffset(ctx, dir, rva);
    const dll = dllName(ctx, nameRva, an, code, where);
    const functions = functionsOf(ctx, dll, intRva, iatRva, budget, an, code, vaMode ? base : null, false, where);
    out.push({
      dll,
      descriptorRva: rva,
      attributes,
      usesVirtualAddresses: vaMode,
      nameRva,
      moduleHandleRva: toRva(ctx, f[2]!, vaMode),
      iatRva,
      intRva,
      boundIatRva: toRva(ctx, f[5]!, vaMode),
      unloadIatRva: toRva(ctx, f[6]!, vaMode),
      timeDateStamp: f[7]!,
      functions,
    });
  });
  return out;
}

/** IMAGE_DIRECTORY_ENTRY_BOUND_IMPORT: descriptors, each followed by its forwarder references; names are offsets from the table start. */
export function parseBoundImports(ctx: PeContext, an: AnomalySink): BoundImport[] {
  const dir = ctx.directories[DIR_BOUND_IMPORT]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return [];
  const start = dir.virtualAddress;
  const out: BoundImport[] = [];
  const boundName = (offset: number): string => nameAt(ctx, start + offset, ctx.limits.maxImportNameLength, an)?.text ?? '';
  let records = 0;
  for (let rva = start; ; ) {
    if (records >= ctx.limits.maxBoundImports) {
      an.add('PE_LIMIT_EXCEEDED', 'low', `more than ${ctx.limits.maxBoundImports} bound import records`, dirOffset(ctx, dir, rva));
      break;
    }
    const b = bytesAt(ctx, rva, BOUND_DESCRIPTOR_SIZE);
    if (b === null || b.length < BOUND_DESCRIPTOR_SIZE) {
      an.add('PE_BOUND_IMPORTS_TRUNCATED', 'low', `bound import descriptor at RVA 0x${rva.toString(16)} is outside the image`, dirOffset(ctx, dir));
      break;
    }
    const timeDateStamp = u32(b, 0);
    const nameOffset = u16(b, 4);
    const refs = u16(b, 6);
    if (timeDateStamp === 0 && nameOffset === 0 && refs === 0) break;
    records++;
    rva += BOUND_DESCRIPTOR_SIZE;
    const forwarders: { name: string; timeDateStamp: number }[] = [];
    for (let i = 0; i < refs && records < ctx.limits.maxBoundImports; i++, records++, rva += BOUND_DESCRIPTOR_SIZE) {
      const r = bytesAt(ctx, rva, BOUND_DESCRIPTOR_SIZE);
      if (r === null || r.length < BOUND_DESCRIPTOR_SIZE) break;
      forwarders.push({ name: boundName(u16(r, 4)), timeDateStamp: u32(r, 0) });
    }
    out.push({ name: boundName(nameOffset), timeDateStamp, forwarders });
  }
  return out;
}
