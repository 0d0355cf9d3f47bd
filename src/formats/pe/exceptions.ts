// The exception directory (.pdata): x64 RUNTIME_FUNCTION entries, the one reliable list of function extents on x64.

import type { AnomalySink } from './anomalies.js';
import { u32 } from './bytes.js';
import { DIR_EXCEPTION, MACHINE_AMD64, MACHINE_IA64 } from './constants.js';
import { bytesAt, dirOffset, type PeContext } from './context.js';
import type { RuntimeFunction } from './types.js';

const RUNTIME_FUNCTION_SIZE = 12;

/** Entries for AMD64 (and IA64, same layout); other machines' formats differ and give an empty list. */
export function parseExceptions(ctx: PeContext, an: AnomalySink): RuntimeFunction[] {
  const dir = ctx.directories[DIR_EXCEPTION]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return [];
  if (ctx.machine !== MACHINE_AMD64 && ctx.machine !== MACHINE_IA64) return [];
  let count = Math.floor(dir.size / RUNTIME_FUNCTION_SIZE);
  if (count > ctx.limits.maxRuntimeFunctions) {
    an.add('PE_LIMIT_EXCEEDED', 'low', `the exception directory claims ${count} entries; ${ctx.limits.maxRuntimeFunctions} are read`, dirOffset(ctx, dir));
    count = ctx.limits.maxRuntimeFunctions;
  }
  const b = bytesAt(ctx, dir.virtualAddress, count * RUNTIME_FUNCTION_SIZE);
  if (b === null) {
    an.add('PE_EXCEPTIONS_TRUNCATED', 'low', `exception directory at RVA 0x${dir.virtualAddress.toString(16)} is outside the image`, dir.fieldOffset);
    return [];
  }
  const have = Math.floor(b.length / RUNTIME_FUNCTION_SIZE);
  if (have < count) an.add('PE_EXCEPTIONS_TRUNCATED', 'low', `exception directory holds ${have} of ${count} entries`, dirOffset(ctx, dir));
  const out: RuntimeFunction[] = [];
  for (let i = 0; i < have; i++) {
    const o = i * RUNTIME_FUNCTION_SIZE;
    const beginRva = u32(b, o);
    const endRva = u32(b, o + 4);
    const unwindInfoRva = u32(b, o + 8);
    // An all-zero entry is padding or zero-filled memory past the table; nothing real follows it.
    if ((beginRva | endRva | unwindInfoRva) === 0) break;
    out.push({ beginRva, endRva, unwindInfoRva });
  }
  return out;
}
