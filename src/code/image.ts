// The mapped image code recovery reads: sections at virtual addresses, imports by IAT slot, and the known entry points.

/** One section as loaded: its bytes from the file (possibly shorter than its virtual size; the rest reads as zero). */
export interface ImageSection {
  name: string;
  va: number;
  virtualSize: number;
  data: Uint8Array;
  executable: boolean;
  writable: boolean;
}

export interface ImportRef {
  /** Module name as written in the import table, e.g. `KERNEL32.dll`. */
  dll: string;
  /** Imported name; for an import by ordinal, the ordinal table's name for it (or null, or `ord<N>`, when it has none). */
  name: string | null;
  /** Set only for an import by ordinal. */
  ordinal: number | null;
}

export type EntryKind = 'entry' | 'export' | 'tls' | 'pdata';

export interface EntryPoint {
  va: number;
  kind: EntryKind;
  name?: string;
  /** For .pdata entries: the end of the function's range (exclusive). */
  end?: number;
}

/** What code recovery needs of an executable; built from formats/pe by fromPe (code/pe-image.ts). */
export interface CodeImage {
  bitness: 32 | 64;
  imageBase: number;
  sizeOfImage: number;
  /** The file's headers, mapped at imageBase. */
  headers: Uint8Array;
  sections: ImageSection[];
  /** Entry point, exports (not forwarded), TLS callbacks, .pdata function starts. */
  entryPoints: EntryPoint[];
  /** IAT slot virtual address to the import it holds. */
  imports: Map<number, ImportRef>;
  /** Virtual addresses of pointer-sized slots the base relocations fix up, when the file has relocations. */
  relocatedSlots: number[] | null;
}

function extent(s: ImageSection): number {
  return Math.max(s.virtualSize, s.data.length);
}

/** Reads the image by virtual address, bounds-checked; addresses outside every section read as unmapped. */
export class ImageView {
  private readonly sorted: ImageSection[];
  private last: ImageSection | null = null;

  private readonly overlapping: boolean;

  constructor(readonly image: CodeImage) {
    this.sorted = [...image.sections].sort((a, b) => a.va - b.va);
    this.overlapping = this.sorted.some((s, i) => i > 0 && s.va < this.sorted[i - 1]!.va + extent(this.sorted[i - 1]!));
  }

  get bitness(): 32 | 64 {
    return this.image.bitness;
  }

  get pointerSize(): 4 | 8 {
    return this.image.bitness === 64 ? 8 : 4;
  }

  /**
   * The section holding `va`, or null (the headers count as no section). Where hostile headers make sections
   * overlap, the answer is always the last section starting at or below `va` that covers it, so every caller sees
   * the same bytes at an address; the one-entry cache is only used when no sections overlap.
   */
  sectionAt(va: number): ImageSection | null {
    const l = this.last;
    if (l && !this.overlapping && va >= l.va && va < l.va + extent(l)) return l;
    const rs = this.sorted;
    let lo = 0;
    let hi = rs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rs[mid]!.va <= va) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = found; i >= 0; i--) {
      const s = rs[i]!;
      if (va < s.va + extent(s)) {
        this.last = s;
        return s;
      }
    }
    return null;
  }

  /** True when `va` lies in a section or in the mapped headers. */
  isMapped(va: number): boolean {
    if (va >= this.image.imageBase && va < this.image.imageBase + this.image.headers.length) return true;
    return this.sectionAt(va) !== null;
  }

  isExecutable(va: number): boolean {
    const s = this.sectionAt(va);
    return s !== null && s.executable;
  }

  /**
   * Up to `max` bytes from `va` to the end of its section's file data (a view, not a copy), or null when unmapped.
   * Bytes past the file data but inside the virtual size are zero in memory; callers that need them get them short.
   */
  bytesAt(va: number, max: number): Uint8Array | null {
    const base = this.image.imageBase;
    if (va >= base && va < base + this.image.headers.length) {
      const off = va - base;
      return this.image.headers.subarray(off, Math.min(off + max, this.image.headers.length));
    }
    const s = this.sectionAt(va);
    if (!s) return null;
    const off = va - s.va;
    if (off >= s.data.length) return new Uint8Array(0);
    return s.data.subarray(off, Math.min(off + max, s.data.length));
  }

  readU8(va: number): number | null {
    const b = this.bytesAt(va, 1);
    return b && b.length === 1 ? b[0]! : null;
  }

  readU32(va: number): number | null {
    const b = this.bytesAt(va, 4);
    if (!b || b.length < 4) return null;
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  /** A pointer-sized value as a number; 64-bit values above 2^53 come back as null (no image lives there). */
  readPointer(va: number): number | null {
    if (this.pointerSize === 4) return this.readU32(va);
    const lo = this.readU32(va);
    const hi = this.readU32(va + 4);
    if (lo === null || hi === null) return null;
    if (hi >= 0x200000) return null;
    return hi * 0x100000000 + lo;
  }
}
