// Writes small, valid Windows registry hive files (regf) for the detection pack's host-marker fixtures.
// Hand-written because no npm library writes hives and Debian's hivex can only edit an existing one; the layout
// follows the public regf notes (base block, hbin, nk/vk/lf/sk cells) and is checked against hivexsh in tests.

export type RegValue =
  | { name: string; type: 'sz' | 'expand_sz'; data: string }
  | { name: string; type: 'dword'; data: number };

export interface RegKey {
  name: string;
  values?: RegValue[];
  subkeys?: RegKey[];
}

const BASE_BLOCK_SIZE = 4096;
const HBIN_HEADER_SIZE = 32;
const NONE = 0xffffffff;
const REG_SZ = 1;
const REG_EXPAND_SZ = 2;
const REG_DWORD = 4;
/** 2012-10-15 00:00:00 UTC as a FILETIME, so rebuilt hives are byte-identical. */
const FIXED_FILETIME = 129948480000000000n;

/** Cells are appended to one growing hbin; offsets are relative to the first hbin, as regf stores them. */
class CellWriter {
  private chunks: Uint8Array[] = [];
  private used = HBIN_HEADER_SIZE;

  /** Reserves a cell for `payload` bytes and returns its offset and a view to fill. */
  alloc(payload: number): { offset: number; view: DataView; bytes: Uint8Array } {
    const size = Math.ceil((payload + 4) / 8) * 8;
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    view.setInt32(0, -size, true);
    const offset = this.used;
    this.chunks.push(bytes);
    this.used += size;
    return { offset, view, bytes };
  }

  /** The hbin(s): one bin rounded up to 4 KiB, with the free tail as one free cell. */
  finish(): Uint8Array {
    const binSize = Math.ceil((this.used + 8) / 4096) * 4096;
    const out = new Uint8Array(binSize);
    const view = new DataView(out.buffer);
    out.set([0x68, 0x62, 0x69, 0x6e], 0); // "hbin"
    view.setUint32(4, 0, true);
    view.setUint32(8, binSize, true);
    view.setBigUint64(20, FIXED_FILETIME, true);
    let at = HBIN_HEADER_SIZE;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    view.setInt32(at, binSize - at, true); // free cell: positive size
    return out;
  }
}

function ascii(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i) & 0x7f;
}

function utf16z(text: string): Uint8Array {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

function writeValue(w: CellWriter, v: RegValue): number {
  let type: number;
  let data: Uint8Array;
  if (v.type === 'dword') {
    type = REG_DWORD;
    data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, v.data >>> 0, true);
  } else {
    type = v.type === 'sz' ? REG_SZ : REG_EXPAND_SZ;
    data = utf16z(v.data);
  }
  const vk = w.alloc(20 + v.name.length);
  ascii(vk.bytes, 4, 'vk');
  vk.view.setUint16(6, v.name.length, true);
  if (data.length <= 4) {
    // Small data lives in the offset field itself, flagged by the top bit of the size.
    vk.view.setUint32(8, (data.length | 0x80000000) >>> 0, true);
    vk.bytes.set(data, 12);
  } else {
    const cell = w.alloc(data.length);
    cell.bytes.set(data, 4);
    vk.view.setUint32(8, data.length, true);
    vk.view.setUint32(12, cell.offset, true);
  }
  vk.view.setUint32(16, type, true);
  vk.view.setUint16(20, 1, true); // VALUE_COMP_NAME: the name is ASCII
  ascii(vk.bytes, 24, v.name);
  return vk.offset;
}

function writeSecurity(w: CellWriter): number {
  // A self-relative descriptor with an empty DACL: enough for readers that follow the sk chain.
  const descriptor = [1, 0, 0x04, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 8, 0, 0, 0, 0, 0];
  const sk = w.alloc(20 + descriptor.length);
  ascii(sk.bytes, 4, 'sk');
  sk.view.setUint32(8, sk.offset, true);
  sk.view.setUint32(12, sk.offset, true);
  sk.view.setUint32(16, 1, true);
  sk.view.setUint32(20, descriptor.length, true);
  sk.bytes.set(descriptor, 24);
  return sk.offset;
}

function writeKey(w: CellWriter, key: RegKey, parent: number, security: number, isRoot: boolean, depth: number): number {
  if (depth > 32) throw new Error(`regf fixture: key tree deeper than 32 at ${key.name}`);
  const nk = w.alloc(76 + key.name.length);
  const values = key.values ?? [];
  const subkeys = [...(key.subkeys ?? [])].sort((a, b) => (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1));
  ascii(nk.bytes, 4, 'nk');
  nk.view.setUint16(6, isRoot ? 0x2c : 0x20, true); // COMP_NAME, plus HIVE_ENTRY|NO_DELETE on the root
  nk.view.setBigUint64(8, FIXED_FILETIME, true);
  nk.view.setUint32(20, parent, true);
  nk.view.setUint32(24, subkeys.length, true);
  nk.view.setUint32(32, NONE, true); // subkey list
  nk.view.setUint32(36, NONE, true); // volatile subkey list
  nk.view.setUint32(40, values.length, true);
  nk.view.setUint32(44, NONE, true);
  nk.view.setUint32(48, security, true);
  nk.view.setUint32(52, NONE, true);
  nk.view.setUint16(76, key.name.length, true);
  ascii(nk.bytes, 80, key.name);
  let maxName = 0;
  for (const s of subkeys) maxName = Math.max(maxName, s.name.length * 2);
  nk.view.setUint32(56, maxName, true);
  let maxValueName = 0;
  let maxValueData = 0;
  for (const v of values) {
    maxValueName = Math.max(maxValueName, v.name.length * 2);
    maxValueData = Math.max(maxValueData, v.type === 'dword' ? 4 : (v.data.length + 1) * 2);
  }
  nk.view.setUint32(64, maxValueName, true);
  nk.view.setUint32(68, maxValueData, true);

  if (subkeys.length > 0) {
    const children = subkeys.map((s) => writeKey(w, s, nk.offset, security, false, depth + 1));
    const lf = w.alloc(4 + subkeys.length * 8);
    ascii(lf.bytes, 4, 'lf');
    lf.view.setUint16(6, subkeys.length, true);
    subkeys.forEach((s, i) => {
      lf.view.setUint32(8 + i * 8, children[i]!, true);
      ascii(lf.bytes, 12 + i * 8, s.name.slice(0, 4));
    });
    nk.view.setUint32(32, lf.offset, true);
  }
  if (values.length > 0) {
    const offsets = values.map((v) => writeValue(w, v));
    const list = w.alloc(offsets.length * 4);
    offsets.forEach((o, i) => list.view.setUint32(4 + i * 4, o, true));
    nk.view.setUint32(44, list.offset, true);
  }
  return nk.offset;
}

/** A whole hive file: base block plus one hbin holding `root` and everything under it. */
export function buildHive(root: RegKey, fileName: string): Uint8Array {
  const w = new CellWriter();
  const security = writeSecurity(w);
  const rootOffset = writeKey(w, root, 0, security, true, 0);
  const bins = w.finish();
  const out = new Uint8Array(BASE_BLOCK_SIZE + bins.length);
  const view = new DataView(out.buffer);
  ascii(out, 0, 'regf');
  view.setUint32(4, 1, true);
  view.setUint32(8, 1, true);
  view.setBigUint64(12, FIXED_FILETIME, true);
  view.setUint32(20, 1, true);
  view.setUint32(24, 5, true);
  view.setUint32(28, 0, true);
  view.setUint32(32, 1, true);
  view.setUint32(36, rootOffset, true);
  view.setUint32(40, bins.length, true);
  view.setUint32(44, 1, true);
  const name = fileName.slice(0, 31);
  for (let i = 0; i < name.length; i++) view.setUint16(48 + i * 2, name.charCodeAt(i), true);
  let sum = 0;
  for (let i = 0; i < 508; i += 4) sum = (sum ^ view.getUint32(i, true)) >>> 0;
  if (sum === 0xffffffff) sum = 0xfffffffe;
  if (sum === 0) sum = 1;
  view.setUint32(508, sum, true);
  out.set(bins, BASE_BLOCK_SIZE);
  return out;
}
