// Small non-cryptographic hashes for feature identities: FNV-1a 64 as hex, and a 32-bit finaliser for MinHash.

const FNV64_OFFSET_HI = 0xcbf29ce4;
const FNV64_OFFSET_LO = 0x84222325;

/** Streaming FNV-1a 64 over bytes or UTF-16 code units, kept as two uint32 halves (no BigInt on the hot path). */
export class Fnv64 {
  private hi = FNV64_OFFSET_HI;
  private lo = FNV64_OFFSET_LO;

  /** Mixes one value 0..255 (callers feed bytes, or code units split into bytes). */
  byte(b: number): void {
    const lo = (this.lo ^ b) >>> 0;
    // Multiply by the 64-bit FNV prime 0x100000001b3 = 2^40 + 0x1b3, in 32-bit halves.
    const loMul = lo * 0x1b3;
    const newLo = loMul >>> 0;
    const carry = Math.floor(loMul / 0x100000000);
    const newHi = (Math.imul(this.hi, 0x1b3) + carry + ((lo << 8) >>> 0)) >>> 0;
    this.hi = newHi;
    this.lo = newLo;
  }

  text(s: string): this {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) this.byte(c >>> 8);
      this.byte(c & 0xff);
    }
    return this;
  }

  bytes(data: Uint8Array): this {
    for (let i = 0; i < data.length; i++) this.byte(data[i]!);
    return this;
  }

  /** 16 lower-case hex digits. */
  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

export function fnv64Hex(s: string): string {
  return new Fnv64().text(s).hex();
}

/** Murmur3's 32-bit finaliser: a cheap bijective mixer, used to derive many MinHash permutations from one hash. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The low 32 bits of a 16-hex-digit feature hash, as the MinHash input. */
export function low32(hex16: string): number {
  return Number.parseInt(hex16.slice(8, 16), 16) >>> 0;
}
