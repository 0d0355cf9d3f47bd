// The text report of `firebreak media`: partitions, each volume's listing in tree order, anomalies. Written
// straight into large buffers, since a volume can list millions of entries and one string per line adds up.

import type { AnalysedVolume, MediaReport, MediaVolume } from '../formats/fat/analyse.js';
import { forEachInTreeOrder } from '../formats/fat/analyse.js';
import { escapeName } from '../formats/fat/checks.js';
import { type EntryTable, F_AFTER_END, F_DELETED, F_DIR, F_LONG } from '../formats/fat/entry.js';
import type { ExtractedFile } from './media-extract.js';

const CHUNK_BYTES = 1 << 20;
const HEX = '0123456789abcdef';

const hex = (n: number): string => `0x${n.toString(16)}`;
/** Control characters as \xNN, so every entry stays on one line. */
const esc = escapeName;

/** Appends text to 1 MiB buffers; full buffers become chunks, written out in order. */
class TextSink {
  readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  private flush(): void {
    if (this.at === 0) return;
    this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.at = 0;
  }

  text(s: string): void {
    this.room(s.length * 3);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** Name units `u[from, from + n)`, as escaped() writes a string; non-ASCII goes through the string form. */
  units(u: Uint16Array, from: number, n: number): void {
    this.room(n * 4);
    const b = this.buf;
    let at = this.at;
    for (let i = from; i < from + n; i++) {
      const c = u[i]!;
      if (c >= 0x20 && c < 0x7f) b[at++] = c;
      else {
        this.at = at;
        this.escaped(String.fromCharCode.apply(null, u.subarray(i, from + n) as unknown as number[]));
        return;
      }
    }
    this.at = at;
  }

  /**
   * `s` with control characters as \xNN: ASCII is copied byte by byte (cheaper than a native call for the short
   * names of a listing), anything else goes through the UTF-8 encoder.
   */
  escaped(s: string): void {
    const n = s.length;
    this.room(n * 4);
    const b = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f) b[at++] = c;
      else if (c < 0x20 || c === 0x7f) {
        b[at++] = 0x5c;
        b[at++] = 0x78;
        b[at++] = HEX.charCodeAt(c >>> 4);
        b[at++] = HEX.charCodeAt(c & 15);
      } else {
        this.at = at;
        this.text(esc(s.slice(i)));
        return;
      }
    }
    this.at = at;
  }

  line(s: string): void {
    this.text(s);
    this.byte(0x0a);
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.at++] = c;
  }

  spaces(n: number): void {
    this.room(n);
    const b = this.buf;
    for (let k = 0; k < n; k++) b[this.at++] = 0x20;
  }

  /** `v` in decimal, right-aligned in `width` columns. */
  decimal(v: number, width: number): void {
    if (!Number.isSafeInteger(v) || v < 0) {
      const s = String(v);
      this.spaces(Math.max(0, width - s.length));
      this.text(s);
      return;
    }
    let digits = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
    this.spaces(Math.max(0, width - digits));
    this.room(digits);
    for (let i = digits - 1, t = v; i >= 0; i--, t = Math.floor(t / 10)) this.buf[this.at + i] = 0x30 + (t % 10);
    this.at += digits;
  }

  /** `0x` and `v` in hex, left-aligned in `width` columns. */
  hex(v: number, width: number): void {
    if (!Number.isSafeInteger(v) || v < 0) {
      const s = String(v);
      this.text(s);
      this.spaces(Math.max(0, width - s.length));
      return;
    }
    let digits = 1;
    for (let t = v; t >= 16; t = Math.floor(t / 16)) digits++;
    this.room(digits + 2);
    this.buf[this.at++] = 0x30;
    this.buf[this.at++] = 0x78;
    for (let i = digits - 1, t = v; i >= 0; i--, t = Math.floor(t / 16)) this.buf[this.at + i] = HEX.charCodeAt(t % 16);
    this.at += digits;
    this.spaces(Math.max(0, width - digits - 2));
  }

  done(): Buffer[] {
    this.flush();
    return this.chunks;
  }
}

/** Whether row i's long name and 8.3 name are the same but for case (most differ in length, settled at once). */
function sameIgnoringCase(t: EntryTable, i: number): boolean {
  const u = t.units;
  const n = t.nameLength[i]!;
  if (n !== t.shortLength[i]) return false;
  const a = t.nameStart[i]!;
  const b = t.shortStart[i]!;
  for (let k = 0; k < n; k++) {
    const x = u[a + k]!;
    const y = u[b + k]!;
    if (x >= 0x80 || y >= 0x80) return t.name(i).toUpperCase() === t.shortName(i).toUpperCase();
    if ((x >= 0x61 && x <= 0x7a ? x - 32 : x) !== (y >= 0x61 && y <= 0x7a ? y - 32 : y)) return false;
  }
  return true;
}

/** One listing line: type (`*` when deleted), attributes, size, the entry's offset in the image, the path, notes. */
function entryLine(t: EntryTable, i: number, out: TextSink): void {
  const flags = t.flags[i]!;
  const deleted = (flags & F_DELETED) !== 0;
  out.byte(0x20);
  out.byte(0x20);
  out.byte(flags & F_DIR ? 0x64 : 0x66);
  out.byte(deleted ? 0x2a : 0x20);
  out.spaces(3);
  const a = t.attributes[i]!;
  out.byte(a & 1 ? 0x52 : 0x2d);
  out.byte(a & 2 ? 0x48 : 0x2d);
  out.byte(a & 4 ? 0x53 : 0x2d);
  out.byte(a & 0x20 ? 0x41 : 0x2d);
  out.byte(0x20);
  out.decimal(t.size[i]!, 12);
  out.byte(0x20);
  out.hex(t.entryOffset[i]!, 12);
  out.byte(0x20);
  // The folder's path, then the name straight from the table's units.
  const u = t.units;
  const ns = t.nameStart[i]!;
  const nl = t.nameLength[i]!;
  const ss = t.shortStart[i]!;
  const sl = t.shortLength[i]!;
  out.escaped(t.dirPath(i));
  out.byte(0x2f);
  out.units(u, ns, nl);
  let notes = 0;
  const note = (text: string): void => {
    out.escaped(notes++ === 0 ? '  (' : '; ');
    out.escaped(text);
  };
  if (flags & F_LONG && sl > 0 && !sameIgnoringCase(t, i)) {
    out.escaped(notes++ === 0 ? '  (8.3 ' : '; 8.3 ');
    out.units(u, ss, sl);
  }
  if (deleted) note(`deleted, recoverable: ${t.recovery(i) ?? 'none'}`);
  if (flags & F_AFTER_END) note('after end marker');
  if (notes > 0) out.byte(0x29);
  out.byte(0x0a);
}

function renderVolume(v: MediaVolume, t: EntryTable | undefined, out: TextSink): void {
  if (!v.kind) {
    out.line(`volume ${v.label} @${hex(v.offset)}: ${v.note ?? 'no volume'}`);
  } else {
    out.line(
      `volume ${v.label} @${hex(v.offset)}: ${v.kind}, ${v.clusterCount} clusters of ${v.clusterSize} bytes, label "${esc(v.volumeLabel ?? '')}", serial ${v.serial}`,
    );
    const s = v.stats!;
    out.line(`  ${s.files} files, ${s.directories} directories, ${s.deleted} deleted${s.truncated ? ' (walk stopped at a limit)' : ''}`);
    out.line(`  ${'type'.padEnd(4)} ${'attr'.padEnd(4)} ${'size'.padStart(12)} ${'entry@'.padEnd(12)} path`);
    if (t) forEachInTreeOrder(t, (i) => entryLine(t, i, out));
    if (v.unallocated) {
      const u = v.unallocated;
      out.line(`  unallocated: ${u.freeClusters} free clusters, ${u.dataClusters} hold data (${u.dataBytes} bytes)`);
    }
  }
  if (v.anomalies.length > 0) {
    out.line(`  anomalies (${v.anomalies.length}${v.anomaliesDropped ? ` + ${v.anomaliesDropped} not kept` : ''}):`);
    for (const a of v.anomalies) {
      out.line(`    ${a.severity.toUpperCase().padEnd(6)} ${a.code} ${a.offset !== undefined ? `@${hex(a.offset)} ` : ''}${esc(a.message)}`);
    }
  }
}

/** The text report as UTF-8 chunks, in order. `volumes` are the walked volumes of `r`, in the same order. */
export function renderMediaText(r: MediaReport, volumes: readonly AnalysedVolume[], extracted?: ExtractedFile[]): Buffer[] {
  const out = new TextSink();
  out.line(`${esc(r.image)}: ${r.size} bytes, partition table: ${r.scheme}${r.scheme !== 'none' ? `, ${r.partitions.length} partitions` : ''}`);
  for (const p of r.partitions) {
    out.line(`  ${p.label.padEnd(4)} ${p.type.padEnd(10)} ${p.typeName.padEnd(22)} @${hex(p.offset)} ${p.length} bytes${p.name ? ` "${esc(p.name)}"` : ''}`);
  }
  for (const a of r.partitionAnomalies) out.line(`  ${a.severity.toUpperCase().padEnd(6)} ${a.code} ${a.offset !== undefined ? `@${hex(a.offset)} ` : ''}${esc(a.message)}`);
  r.volumes.forEach((v, i) => renderVolume(v, volumes[i]?.table, out));
  if (extracted) out.line(`extracted ${extracted.length} files`);
  return out.done();
}
