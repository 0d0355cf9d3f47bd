// Hand-built worst cases for the parser's limits and budgets: files no mutation of a small program is likely to reach
// (thousands of overlapping sections, tens of thousands of names, a resource tree that fans out to its budget).

/** A minimal PE32+ image builder: one data blob per section, laid out at 0x1000-aligned RVAs and 0x200-aligned offsets. */
export interface BuildSection {
  name: string;
  data: Uint8Array;
  characteristics?: number;
  /** Overrides for hostile layouts. */
  virtualSize?: number;
  pointerToRawData?: number;
  sizeOfRawData?: number;
  virtualAddress?: number;
}

const FILE_ALIGN = 0x200;
const SECT_ALIGN = 0x1000;
const align = (v: number, a: number): number => Math.ceil(v / a) * a;

export interface Built {
  bytes: Uint8Array;
  /** RVA of each section, in order. */
  rvas: number[];
}

/** `directories`: [index, rva, size]. Sections may be given RVAs of their own; otherwise they follow one another. */
export function buildPe(sections: readonly BuildSection[], directories: readonly [number, number, number][] = [], extraHeader = 0): Built {
  const optSize = 240;
  const headerEnd = 0x40 + 4 + 20 + optSize + sections.length * 40 + extraHeader;
  const sizeOfHeaders = align(headerEnd, FILE_ALIGN);
  let raw = sizeOfHeaders;
  let rva = align(sizeOfHeaders, SECT_ALIGN);
  const rvas: number[] = [];
  const layout = sections.map((s) => {
    const r = s.virtualAddress ?? rva;
    rvas.push(r);
    const at = { rva: r, raw };
    rva = align(r + Math.max(s.data.length, 1), SECT_ALIGN);
    raw += align(s.data.length, FILE_ALIGN);
    return at;
  });
  const out = new Uint8Array(raw);
  const dv = new DataView(out.buffer);
  out.set([0x4d, 0x5a]);
  dv.setUint32(0x3c, 0x40, true);
  dv.setUint32(0x40, 0x4550, true);
  const coff = 0x44;
  dv.setUint16(coff, 0x8664, true);
  dv.setUint16(coff + 2, sections.length, true);
  dv.setUint32(coff + 4, 0x60000000, true);
  dv.setUint16(coff + 16, optSize, true);
  dv.setUint16(coff + 18, 0x2022, true);
  const o = coff + 20;
  dv.setUint16(o, 0x20b, true);
  dv.setUint32(o + 16, layout[0]?.rva ?? 0, true);
  dv.setBigUint64(o + 24, 0x180000000n, true);
  dv.setUint32(o + 32, SECT_ALIGN, true);
  dv.setUint32(o + 36, FILE_ALIGN, true);
  dv.setUint32(o + 56, rva, true);
  dv.setUint32(o + 60, sizeOfHeaders, true);
  dv.setUint16(o + 68, 3, true);
  dv.setUint32(o + 108, 16, true);
  for (const [i, r, size] of directories) {
    dv.setUint32(o + 112 + 8 * i, r, true);
    dv.setUint32(o + 116 + 8 * i, size, true);
  }
  sections.forEach((s, i) => {
    const h = o + optSize + 40 * i;
    for (let k = 0; k < Math.min(8, s.name.length); k++) out[h + k] = s.name.charCodeAt(k);
    dv.setUint32(h + 8, s.virtualSize ?? s.data.length, true);
    dv.setUint32(h + 12, layout[i]!.rva, true);
    dv.setUint32(h + 16, s.sizeOfRawData ?? align(s.data.length, FILE_ALIGN), true);
    dv.setUint32(h + 20, s.pointerToRawData ?? layout[i]!.raw, true);
    dv.setUint32(h + 36, s.characteristics ?? 0x40000040, true);
    out.set(s.data, layout[i]!.raw);
  });
  return { bytes: out, rvas };
}

/** 1,500 sections, each claiming most of a 1 MiB body with a different end: every entropy and md5 range differs. */
export function overlappingSections(): Uint8Array {
  const count = 1500;
  const bodySize = 0x100000;
  const body = new Uint8Array(bodySize);
  for (let i = 0; i < bodySize; i++) body[i] = (i * 7919) >>> 3;
  const sections: BuildSection[] = [{ name: '.body', data: body }];
  for (let i = 1; i < count; i++) sections.push({ name: `.s${i}`, data: new Uint8Array(0), virtualSize: 0x1000 });
  const built = buildPe(sections);
  const dv = new DataView(built.bytes.buffer);
  const table = 0x40 + 4 + 20 + 240;
  const bodyAt = dv.getUint32(table + 20, true);
  for (let i = 1; i < count; i++) {
    const h = table + 40 * i;
    dv.setUint32(h + 16, bodySize - i, true);
    dv.setUint32(h + 20, bodyAt, true);
  }
  return built.bytes;
}

/** An export table with 65,536 names, each pointing into one long run of letters, so every name hits its length cap. */
export function exportNameFlood(): Uint8Array {
  const n = 0x10000;
  const letters = 0x2000;
  const size = 40 + n * 4 + n * 4 + n * 2 + letters + 1;
  const data = new Uint8Array(size);
  const dv = new DataView(data.buffer);
  const base = 0x1000;
  const eat = 40;
  const names = eat + n * 4;
  const ords = names + n * 4;
  const text = ords + n * 2;
  dv.setUint32(16, 1, true);
  dv.setUint32(20, n, true);
  dv.setUint32(24, n, true);
  dv.setUint32(28, base + eat, true);
  dv.setUint32(32, base + names, true);
  dv.setUint32(36, base + ords, true);
  data.fill(0x41, text, text + letters);
  for (let i = 0; i < n; i++) {
    dv.setUint32(eat + 4 * i, 0x10 + i, true);
    dv.setUint32(names + 4 * i, base + text + (i % (letters - 0x200)), true);
    dv.setUint16(ords + 2 * i, i, true);
  }
  return buildPe([{ name: '.edata', data }], [[0, base, 40]]).bytes;
}

/** One import descriptor whose lookup table holds 70,000 thunks, each naming a distinct long string. */
export function importThunkFlood(): Uint8Array {
  const n = 70000;
  const letters = 0x2000;
  const base = 0x1000;
  const desc = 0;
  const ilt = 40;
  const text = ilt + (n + 1) * 8;
  const data = new Uint8Array(text + letters + 16);
  const dv = new DataView(data.buffer);
  dv.setUint32(desc, base + ilt, true);
  dv.setUint32(desc + 12, base + text, true);
  dv.setUint32(desc + 16, base + ilt, true);
  data.fill(0x41, text, text + letters);
  for (let i = 0; i < n; i++) dv.setBigUint64(ilt + 8 * i, BigInt(base + text + (i % (letters - 0x200))), true);
  return buildPe([{ name: '.idata', data, characteristics: 0xc0000040 }], [[1, base, 40]]).bytes;
}

/** A resource tree nine levels deep whose 4,096 entries per level all point at the next directory (a DAG, not a cycle). */
export function resourceFanOut(): Uint8Array {
  const entries = 4096;
  const levels = 9;
  const dirSize = 16 + entries * 8;
  const data = new Uint8Array(dirSize * levels + 16 + 64);
  const dv = new DataView(data.buffer);
  const leaf = dirSize * levels;
  for (let l = 0; l < levels; l++) {
    const d = l * dirSize;
    dv.setUint16(d + 14, entries, true);
    for (let i = 0; i < entries; i++) {
      dv.setUint32(d + 16 + 8 * i, i + 1, true);
      dv.setUint32(d + 20 + 8 * i, l + 1 < levels ? (0x80000000 | ((l + 1) * dirSize)) >>> 0 : leaf, true);
    }
  }
  dv.setUint32(leaf, 0x1000 + leaf + 16, true);
  dv.setUint32(leaf + 4, 64, true);
  return buildPe([{ name: '.rsrc', data }], [[2, 0x1000, data.length]]).bytes;
}

export const ADVERSARIAL: readonly [string, () => Uint8Array][] = [
  ['1,500 overlapping sections', overlappingSections],
  ['65,536 export names', exportNameFlood],
  ['70,000 import thunks', importThunkFlood],
  ['resource tree fanning out to its entry budget', resourceFanOut],
];
