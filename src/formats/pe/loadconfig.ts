// The load configuration directory: security cookie, SafeSEH table and Control Flow Guard settings.

import type { AnomalySink } from './anomalies.js';
import { u16, u32, u64 } from './bytes.js';
import { DIR_LOAD_CONFIG, GUARD_FLAGS, decodeFlags } from './constants.js';
import { bytesAt, dirOffset, u32At, type PeContext } from './context.js';
import type { LoadConfig } from './types.js';

const DLLCHARACTERISTICS_GUARD_CF = 0x4000;
const GUARD_CF_INSTRUMENTED = 0x100;
/** Enough for every field up to GuardFlags in PE32+; later fields are not decoded. */
const MAX_READ = 0x200;

export function parseLoadConfig(ctx: PeContext, dllCharacteristics: number, an: AnomalySink): LoadConfig | null {
  const dir = ctx.directories[DIR_LOAD_CONFIG]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return null;
  const size = u32At(ctx, dir.virtualAddress);
  if (size === null) {
    an.add('PE_LOADCONFIG_TRUNCATED', 'low', `load config at RVA 0x${dir.virtualAddress.toString(16)} is outside the image`, dir.fieldOffset);
    return null;
  }
  const b = bytesAt(ctx, dir.virtualAddress, Math.min(size, MAX_READ)) ?? new Uint8Array(0);
  const n = b.length;
  if (n < Math.min(size, MAX_READ)) an.add('PE_LOADCONFIG_TRUNCATED', 'low', `load config claims 0x${size.toString(16)} bytes; 0x${n.toString(16)} are in the image`, dirOffset(ctx, dir));
  const w = ctx.is64 ? 8 : 4;
  const fits = (off: number, len: number): boolean => off + len <= n;
  const ptr = (off: number): bigint | null => (fits(off, w) ? (w === 8 ? u64(b, off) : BigInt(u32(b, off))) : null);
  const guardFlagsOff = 32 + 14 * w;
  const guardFlags = fits(guardFlagsOff, 4) ? u32(b, guardFlagsOff) : null;
  return {
    size,
    bytesRead: n,
    timeDateStamp: fits(4, 4) ? u32(b, 4) : 0,
    majorVersion: fits(8, 2) ? u16(b, 8) : 0,
    minorVersion: fits(10, 2) ? u16(b, 10) : 0,
    globalFlagsClear: fits(12, 4) ? u32(b, 12) : 0,
    globalFlagsSet: fits(16, 4) ? u32(b, 16) : 0,
    securityCookie: ptr(32 + 7 * w),
    seHandlerTable: ptr(32 + 8 * w),
    seHandlerCount: ptr(32 + 9 * w),
    guardCFCheckFunctionPointer: ptr(32 + 10 * w),
    guardCFDispatchFunctionPointer: ptr(32 + 11 * w),
    guardCFFunctionTable: ptr(32 + 12 * w),
    guardCFFunctionCount: ptr(32 + 13 * w),
    guardFlags,
    guardFlagNames: guardFlags === null ? [] : decodeFlags(guardFlags, GUARD_FLAGS),
    cfgEnabled: (dllCharacteristics & DLLCHARACTERISTICS_GUARD_CF) !== 0 && guardFlags !== null && (guardFlags & GUARD_CF_INSTRUMENTED) !== 0,
  };
}
