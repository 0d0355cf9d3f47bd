// Base relocations: blocks of 16-bit entries, each a type and an offset in a 4 KiB page the loader patches on rebase.

import type { AnomalySink } from './anomalies.js';
import { u16, u32 } from './bytes.js';
import { DIR_BASERELOC, RELOCATION_TYPE_NAMES, nameOf } from './constants.js';
import { bytesAt, dirOffset, type PeContext } from './context.js';
import type { Relocation, Relocations } from './types.js';

const BLOCK_HEADER_SIZE = 8;

export function parseRelocations(ctx: PeContext, an: AnomalySink): Relocations | null {
  const dir = ctx.directories[DIR_BASERELOC]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return null;
  const out: Relocations = { blocks: [], entryCount: 0, byType: {} };
  // Entries by type (the top 4 bits): a plain table, since a relocation directory can hold millions of entries.
  const counts = new Float64Array(16);
  const end = dir.virtualAddress + dir.size;
  let entriesLeft = ctx.limits.maxRelocationEntries;
  for (let rva = dir.virtualAddress; rva < end; ) {
    if (out.blocks.length >= ctx.limits.maxRelocationBlocks) {
      an.add('PE_LIMIT_EXCEEDED', 'low', `more than ${ctx.limits.maxRelocationBlocks} relocation blocks`, dirOffset(ctx, dir, rva));
      break;
    }
    const h = bytesAt(ctx, rva, BLOCK_HEADER_SIZE);
    if (h === null || h.length < BLOCK_HEADER_SIZE) {
      an.add('PE_RELOCATIONS_TRUNCATED', 'low', `relocation block at RVA 0x${rva.toString(16)} is outside the image`, dirOffset(ctx, dir));
      break;
    }
    const pageRva = u32(h, 0);
    const sizeOfBlock = u32(h, 4);
    if (sizeOfBlock < BLOCK_HEADER_SIZE) {
      // A zero block ends some linkers' tables early (padding); anything else is malformed.
      if (sizeOfBlock !== 0 || pageRva !== 0) an.add('PE_RELOCATIONS_TRUNCATED', 'low', `relocation block at RVA 0x${rva.toString(16)} has SizeOfBlock ${sizeOfBlock}`, dirOffset(ctx, dir, rva));
      break;
    }
    let count = Math.floor((Math.min(sizeOfBlock, end - rva) - BLOCK_HEADER_SIZE) / 2);
    if (count > entriesLeft) {
      an.add('PE_LIMIT_EXCEEDED', 'low', `more than ${ctx.limits.maxRelocationEntries} relocation entries`, dirOffset(ctx, dir, rva));
      count = entriesLeft;
    }
    const e = count > 0 ? bytesAt(ctx, rva + BLOCK_HEADER_SIZE, count * 2) : new Uint8Array(0);
    const have = e === null ? 0 : Math.floor(e.length / 2);
    for (let i = 0; i < have; i++) counts[u16(e!, i * 2) >>> 12]!++;
    entriesLeft -= have;
    out.entryCount += have;
    out.blocks.push({ rva, pageRva, sizeOfBlock, count: have, offset: ctx.map.rvaToOffset(rva + BLOCK_HEADER_SIZE) });
    if (have < count || entriesLeft <= 0) break;
    rva += sizeOfBlock;
  }
  counts.forEach((n, t) => {
    if (n > 0) out.byType[nameOf(RELOCATION_TYPE_NAMES, t)] = n;
  });
  return out;
}

/** Every relocation target (ABSOLUTE padding left out), for code analysis that needs to know which words are pointers. */
export function relocationTargets(ctx: PeContext, rel: Relocations): Relocation[] {
  const out: Relocation[] = [];
  for (const blk of rel.blocks) {
    const bytes = blk.count > 0 ? bytesAt(ctx, blk.rva + BLOCK_HEADER_SIZE, blk.count * 2) : null;
    if (bytes === null) continue;
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      const w = u16(bytes, i);
      const type = w >>> 12;
      if (type !== 0) out.push({ rva: blk.pageRva + (w & 0xfff), type });
    }
  }
  return out;
}
