// Builds malformed PE files from valid ones, one per anomaly, by editing header fields and bytes in a copy.

import { peChecksum } from '../../src/formats/pe/checksum.js';
import { parsePe, type PeFile } from '../../src/formats/pe/index.js';
import { richChecksum } from '../../src/formats/pe/rich.js';
import type { RichEntry } from '../../src/formats/pe/types.js';

/** A parsed copy of a PE file with setters for the fields the malformed fixtures change. */
export class PeEditor {
  readonly bytes: Buffer;
  readonly pe: PeFile;

  constructor(source: Uint8Array) {
    this.bytes = Buffer.from(source);
    const pe = parsePe(this.bytes);
    if (!pe.isPe) throw new Error(`not a PE file: ${pe.reason}`);
    this.pe = pe;
  }

  get optionalOffset(): number {
    return this.pe.optional.offset;
  }

  u32(offset: number, value: number): this {
    this.bytes.writeUInt32LE(value >>> 0, offset);
    return this;
  }

  u16(offset: number, value: number): this {
    this.bytes.writeUInt16LE(value & 0xffff, offset);
    return this;
  }

  /** Offset of an optional-header field by its PE32 offset (the fields before ImageBase are at the same place). */
  entryPoint(rva: number): this {
    return this.u32(this.optionalOffset + 16, rva);
  }

  timeDateStamp(t: number): this {
    return this.u32(this.pe.coff.offset + 4, t);
  }

  sizeOfImage(v: number): this {
    return this.u32(this.optionalOffset + 56, v);
  }

  checkSum(v: number): this {
    return this.u32(this.optionalOffset + 64, v);
  }

  /** Sets the stored checksum to the one computed over the current bytes. */
  fixChecksum(): this {
    return this.checkSum(peChecksum(this.bytes, this.optionalOffset + 64));
  }

  directoryOffset(index: number): number {
    return this.optionalOffset + (this.pe.is64 ? 112 : 96) + index * 8;
  }

  directory(index: number, rva: number, size: number): this {
    return this.u32(this.directoryOffset(index), rva).u32(this.directoryOffset(index) + 4, size);
  }

  sectionIndex(name: string): number {
    const i = this.pe.sections.findIndex((s) => (s.longName ?? s.name) === name);
    if (i < 0) throw new Error(`no section ${name}`);
    return i;
  }

  section(i: number, field: 'virtualSize' | 'virtualAddress' | 'sizeOfRawData' | 'pointerToRawData' | 'characteristics', value: number): this {
    const at = { virtualSize: 8, virtualAddress: 12, sizeOfRawData: 16, pointerToRawData: 20, characteristics: 36 }[field];
    return this.u32(this.pe.sections[i]!.headerOffset + at, value);
  }

  sectionName(i: number, name: string): this {
    const h = this.pe.sections[i]!.headerOffset;
    this.bytes.fill(0, h, h + 8);
    this.bytes.write(name.slice(0, 8), h, 'latin1');
    return this;
  }

  /** The file offset of the byte at `rva`. */
  offsetOf(rva: number): number {
    const o = this.pe.map.rvaToOffset(rva);
    if (o === null) throw new Error(`RVA 0x${rva.toString(16)} is not in the file`);
    return o;
  }

  /** An RVA past every section and past SizeOfImage. */
  outsideRva(): number {
    return this.pe.map.regions.reduce((m, r) => Math.max(m, r.vEnd), this.pe.optional.sizeOfImage) + 0x10000;
  }

  truncate(length: number): Buffer {
    return this.bytes.subarray(0, length);
  }
}

/**
 * `length` bytes of which `zeros` are zero and the rest cycle through 1..255, shuffled (deterministically): with the
 * non-zero values this even, the entropy is as high as `zeros` zero bytes allow, which puts it on the zero-count bound
 * of the high-entropy check (formats/pe/entropybound.ts) and makes the hardest case for it.
 */
export function zerosAndEven(length: number, zeros: number, seed = 1): Buffer {
  const d = Buffer.alloc(length);
  for (let i = zeros; i < length; i++) d[i] = 1 + ((i - zeros) % 255);
  const r = noise(4 * length, seed);
  for (let i = length - 1; i > 0; i--) {
    const j = r.readUInt32LE(4 * i) % (i + 1);
    const t = d[i]!;
    d[i] = d[j]!;
    d[j] = t;
  }
  return d;
}

/** Deterministic pseudo-random bytes (xorshift32), so high-entropy fixtures are the same on every run. */
export function noise(length: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * Moves the NT headers (signature, COFF and optional headers, section table) `by` bytes further into the header
 * padding, so a Rich header fits before them, as MSVC's linker lays files out.
 */
function makeRoomAfterStub(src: Uint8Array, by: number): Buffer {
  const e = new PeEditor(src);
  const pe = e.pe;
  const start = pe.dos.lfanew;
  const end = pe.sectionTableOffset + pe.sections.length * 40;
  const firstRaw = Math.min(...pe.sections.filter((s) => s.pointerToRawData > 0).map((s) => s.pointerToRawData), pe.optional.sizeOfHeaders);
  if (end + by > firstRaw) throw new Error('no room in the headers for a Rich header');
  const out = Buffer.from(src);
  out.copy(out, start + by, start, end);
  out.fill(0, start, start + by);
  out.writeUInt32LE(start + by, 0x3c);
  return out;
}

/**
 * Adds a Rich header for `entries` after the DOS stub. With `validKey` the key is the true checksum, as a linker
 * writes it; otherwise it is off by one (an edited header).
 */
export function withRichHeader(src: Uint8Array, entries: readonly RichEntry[], validKey = true): Buffer {
  const size = 16 + entries.length * 8 + 8;
  const room = Math.ceil(size / 16) * 16;
  const out = makeRoomAfterStub(src, room);
  const start = 0x80;
  if (new PeEditor(src).pe.dos.lfanew !== start) throw new Error('expected the PE header at 0x80');
  const key = (richChecksum(out, start, entries) + (validKey ? 0 : 1)) >>> 0;
  out.writeUInt32LE((0x536e6144 ^ key) >>> 0, start);
  for (let i = 1; i < 4; i++) out.writeUInt32LE(key, start + 4 * i);
  entries.forEach((e, i) => {
    out.writeUInt32LE((((e.productId << 16) | e.build) ^ key) >>> 0, start + 16 + 8 * i);
    out.writeUInt32LE((e.count ^ key) >>> 0, start + 20 + 8 * i);
  });
  out.write('Rich', start + 16 + entries.length * 8, 'latin1');
  out.writeUInt32LE(key, start + 20 + entries.length * 8);
  return new PeEditor(out).fixChecksum().bytes;
}

/** Writes `payload` into zero slack at the end of some section's file bytes; returns its RVA. */
export function placeInSlack(e: PeEditor, payload: Uint8Array): number {
  for (const s of e.pe.sections) {
    if (s.virtualSize === 0 || s.sizeOfRawData <= s.virtualSize) continue;
    const end = s.pointerToRawData + s.sizeOfRawData;
    for (let at = (s.pointerToRawData + s.virtualSize + 15) & ~15; at + payload.length <= end; at += 16) {
      // Leave 16 zero bytes before the payload, so whatever ends at the section's data is not extended.
      if (!e.bytes.subarray(at - 16, at + payload.length).every((b) => b === 0)) continue;
      e.bytes.set(payload, at);
      return e.pe.map.offsetToRva(at)!;
    }
  }
  throw new Error('no section slack large enough');
}

/**
 * Adds a minimal .NET CLR header and metadata root ("BSJB", runtime version `version`) in section slack and points
 * data directory 14 at it, so the CLR parser has something real-shaped to read (MinGW cannot build .NET images).
 */
export function withClrHeader(src: Uint8Array, version = 'v4.0.30319', flags = 0x1): Buffer {
  const e = new PeEditor(src);
  const ver = Buffer.alloc(Math.ceil((version.length + 1) / 4) * 4);
  ver.write(version, 'latin1');
  const root = Buffer.alloc(16 + ver.length + 4);
  root.writeUInt32LE(0x424a5342, 0);
  root.writeUInt16LE(1, 4);
  root.writeUInt16LE(1, 6);
  root.writeUInt32LE(ver.length, 12);
  ver.copy(root, 16);
  const metaRva = placeInSlack(e, root);
  const cor = Buffer.alloc(72);
  cor.writeUInt32LE(72, 0);
  cor.writeUInt16LE(2, 4);
  cor.writeUInt16LE(5, 6);
  cor.writeUInt32LE(metaRva, 8);
  cor.writeUInt32LE(root.length, 12);
  cor.writeUInt32LE(flags, 16);
  cor.writeUInt32LE(0x06000001, 20);
  const corRva = placeInSlack(e, cor);
  return e.directory(14, corRva, 72).fixChecksum().bytes;
}

/**
 * Adds a load configuration directory as MSVC writes one (security cookie, Control Flow Guard table and flags) in
 * section slack, and sets GUARD_CF in DllCharacteristics. MinGW's linker writes none.
 */
export function withLoadConfig(src: Uint8Array): Buffer {
  const e = new PeEditor(src);
  const is64 = e.pe.is64;
  const w = is64 ? 8 : 4;
  const size = 32 + 14 * w + 4;
  const lc = Buffer.alloc(size);
  lc.writeUInt32LE(size, 0);
  const base = e.pe.imageBase;
  const ptr = (off: number, v: bigint): void => {
    if (is64) lc.writeBigUInt64LE(v, off);
    else lc.writeUInt32LE(Number(v), off);
  };
  const data = e.pe.sections.find((s) => s.name === '.data')!;
  ptr(32 + 7 * w, base + BigInt(data.virtualAddress + 0x10)); // SecurityCookie
  ptr(32 + 10 * w, base + BigInt(data.virtualAddress + 0x20)); // GuardCFCheckFunctionPointer
  ptr(32 + 12 * w, base + BigInt(data.virtualAddress + 0x30)); // GuardCFFunctionTable
  ptr(32 + 13 * w, 0n); // GuardCFFunctionCount
  lc.writeUInt32LE(0x10500, 32 + 14 * w); // CF_INSTRUMENTED | CF_FUNCTION_TABLE_PRESENT | CF_LONGJUMP_TABLE_PRESENT
  const rva = placeInSlack(e, lc);
  e.u16(e.optionalOffset + 70, e.pe.optional.dllCharacteristics | 0x4000);
  return e.directory(10, rva, size).fixChecksum().bytes;
}

/**
 * Adds a bound import table in the header padding, where linkers put it: two DLLs, one with a forwarder reference.
 * The names follow the descriptors; offsets are from the table's start.
 */
export function withBoundImports(src: Uint8Array): Buffer {
  const e = new PeEditor(src);
  const names = ['KERNEL32.dll', 'NTDLL.DLL', 'msvcrt.dll'];
  const records = 4; // two descriptors, one forwarder reference, the terminator
  const table = Buffer.alloc(records * 8 + names.reduce((n, s) => n + s.length + 1, 0));
  let nameAt = records * 8;
  const offsets = names.map((s) => {
    const o = nameAt;
    table.write(s, o, 'latin1');
    nameAt += s.length + 1;
    return o;
  });
  const rec = (i: number, ts: number, name: number, count: number): void => {
    table.writeUInt32LE(ts, i * 8);
    table.writeUInt16LE(name, i * 8 + 4);
    table.writeUInt16LE(count, i * 8 + 6);
  };
  rec(0, 0x5ea1b2c3, offsets[0]!, 1);
  rec(1, 0x5ea1b2c4, offsets[1]!, 0);
  rec(2, 0x5ea1b2c5, offsets[2]!, 0);
  const at = (e.pe.sectionTableOffset + e.pe.sections.length * 40 + 0x20 + 15) & ~15;
  const firstRaw = Math.min(...e.pe.sections.filter((s) => s.pointerToRawData > 0).map((s) => s.pointerToRawData));
  if (at + table.length > Math.min(firstRaw, e.pe.optional.sizeOfHeaders)) throw new Error('no room in the headers for bound imports');
  table.copy(e.bytes, at);
  return e.directory(11, at, table.length).fixChecksum().bytes;
}
