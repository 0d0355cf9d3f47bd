// Writes regf hives from a key tree, straight from the format specification: the empty hive hivexregedit merges
// into, hives with the records hivex never writes (db big data, ri index roots, li/lf lists), and the malformed
// hives of the anomaly tests (built sound, then patched at the offsets this builder reports).

export interface BuildValue {
  name: string;
  type: number;
  data: Uint8Array;
  /** Store the name as UTF-16LE even when it is Latin-1. Names with wider characters always are. */
  utf16Name?: boolean;
  /** 'auto': inline up to 4 bytes, db over 16,344 bytes in a 1.4+ hive, else one cell. */
  storage?: 'auto' | 'cell' | 'db';
}

export type ListKind = 'lh' | 'lf' | 'li' | 'ri';

export interface BuildKey {
  name: string;
  utf16Name?: boolean;
  className?: string;
  /** FILETIME; default 2024-01-02T03:04:05Z. */
  lastWritten?: bigint;
  values?: BuildValue[];
  subkeys?: BuildKey[];
  /** Subkey list kind; default lh (lf when the hive's minor version is below 5). */
  list?: ListKind;
  /** For 'ri': entries per leaf, and the leaves' kind. */
  riLeaf?: number;
  riLeafKind?: Exclude<ListKind, 'ri'>;
  /** Keep the subkeys in the given order instead of sorting them (for the order anomaly). */
  keepOrder?: boolean;
  extraFlags?: number;
}

export interface BuildOptions {
  minor?: number;
  /** The base block's file-name field. */
  fileName?: string;
  sequence?: [number, number];
  /** Size of each new hive bin (a multiple of 4096). */
  hbinSize?: number;
}

export interface BuiltHive {
  bytes: Uint8Array;
  /** Absolute file offset of each key's nk cell (its size field), by hive-relative path ('' for the root). */
  keys: Map<string, number>;
  /** Absolute offset of each vk cell, by `path|valueName`. */
  values: Map<string, number>;
  /** Absolute offset of each key's subkey list cell (the ri for index roots), by path. */
  lists: Map<string, number>;
  /** Absolute offset of each value's data cell (the db cell for big data), by `path|valueName`. */
  data: Map<string, number>;
  /** Absolute offset of the shared sk cell. */
  security: number;
}

export const DEFAULT_FILETIME = 133486382450000000n; // 2024-01-02T03:04:05Z
const NO = 0xffffffff;
const BASE = 0x1000;

// ---- value data helpers ----

export function utf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
}
export const sz = (s: string): Uint8Array => utf16(`${s}\0`);
export const multiSz = (items: string[]): Uint8Array => utf16(`${items.join('\0')}\0\0`);
export function dword(n: number, bigEndian = false): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, !bigEndian);
  return b;
}
export function qword(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
}

// Independent of src/: the builder must not share the parser's mistakes.
function upper(s: string): string {
  let out = '';
  for (const ch of s) {
    const u = ch.toUpperCase();
    out += u.length === ch.length ? u : ch;
  }
  return out;
}
function hashName(name: string): number {
  const u = upper(name);
  let h = 0;
  for (let i = 0; i < u.length; i++) h = (Math.imul(h, 37) + u.charCodeAt(i)) >>> 0;
  return h;
}
function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}
function nameBytes(name: string, utf16Forced?: boolean): { bytes: Uint8Array; compressed: boolean } {
  if (!utf16Forced && isLatin1(name)) return { bytes: Uint8Array.from(name, (c) => c.charCodeAt(0)), compressed: true };
  return { bytes: utf16(name), compressed: false };
}
function byName(a: BuildKey, b: BuildKey): number {
  const x = upper(a.name);
  const y = upper(b.name);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x.charCodeAt(i) - y.charCodeAt(i);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The XOR-32 checksum of the first 508 bytes, written into place. */
export function fixChecksum(bytes: Uint8Array): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 0x200);
  let sum = 0;
  for (let i = 0; i < 0x1fc; i += 4) sum ^= dv.getUint32(i, true);
  sum >>>= 0;
  if (sum === 0xffffffff) sum = 0xfffffffe;
  if (sum === 0) sum = 1;
  dv.setUint32(0x1fc, sum, true);
}

class Writer {
  buf = new Uint8Array(1 << 16);
  dv = new DataView(this.buf.buffer);
  len = BASE;
  private binStart = 0;
  private binEnd = 0;
  private next = 0;
  constructor(private readonly hbinSize: number) {}

  private ensure(n: number): void {
    if (n <= this.buf.length) return;
    let size = this.buf.length;
    while (size < n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf);
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }

  /** A new allocated cell holding `dataLength` bytes; returns its absolute offset. */
  alloc(dataLength: number): number {
    const size = (dataLength + 4 + 7) & ~7;
    if (this.binEnd - this.next < size) this.openBin(size);
    const at = this.next;
    this.dv.setInt32(at, -size, true);
    this.next += size;
    return at;
  }

  private closeBin(): void {
    if (this.binEnd > this.next) this.dv.setInt32(this.next, this.binEnd - this.next, true);
    this.next = this.binEnd;
  }

  private openBin(cell: number): void {
    this.closeBin();
    const size = Math.max(this.hbinSize, Math.ceil((cell + 0x20) / 0x1000) * 0x1000);
    const start = this.binEnd === 0 ? BASE : this.binEnd;
    this.ensure(start + size);
    this.buf.fill(0, start, start + size);
    this.buf.set([0x68, 0x62, 0x69, 0x6e], start);
    this.dv.setUint32(start + 4, start - BASE, true);
    this.dv.setUint32(start + 8, size, true);
    if (start === BASE) this.dv.setBigUint64(start + 0x14, DEFAULT_FILETIME, true);
    this.binStart = start;
    this.binEnd = start + size;
    this.next = start + 0x20;
    this.len = this.binEnd;
    void this.binStart;
  }

  finish(): void {
    if (this.binEnd === 0) this.openBin(0);
    this.closeBin();
  }
}

/** A self-relative security descriptor: owner BUILTIN\Administrators, no DACL. */
const DESCRIPTOR = Uint8Array.from([
  1, 0, 0x04, 0x80, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0,
]);

export function buildHive(root: BuildKey, options: BuildOptions = {}): BuiltHive {
  const minor = options.minor ?? 5;
  const w = new Writer(options.hbinSize ?? 0x1000);
  const built: BuiltHive = { bytes: new Uint8Array(0), keys: new Map(), values: new Map(), lists: new Map(), data: new Map(), security: 0 };
  const rel = (absolute: number) => absolute - BASE;
  let keyCount = 0;

  const emitKey = (k: BuildKey, path: string, parent: number, isRoot: boolean): number => {
    const nb = nameBytes(k.name, k.utf16Name);
    const nk = w.alloc(0x4c + nb.bytes.length);
    keyCount++;
    built.keys.set(path, nk);
    if (isRoot) {
      const sk = w.alloc(0x14 + DESCRIPTOR.length);
      built.security = sk;
      w.buf.set([0x73, 0x6b], sk + 4);
      w.dv.setUint32(sk + 8, rel(sk), true);
      w.dv.setUint32(sk + 12, rel(sk), true);
      w.dv.setUint32(sk + 20, DESCRIPTOR.length, true);
      w.buf.set(DESCRIPTOR, sk + 24);
    }
    const s = nk + 4;
    const flags = (nb.compressed ? 0x20 : 0) | (isRoot ? 0x0c : 0) | (k.extraFlags ?? 0);
    w.buf.set([0x6e, 0x6b], s);
    w.dv.setUint16(s + 2, flags, true);
    w.dv.setBigUint64(s + 4, k.lastWritten ?? DEFAULT_FILETIME, true);
    w.dv.setUint32(s + 0x10, isRoot ? 0 : rel(parent), true);
    for (const f of [0x1c, 0x20, 0x28, 0x30]) w.dv.setUint32(s + f, NO, true);
    w.dv.setUint32(s + 0x2c, rel(built.security), true);
    w.dv.setUint16(s + 0x48, nb.bytes.length, true);
    w.buf.set(nb.bytes, s + 0x4c);

    if (k.className !== undefined) {
      const cls = utf16(k.className);
      const c = w.alloc(cls.length);
      w.buf.set(cls, c + 4);
      w.dv.setUint32(nk + 4 + 0x30, rel(c), true);
      w.dv.setUint16(nk + 4 + 0x4a, cls.length, true);
    }

    const values = k.values ?? [];
    if (values.length > 0) {
      const list = w.alloc(4 * values.length);
      let maxName = 0;
      let maxData = 0;
      values.forEach((v, i) => {
        const vn = nameBytes(v.name, v.utf16Name);
        const vk = w.alloc(0x14 + vn.bytes.length);
        built.values.set(`${path}|${v.name}`, vk);
        w.dv.setUint32(list + 4 + 4 * i, rel(vk), true);
        const t = vk + 4;
        w.buf.set([0x76, 0x6b], t);
        w.dv.setUint16(t + 2, vn.bytes.length, true);
        w.dv.setUint32(t + 0x0c, v.type >>> 0, true);
        w.dv.setUint16(t + 0x10, vn.compressed && vn.bytes.length > 0 ? 1 : 0, true);
        w.buf.set(vn.bytes, t + 0x14);
        const n = v.data.length;
        const storage = v.storage ?? 'auto';
        if (n <= 4 && storage === 'auto') {
          w.dv.setUint32(t + 4, (n | 0x80000000) >>> 0, true);
          w.dv.setUint32(t + 8, 0, true);
          w.buf.set(v.data, t + 8);
        } else if (storage === 'db' || (storage === 'auto' && n > 16344 && minor > 3)) {
          const segs: number[] = [];
          for (let o = 0; o < n; o += 16344) {
            const chunk = v.data.subarray(o, Math.min(n, o + 16344));
            // Four bytes of slack per segment, as in hives Windows writes: libhivex reads a segment as its cell
            // less 8 bytes, and would otherwise drop the tail of a short last segment.
            const c = w.alloc(chunk.length + 4);
            w.buf.set(chunk, c + 4);
            segs.push(c);
          }
          const segList = w.alloc(4 * segs.length);
          segs.forEach((c, j) => w.dv.setUint32(segList + 4 + 4 * j, rel(c), true));
          const db = w.alloc(8);
          w.buf.set([0x64, 0x62], db + 4);
          w.dv.setUint16(db + 6, segs.length, true);
          w.dv.setUint32(db + 8, rel(segList), true);
          w.dv.setUint32(t + 4, n, true);
          w.dv.setUint32(t + 8, rel(db), true);
          built.data.set(`${path}|${v.name}`, db);
        } else {
          const c = w.alloc(n);
          w.buf.set(v.data, c + 4);
          w.dv.setUint32(t + 4, n, true);
          w.dv.setUint32(t + 8, rel(c), true);
          built.data.set(`${path}|${v.name}`, c);
        }
        maxName = Math.max(maxName, v.name.length * 2);
        maxData = Math.max(maxData, n);
      });
      const ns = nk + 4;
      w.dv.setUint32(ns + 0x24, values.length, true);
      w.dv.setUint32(ns + 0x28, rel(list), true);
      w.dv.setUint32(ns + 0x3c, maxName, true);
      w.dv.setUint32(ns + 0x40, maxData, true);
    }

    const subkeys = k.keepOrder ? [...(k.subkeys ?? [])] : [...(k.subkeys ?? [])].sort(byName);
    if (subkeys.length > 0) {
      const children = subkeys.map((c) => ({ key: c, at: emitKey(c, path === '' ? c.name : `${path}\\${c.name}`, nk, false) }));
      const leaf = (kind: Exclude<ListKind, 'ri'>, items: typeof children): number => {
        if (items.length > 0xffff) throw new Error(`builder: ${items.length} entries do not fit one ${kind} list`);
        const width = kind === 'li' ? 4 : 8;
        const c = w.alloc(4 + width * items.length);
        w.buf.set([kind.charCodeAt(0), kind.charCodeAt(1)], c + 4);
        w.dv.setUint16(c + 6, items.length, true);
        items.forEach((it, i) => {
          const e = c + 8 + width * i;
          w.dv.setUint32(e, rel(it.at), true);
          if (kind === 'lh') w.dv.setUint32(e + 4, hashName(it.key.name), true);
          if (kind === 'lf') {
            const name = it.key.name;
            if (isLatin1(name.slice(0, 4))) for (let j = 0; j < Math.min(4, name.length); j++) w.buf[e + 4 + j] = name.charCodeAt(j);
          }
        });
        return c;
      };
      const kind = k.list ?? (minor < 5 ? 'lf' : 'lh');
      let list: number;
      if (kind === 'ri') {
        const per = k.riLeaf ?? 512;
        const leaves: number[] = [];
        for (let i = 0; i < children.length; i += per) leaves.push(leaf(k.riLeafKind ?? 'lh', children.slice(i, i + per)));
        list = w.alloc(4 + 4 * leaves.length);
        w.buf.set([0x72, 0x69], list + 4);
        w.dv.setUint16(list + 6, leaves.length, true);
        leaves.forEach((l, i) => w.dv.setUint32(list + 8 + 4 * i, rel(l), true));
      } else {
        list = leaf(kind, children);
      }
      built.lists.set(path, list);
      const ns = nk + 4;
      w.dv.setUint32(ns + 0x14, subkeys.length, true);
      w.dv.setUint32(ns + 0x1c, rel(list), true);
      w.dv.setUint32(ns + 0x34, Math.max(...subkeys.map((c) => c.name.length * 2)), true);
    }
    return nk;
  };

  emitKey(root, '', 0, true);
  w.finish();
  w.dv.setUint32(built.security + 16, keyCount, true);

  const bytes = w.buf.slice(0, w.len);
  const dv = new DataView(bytes.buffer);
  bytes.set([0x72, 0x65, 0x67, 0x66], 0);
  const [seq1, seq2] = options.sequence ?? [1, 1];
  dv.setUint32(4, seq1, true);
  dv.setUint32(8, seq2, true);
  dv.setBigUint64(12, DEFAULT_FILETIME, true);
  dv.setUint32(0x14, 1, true);
  dv.setUint32(0x18, minor, true);
  dv.setUint32(0x1c, 0, true);
  dv.setUint32(0x20, 1, true);
  dv.setUint32(0x24, built.keys.get('')! - BASE, true);
  dv.setUint32(0x28, w.len - BASE, true);
  dv.setUint32(0x2c, 1, true);
  bytes.set(utf16((options.fileName ?? '').slice(-31)), 0x30);
  fixChecksum(bytes);
  built.bytes = bytes;
  return built;
}

/** The smallest sound hive: a root key and its security record, two pages in all. */
export function emptyHive(options: BuildOptions & { rootName?: string } = {}): Uint8Array {
  return buildHive({ name: options.rootName ?? 'ROOT' }, options).bytes;
}
