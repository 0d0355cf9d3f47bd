// RVA <-> file offset mapping as the Windows loader lays an image out: headers, then each section's raw bytes, then zeros.
//
// Rules (PE/COFF spec "Section Table", and the loader's behaviour documented by corkami's PE notes):
// - A section spans [VirtualAddress, VirtualAddress + alignUp(VirtualSize || SizeOfRawData, SectionAlignment)).
// - Its file bytes start at PointerToRawData rounded down to 0x200 when FileAlignment >= 0x200 (the loader's
//   hard-coded sector size), and cover SizeOfRawData rounded up to FileAlignment, never more than the virtual span.
//   Past the raw bytes the section reads as zeros.
// - VirtualAddress is rounded down to SectionAlignment (to FileAlignment when SectionAlignment < the page size).
// - Below the first section, the headers map 1:1 up to SizeOfHeaders.
// - With SectionAlignment below the page size ("low alignment") the loader maps the file flat: RVA == offset.

import { alignDown, alignUp, isPowerOfTwo } from './bytes.js';

const PAGE_SIZE = 0x1000;
const SECTOR_SIZE = 0x200;
/**
 * Most zero-filled bytes one read will materialise. Structures are small and callers cap their arrays; this keeps a
 * hostile VirtualSize from turning one read into a huge allocation.
 */
export const MAX_ZERO_FILL = 0x1000000;

/** One mapped run of the image. */
export interface Region {
  /** First RVA of the run. */
  vStart: number;
  /** One past its last RVA. */
  vEnd: number;
  /** File offset of vStart's byte, when any byte is file-backed. */
  rStart: number;
  /** How many bytes from vStart are file-backed (the rest read as zeros). */
  rLen: number;
  /** How many would be, were the file not cut short (rLen before clipping at the end of the file). */
  rWanted: number;
  /** Index in the section table, or -1 for the headers. */
  section: number;
}

export interface SectionGeometry {
  virtualAddress: number;
  virtualSize: number;
  sizeOfRawData: number;
  pointerToRawData: number;
}

export class AddressMap {
  /** Regions sorted by vStart; the header region first. */
  readonly regions: Region[];
  readonly flat: boolean;
  /**
   * The region the last lookup found, tried first (lookups cluster). Only when no two regions overlap: with overlapping
   * sections the region a lookup must return is the last one starting at or below the RVA that covers it, and a
   * remembered earlier region that also covers it would make the answer depend on the lookups made before.
   */
  private last: Region | null = null;
  private readonly disjoint: boolean;

  constructor(
    readonly fileSize: number,
    sections: readonly SectionGeometry[],
    sectionAlignment: number,
    fileAlignment: number,
    sizeOfHeaders: number,
  ) {
    this.flat = sectionAlignment < PAGE_SIZE;
    const vAlign = sectionAlignment < PAGE_SIZE ? fileAlignment : sectionAlignment;
    const fAlign = isPowerOfTwo(fileAlignment) ? fileAlignment : 1;
    const regions: Region[] = [];
    sections.forEach((s, i) => {
      const vStart = vAlign > 0 && s.virtualAddress % vAlign !== 0 ? alignDown(s.virtualAddress, vAlign) : s.virtualAddress;
      const vSize = alignUp(s.virtualSize !== 0 ? s.virtualSize : s.sizeOfRawData, isPowerOfTwo(sectionAlignment) ? sectionAlignment : 1);
      const rStart = fileAlignment >= SECTOR_SIZE ? alignDown(s.pointerToRawData, SECTOR_SIZE) : s.pointerToRawData;
      const rWanted = s.pointerToRawData === 0 ? 0 : Math.min(alignUp(s.sizeOfRawData, fAlign), vSize);
      const rLen = Math.max(0, Math.min(rWanted, fileSize - rStart));
      if (vSize > 0) regions.push({ vStart, vEnd: vStart + vSize, rStart, rLen, rWanted, section: i });
    });
    regions.sort((a, b) => a.vStart - b.vStart || a.section - b.section);
    const firstSection = regions.length > 0 ? regions[0]!.vStart : Infinity;
    const headerEnd = Math.min(firstSection, Math.max(sizeOfHeaders, 0));
    if (headerEnd > 0) regions.unshift({ vStart: 0, vEnd: headerEnd, rStart: 0, rLen: Math.min(headerEnd, fileSize), rWanted: headerEnd, section: -1 });
    this.regions = regions;
    this.disjoint = regions.every((r, i) => i === 0 || r.vStart >= regions[i - 1]!.vEnd);
  }

  /** The region holding `rva`: the last one starting at or below it whose span covers it. */
  regionOf(rva: number): Region | null {
    if (!(rva >= 0)) return null;
    const last = this.last;
    if (last !== null && this.disjoint && rva >= last.vStart && rva < last.vEnd) return last;
    const rs = this.regions;
    let lo = 0;
    let hi = rs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rs[mid]!.vStart <= rva) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Overlapping sections: walk back to one that covers rva (bounded by the region count).
    for (let i = found; i >= 0; i--) {
      const r = rs[i]!;
      if (rva < r.vEnd) {
        this.last = r;
        return r;
      }
    }
    return null;
  }

  /** The file offset holding the byte at `rva`, or null when it is not backed by the file (zeros, or unmapped). */
  rvaToOffset(rva: number): number | null {
    if (this.flat) return rva >= 0 && rva < this.fileSize ? rva : null;
    const r = this.regionOf(rva);
    if (r === null) return null;
    const delta = rva - r.vStart;
    return delta < r.rLen ? r.rStart + delta : null;
  }

  /** True when `rva` is inside the mapped image (file-backed or zero-filled). */
  isMapped(rva: number): boolean {
    if (this.flat) return rva >= 0 && rva < this.fileSize;
    return this.regionOf(rva) !== null;
  }

  /** The RVA at which the byte at file offset `offset` is mapped, or null when no section maps it. */
  offsetToRva(offset: number): number | null {
    if (this.flat) return offset >= 0 && offset < this.fileSize ? offset : null;
    for (const r of this.regions) {
      if (offset >= r.rStart && offset < r.rStart + r.rLen) return r.vStart + (offset - r.rStart);
    }
    return null;
  }

  /**
   * `length` bytes at `rva` as the loaded image holds them: file bytes, zeros past a section's raw data. Returns a
   * view into `data` when the whole run is file-backed, a copy otherwise; null when `rva` is not mapped at all.
   * A read running past the end of the image is cut there.
   */
  read(data: Uint8Array, rva: number, length: number): Uint8Array | null {
    if (!(length >= 0)) return null;
    if (this.flat) {
      if (!(rva >= 0 && rva < this.fileSize)) return null;
      return data.subarray(rva, Math.min(this.fileSize, rva + length));
    }
    const r = this.regionOf(rva);
    if (r === null) return null;
    const delta = rva - r.vStart;
    if (delta + length <= r.rLen) return data.subarray(r.rStart + delta, r.rStart + delta + length);
    // Slow path: zero fill, possibly running into following regions; only so many zeros are materialised.
    const fileBacked = Math.max(0, r.rLen - delta);
    if (length > fileBacked + MAX_ZERO_FILL) length = fileBacked + MAX_ZERO_FILL;
    const out = new Uint8Array(length);
    let done = 0;
    let cur: Region | null = r;
    let at = rva;
    while (cur !== null && done < length) {
      const d = at - cur.vStart;
      const take = Math.min(length - done, cur.vEnd - at);
      const fileTake = Math.max(0, Math.min(take, cur.rLen - d));
      if (fileTake > 0) out.set(data.subarray(cur.rStart + d, cur.rStart + d + fileTake), done);
      done += take;
      at += take;
      const next = this.regionOf(at);
      cur = next !== null && next !== cur ? next : null;
    }
    return done < length ? out.subarray(0, done) : out;
  }

  /**
   * True when some byte of [rva, rva + length) should come from the file but the file ends first: a truncated file
   * whose sections promise more raw data than it holds. Such bytes read as zeros, which can look like terminators.
   */
  cutOff(rva: number, length: number): boolean {
    if (this.flat) return false; // a flat image has no promised raw sizes: reads past the file are just short
    const r = this.regionOf(rva);
    if (r === null) return false;
    const delta = rva - r.vStart;
    return delta + length > r.rLen && delta < r.rWanted;
  }

  /** How many bytes from `rva` to the end of its region (0 when unmapped), so string reads stay bounded. */
  spanFrom(rva: number): number {
    if (this.flat) return rva >= 0 && rva < this.fileSize ? this.fileSize - rva : 0;
    const r = this.regionOf(rva);
    return r === null ? 0 : r.vEnd - rva;
  }
}
