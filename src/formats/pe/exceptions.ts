// The exception directory (.pdata): x64 RUNTIME_FUNCTION entries, the one reliable list of function extents on x64.

import type { AnomalySink } from './anomalies.js';
import { u32 } from './bytes.js';
import { DIR_EXCEPTION, MACHINE_AMD64, MACHINE_IA64 } from './constants.js';
import { bytesAt, dirOffset, type PeContext } from './context.js';
import type { RuntimeFunction } from './types.js';

const RUNTIME_FUNCTION_SIZE = 12;

/** The table's bytes and how many entries it holds before its end or an all-zero entry. */
export interface ExceptionTable {
  bytes: Uint8Array;
  count: number;
}

const EMPTY: ExceptionTable = { bytes: new Uint8Array(0), count: 0 };

/**
 * Checks the table of AMD64 (and IA64, same layout) entries and counts them; other machines' formats differ and give
 * an empty table. The entries become objects only in runtimeFunctions(): a large DLL has hundreds of thousands.
 */
export function parseExceptions(ctx: PeContext, an: AnomalySink): ExceptionTable {
  const dir = ctx.directories[DIR_EXCEPTION]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return EMPTY;
  if (ctx.machine !== MACHINE_AMD64 && ctx.machine !== MACHINE_IA64) return EMPTY;
  let count = Math.floor(dir.size / RUNTIME_FUNCTION_SIZE);
  if (count > ctx.limits.maxRuntimeFunctions) {
    an.add('PE_LIMIT_EXCEEDED', 'low', `the exception directory claims ${count} entries; ${ctx.limits.maxRuntimeFunctions} are read`, dirOffset(ctx, dir));
    count = ctx.limits.maxRuntimeFunctions;
  }
  const b = bytesAt(ctx, dir.virtualAddress, count * RUNTIME_FUNCTION_SIZE);
  if (b === null) {
    an.add('PE_EXCEPTIONS_TRUNCATED', 'low', `exception directory at RVA 0x${dir.virtualAddress.toString(16)} is outside the image`, dir.fieldOffset);
    return EMPTY;
  }
  const have = Math.floor(b.length / RUNTIME_FUNCTION_SIZE);
  if (have < count) an.add('PE_EXCEPTIONS_TRUNCATED', 'low', `exception directory holds ${have} of ${count} entries`, dirOffset(ctx, dir));
  let n = 0;
  // An all-zero entry is padding or zero-filled memory past the table; nothing real follows it.
  for (let o = 0; n < have && (u32(b, o) | u32(b, o + 4) | u32(b, o + 8)) !== 0; o += RUNTIME_FUNCTION_SIZE) n++;
  return { bytes: b, count: n };
}

/** The table's entries as objects. */
export function runtimeFunctions(t: ExceptionTable): RuntimeFunction[] {
  const out: RuntimeFunction[] = new Array<RuntimeFunction>(t.count);
  for (let i = 0; i < t.count; i++) {
    const o = i * RUNTIME_FUNCTION_SIZE;
    out[i] = { beginRva: u32(t.bytes, o), endRva: u32(t.bytes, o + 4), unwindInfoRva: u32(t.bytes, o + 8) };
  }
  return out;
}
