// The TLS directory and its callback array: code the loader runs before the entry point.

import type { AnomalySink } from './anomalies.js';
import { u32, u64 } from './bytes.js';
import { DIR_TLS } from './constants.js';
import { bytesAt, dirOffset, type PeContext } from './context.js';
import type { TlsCallback, TlsDirectory } from './types.js';

/** The RVA of a VA when it falls inside the image, else null. */
export function vaToRva(ctx: PeContext, va: bigint): number | null {
  const rva = va - ctx.imageBase;
  return rva >= 0n && rva < BigInt(Math.max(ctx.sizeOfImage, ctx.data.length)) ? Number(rva) : null;
}

export function parseTls(ctx: PeContext, an: AnomalySink): TlsDirectory | null {
  const dir = ctx.directories[DIR_TLS]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return null;
  const w = ctx.is64 ? 8 : 4;
  const size = 4 * w + 8;
  const b = bytesAt(ctx, dir.virtualAddress, size);
  if (b === null || b.length < size) {
    an.add('PE_TLS_TRUNCATED', 'medium', `TLS directory at RVA 0x${dir.virtualAddress.toString(16)} is outside the image`, dir.fieldOffset);
    return null;
  }
  const ptr = (i: number): bigint => (w === 8 ? u64(b, i * 8) : BigInt(u32(b, i * 4)));
  const tls: TlsDirectory = {
    startAddressOfRawData: ptr(0),
    endAddressOfRawData: ptr(1),
    addressOfIndex: ptr(2),
    addressOfCallBacks: ptr(3),
    sizeOfZeroFill: u32(b, 4 * w),
    characteristics: u32(b, 4 * w + 4),
    callbacks: [],
  };
  if (tls.addressOfCallBacks === 0n) return tls;
  const arrayRva = vaToRva(ctx, tls.addressOfCallBacks);
  if (arrayRva === null) {
    an.add('PE_TLS_TRUNCATED', 'medium', `TLS AddressOfCallBacks 0x${tls.addressOfCallBacks.toString(16)} is outside the image`, dirOffset(ctx, dir) + 3 * w);
    return tls;
  }
  for (let i = 0; ; i++) {
    if (i >= ctx.limits.maxTlsCallbacks) {
      an.add('PE_LIMIT_EXCEEDED', 'medium', `more than ${ctx.limits.maxTlsCallbacks} TLS callbacks`, ctx.map.rvaToOffset(arrayRva) ?? dirOffset(ctx, dir));
      break;
    }
    const e = bytesAt(ctx, arrayRva + i * w, w);
    if (e === null || e.length < w) {
      an.add('PE_TLS_TRUNCATED', 'medium', 'the TLS callback array runs out of the image before its terminator', dirOffset(ctx, dir) + 3 * w);
      break;
    }
    const va = w === 8 ? u64(e, 0) : BigInt(u32(e, 0));
    if (va === 0n) break;
    const cb: TlsCallback = { va, rva: vaToRva(ctx, va) };
    tls.callbacks.push(cb);
  }
  return tls;
}
