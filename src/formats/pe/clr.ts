// The .NET CLR header (IMAGE_COR20_HEADER) and the runtime version its metadata root names.

import type { AnomalySink } from './anomalies.js';
import { latin1, u16, u32 } from './bytes.js';
import { CLR_FLAGS, DIR_COM_DESCRIPTOR, decodeFlags } from './constants.js';
import { bytesAt, dirOffset, type PeContext } from './context.js';
import type { ClrHeader } from './types.js';

const COR20_SIZE = 72;
const METADATA_SIGNATURE = 0x424a5342; // "BSJB"
const METADATA_ROOT_FIXED = 16;

export function parseClr(ctx: PeContext, an: AnomalySink): ClrHeader | null {
  const dir = ctx.directories[DIR_COM_DESCRIPTOR]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return null;
  const b = bytesAt(ctx, dir.virtualAddress, COR20_SIZE);
  if (b === null || b.length < COR20_SIZE) {
    an.add('PE_CLR_MALFORMED', 'medium', `CLR header at RVA 0x${dir.virtualAddress.toString(16)} is outside the image`, dir.fieldOffset);
    return null;
  }
  const flags = u32(b, 16);
  const clr: ClrHeader = {
    cb: u32(b, 0),
    majorRuntimeVersion: u16(b, 4),
    minorRuntimeVersion: u16(b, 6),
    metadataRva: u32(b, 8),
    metadataSize: u32(b, 12),
    flags,
    flagNames: decodeFlags(flags, CLR_FLAGS),
    entryPointTokenOrRva: u32(b, 20),
    resourcesRva: u32(b, 24),
    resourcesSize: u32(b, 28),
    strongNameSignatureRva: u32(b, 32),
    strongNameSignatureSize: u32(b, 36),
    runtimeVersion: null,
  };
  // Metadata root (ECMA-335 II.24.2.1): signature, major, minor, reserved, length, then the version string.
  const root = bytesAt(ctx, clr.metadataRva, METADATA_ROOT_FIXED + ctx.limits.maxClrVersionLength + 1);
  if (root !== null && root.length >= METADATA_ROOT_FIXED && u32(root, 0) === METADATA_SIGNATURE) {
    const len = Math.min(u32(root, 12), ctx.limits.maxClrVersionLength, root.length - METADATA_ROOT_FIXED);
    let end = METADATA_ROOT_FIXED;
    while (end < METADATA_ROOT_FIXED + len && root[end] !== 0) end++;
    clr.runtimeVersion = latin1(root, METADATA_ROOT_FIXED, end);
  } else {
    an.add('PE_CLR_MALFORMED', 'medium', `CLR metadata at RVA 0x${clr.metadataRva.toString(16)} has no BSJB signature`, dirOffset(ctx, dir) + 8);
  }
  return clr;
}
