// The resource tree (type / name / language), read with a depth limit, an entry budget and a guard against cycles.

import type { AnomalySink } from './anomalies.js';
import { u16, u32, utf16n, utf16z, utf8 } from './bytes.js';
import { DIR_RESOURCE, RESOURCE_TYPE_NAMES, RT_MANIFEST } from './constants.js';
import { bytesAt, fileSpan, type PeContext } from './context.js';
import type { ResourceData, ResourceDirectory, ResourceEntry, ResourceLeaf } from './types.js';

const DIRECTORY_HEADER_SIZE = 16;
const ENTRY_SIZE = 8;
const DATA_ENTRY_SIZE = 16;
const HIGH_BIT = 0x80000000;

export interface ResourceTree {
  root: ResourceDirectory | null;
  leaves: ResourceLeaf[];
}

interface Walk {
  ctx: PeContext;
  base: number;
  /** File offset for anomalies whose own bytes are outside the file: the directory entry. */
  where: number;
  an: AnomalySink;
  entriesLeft: number;
  limitReported: boolean;
  /** Names by offset: hostile trees point many entries at one name. */
  names: Map<number, string | null>;
}

function entryName(w: Walk, offset: number): string | null {
  let name = w.names.get(offset);
  if (name === undefined) {
    name = readName(w, offset);
    w.names.set(offset, name);
  }
  return name;
}

function readName(w: Walk, offset: number): string | null {
  const rva = w.base + offset;
  const len = u16OrNull(w, rva);
  if (len === null) {
    w.an.add('PE_RESOURCES_TRUNCATED', 'low', `resource name at RVA 0x${rva.toString(16)} is outside the image`, w.where);
    return null;
  }
  const units = Math.min(len, w.ctx.limits.maxResourceNameLength);
  const b = bytesAt(w.ctx, rva + 2, units * 2);
  if (b === null) return null;
  // A NUL ends the name early, as pefile reads it.
  return utf16z(b, 0, Math.floor(b.length / 2)).text;
}

function u16OrNull(w: Walk, rva: number): number | null {
  const b = bytesAt(w.ctx, rva, 2);
  return b === null || b.length < 2 ? null : u16(b, 0);
}

function readDataEntry(w: Walk, offset: number): ResourceData | null {
  const rva = w.base + offset;
  let b: Uint8Array | null = w.ctx.data;
  let o = fileSpan(w.ctx, rva, DATA_ENTRY_SIZE);
  if (o < 0) {
    b = bytesAt(w.ctx, rva, DATA_ENTRY_SIZE);
    o = 0;
    if (b === null || b.length < DATA_ENTRY_SIZE) {
      w.an.add('PE_RESOURCES_TRUNCATED', 'low', `resource data entry at RVA 0x${rva.toString(16)} is outside the image`, w.where);
      return null;
    }
  }
  const dataRva = u32(b, o);
  return { rva: dataRva, size: u32(b, o + 4), codePage: u32(b, o + 8), reserved: u32(b, o + 12), offset: w.ctx.map.rvaToOffset(dataRva) };
}

/** Reads the directory at `offset` from the resource base; `ancestors` holds the offsets on the path from the root. */
function readDirectory(w: Walk, offset: number, depth: number, ancestors: number[]): ResourceDirectory | null {
  const rva = w.base + offset;
  const h = bytesAt(w.ctx, rva, DIRECTORY_HEADER_SIZE);
  if (h === null || h.length < DIRECTORY_HEADER_SIZE || w.ctx.map.cutOff(rva, DIRECTORY_HEADER_SIZE)) {
    w.an.add('PE_RESOURCES_TRUNCATED', 'medium', `resource directory at RVA 0x${rva.toString(16)} is outside the image`, w.ctx.map.rvaToOffset(rva) ?? w.where);
    return null;
  }
  const dir: ResourceDirectory = {
    characteristics: u32(h, 0),
    timeDateStamp: u32(h, 4),
    majorVersion: u16(h, 8),
    minorVersion: u16(h, 10),
    entries: [],
  };
  let count = u16(h, 12) + u16(h, 14);
  if (count > w.entriesLeft) {
    if (!w.limitReported) {
      w.an.add('PE_LIMIT_EXCEEDED', 'medium', `more than ${w.ctx.limits.maxResourceEntries} resource entries`, w.ctx.map.rvaToOffset(rva) ?? w.where);
      w.limitReported = true;
    }
    count = w.entriesLeft;
  }
  w.entriesLeft -= count;
  const tableRva = rva + DIRECTORY_HEADER_SIZE;
  const direct = fileSpan(w.ctx, tableRva, count * ENTRY_SIZE);
  const table = direct >= 0 ? w.ctx.data : bytesAt(w.ctx, tableRva, count * ENTRY_SIZE);
  const base = direct >= 0 ? direct : 0;
  const have = direct >= 0 ? count : table === null ? 0 : Math.floor(table.length / ENTRY_SIZE);
  if (have < count) w.an.add('PE_RESOURCES_TRUNCATED', 'medium', `resource directory at RVA 0x${rva.toString(16)} holds ${have} of ${count} entries`, w.ctx.map.rvaToOffset(rva) ?? w.where);
  for (let i = 0; i < have; i++) {
    const nameField = u32(table!, base + i * ENTRY_SIZE);
    const target = u32(table!, base + i * ENTRY_SIZE + 4);
    const entry: ResourceEntry = (nameField & HIGH_BIT) !== 0
      ? { id: null, name: entryName(w, nameField & 0x7fffffff) }
      : { id: nameField, name: null };
    const childOffset = target & 0x7fffffff;
    if ((target & HIGH_BIT) !== 0) {
      // With the entry budget spent, deeper directories would only come back empty.
      if (w.entriesLeft <= 0) {
        if (!w.limitReported) {
          w.an.add('PE_LIMIT_EXCEEDED', 'medium', `more than ${w.ctx.limits.maxResourceEntries} resource entries`, w.ctx.map.rvaToOffset(rva) ?? w.where);
          w.limitReported = true;
        }
        break;
      }
      if (ancestors.includes(childOffset)) {
        w.an.add('PE_RESOURCE_LOOP', 'high', `resource directory at RVA 0x${(w.base + childOffset).toString(16)} contains itself`, w.ctx.map.rvaToOffset(rva) ?? w.where);
        continue;
      }
      if (depth + 1 >= w.ctx.limits.maxResourceDepth) {
        w.an.add('PE_LIMIT_EXCEEDED', 'medium', `resource tree deeper than ${w.ctx.limits.maxResourceDepth}`, w.ctx.map.rvaToOffset(rva) ?? w.where);
        continue;
      }
      ancestors.push(childOffset);
      const child = readDirectory(w, childOffset, depth + 1, ancestors);
      ancestors.pop();
      if (child === null) continue;
      entry.directory = child;
    } else {
      const data = readDataEntry(w, childOffset);
      if (data === null) continue;
      entry.data = data;
    }
    dir.entries.push(entry);
  }
  return dir;
}

function label(e: ResourceEntry): number | string {
  return e.name ?? e.id ?? 0;
}

function leavesOf(root: ResourceDirectory): ResourceLeaf[] {
  const out: ResourceLeaf[] = [];
  const push = (type: ResourceEntry, name: number | string, language: number, d: ResourceData): void => {
    const t = label(type);
    out.push({
      type: t,
      typeName: typeof t === 'number' ? (RESOURCE_TYPE_NAMES[t] ?? String(t)) : t,
      name,
      language,
      primaryLanguage: language & 0x3ff,
      subLanguage: language >>> 10,
      rva: d.rva,
      size: d.size,
      codePage: d.codePage,
      offset: d.offset,
    });
  };
  for (const t of root.entries) {
    if (t.data) push(t, 0, 0, t.data);
    for (const n of t.directory?.entries ?? []) {
      if (n.data) push(t, label(n), 0, n.data);
      for (const l of n.directory?.entries ?? []) {
        if (l.data) push(t, label(n), l.id ?? 0, l.data);
      }
    }
  }
  return out;
}

export function parseResources(ctx: PeContext, an: AnomalySink): ResourceTree {
  const dir = ctx.directories[DIR_RESOURCE]!;
  if (!dir.inHeader || dir.virtualAddress === 0) return { root: null, leaves: [] };
  const w: Walk = { ctx, base: dir.virtualAddress, where: dir.fieldOffset, an, entriesLeft: ctx.limits.maxResourceEntries, limitReported: false, names: new Map() };
  const root = readDirectory(w, 0, 0, [0]);
  return { root, leaves: root === null ? [] : leavesOf(root) };
}

/** The bytes of one resource (zeros where the image has no file bytes); null when outside the image. */
export function resourceBytes(ctx: PeContext, leaf: ResourceLeaf, max: number): Uint8Array | null {
  return bytesAt(ctx, leaf.rva, Math.min(leaf.size, max));
}

/** The first RT_MANIFEST resource as text (UTF-8, or UTF-16 when it has that byte-order mark). */
export function manifestOf(ctx: PeContext, leaves: readonly ResourceLeaf[]): string | null {
  const leaf = leaves.find((l) => l.type === RT_MANIFEST);
  if (!leaf) return null;
  const b = resourceBytes(ctx, leaf, ctx.limits.maxManifestSize);
  if (b === null) return null;
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return utf16n(b, 2, Math.floor((b.length - 2) / 2));
  return utf8(b).replace(/^\uFEFF/, '');
}
