// VS_VERSIONINFO resources: the fixed file info and the StringFileInfo / VarFileInfo blocks, walked with bounds.
//
// Layout (Win32 "VS_VERSIONINFO", "String" docs): each block is wLength, wValueLength, wType, a NUL-terminated UTF-16
// key, padding to 4 bytes, the value, padding, then child blocks up to wLength. Padding is relative to the start of
// the resource, as version.dll aligns it.

import type { AnomalySink } from './anomalies.js';
import { u16, u32, utf16z } from './bytes.js';
import type { PeContext } from './context.js';
import { resourceBytes } from './resources.js';
import type { FixedFileInfo, ResourceLeaf, VersionInfo, VersionStringTable } from './types.js';

const RT_VERSION = 16;
const BLOCK_HEADER_SIZE = 6;
const FIXED_SIGNATURE = 0xfeef04bd;
const FIXED_SIZE = 52;

interface Block {
  start: number;
  end: number;
  valueLength: number;
  type: number;
  key: string;
  valueStart: number;
  childrenStart: number;
}

const align4 = (v: number): number => v + ((4 - (v % 4)) % 4);

interface Walk {
  b: Uint8Array;
  blocksLeft: number;
  maxString: number;
  an: AnomalySink;
  bad: boolean;
}

function readBlock(w: Walk, start: number, limit: number): Block | null {
  if (w.blocksLeft <= 0 || start + BLOCK_HEADER_SIZE > limit) return null;
  w.blocksLeft--;
  const length = u16(w.b, start);
  if (length < BLOCK_HEADER_SIZE) {
    w.bad = true;
    return null;
  }
  const end = Math.min(limit, start + length);
  const valueLength = u16(w.b, start + 2);
  const type = u16(w.b, start + 4);
  const keyUnits = Math.min(w.maxString, Math.floor((end - start - BLOCK_HEADER_SIZE) / 2));
  const k = utf16z(w.b.subarray(0, end), start + BLOCK_HEADER_SIZE, keyUnits);
  const valueStart = align4(start + BLOCK_HEADER_SIZE + 2 * (k.units + 1));
  // Text values count WCHARs, binary ones bytes.
  const valueBytes = type === 1 ? valueLength * 2 : valueLength;
  const childrenStart = Math.min(end, align4(valueStart + valueBytes));
  return { start, end, valueLength, type, key: k.text, valueStart, childrenStart };
}

/** Child blocks of `parent`, in order. */
function children(w: Walk, parent: Block): Block[] {
  const out: Block[] = [];
  let at = parent.childrenStart;
  while (at + BLOCK_HEADER_SIZE <= parent.end) {
    const c = readBlock(w, at, parent.end);
    if (c === null) break;
    out.push(c);
    const next = align4(c.end);
    if (next <= at) break;
    at = next;
  }
  return out;
}

function versionString(ms: number, ls: number): string {
  return `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
}

function readFixed(b: Uint8Array, o: number): FixedFileInfo {
  const f = (i: number): number => u32(b, o + 4 * i);
  return {
    signature: f(0),
    structVersion: f(1),
    fileVersionMS: f(2),
    fileVersionLS: f(3),
    productVersionMS: f(4),
    productVersionLS: f(5),
    fileVersion: versionString(f(2), f(3)),
    productVersion: versionString(f(4), f(5)),
    fileFlagsMask: f(6),
    fileFlags: f(7),
    fileOS: f(8),
    fileType: f(9),
    fileSubtype: f(10),
    fileDateMS: f(11),
    fileDateLS: f(12),
  };
}

/** A String's value: at most wValueLength characters (as VerQueryValue reports it), up to a NUL and the block end. */
function stringValue(w: Walk, s: Block): string {
  if (s.valueLength === 0 || s.valueStart >= s.end) return '';
  const units = Math.min(s.valueLength, w.maxString, Math.floor((s.end - s.valueStart) / 2));
  return utf16z(w.b, s.valueStart, units).text;
}

export function parseVersionResource(ctx: PeContext, leaf: ResourceLeaf, an: AnomalySink): VersionInfo | null {
  const b = resourceBytes(ctx, leaf, ctx.limits.maxVersionInfoSize);
  if (b === null) {
    an.add('PE_VERSIONINFO_MALFORMED', 'low', `version resource at RVA 0x${leaf.rva.toString(16)} is outside the image`, ctx.directories[2]!.fieldOffset);
    return null;
  }
  const w: Walk = { b, blocksLeft: ctx.limits.maxVersionInfoBlocks, maxString: ctx.limits.maxVersionStringLength, an, bad: false };
  const root = readBlock(w, 0, b.length);
  if (root === null || root.key !== 'VS_VERSION_INFO') {
    an.add('PE_VERSIONINFO_MALFORMED', 'low', `version resource at RVA 0x${leaf.rva.toString(16)} does not start with VS_VERSION_INFO`, leaf.offset ?? undefined);
    return null;
  }
  const info: VersionInfo = { language: leaf.language, fixed: null, stringTables: [], translations: [] };
  if (root.valueLength >= FIXED_SIZE && root.valueStart + FIXED_SIZE <= root.end && u32(b, root.valueStart) === FIXED_SIGNATURE) {
    info.fixed = readFixed(b, root.valueStart);
  }
  for (const fi of children(w, root)) {
    if (fi.key === 'StringFileInfo') {
      for (const st of children(w, fi)) {
        const table: VersionStringTable = { key: st.key, entries: [] };
        for (const s of children(w, st)) table.entries.push([s.key, stringValue(w, s)]);
        info.stringTables.push(table);
      }
    } else if (fi.key === 'VarFileInfo') {
      for (const v of children(w, fi)) {
        if (v.key !== 'Translation') continue;
        const end = Math.min(v.end, v.valueStart + v.valueLength);
        for (let o = v.valueStart; o + 4 <= end; o += 4) info.translations.push({ language: u16(b, o), codePage: u16(b, o + 2) });
      }
    }
  }
  if (w.blocksLeft <= 0) an.add('PE_LIMIT_EXCEEDED', 'low', `more than ${ctx.limits.maxVersionInfoBlocks} version-info blocks`, leaf.offset ?? undefined);
  if (w.bad) an.add('PE_VERSIONINFO_MALFORMED', 'low', 'a version-info block is shorter than its header', leaf.offset ?? undefined);
  return info;
}

/** Every RT_VERSION resource, decoded. */
export function parseVersionInfo(ctx: PeContext, leaves: readonly ResourceLeaf[], an: AnomalySink): VersionInfo[] {
  const out: VersionInfo[] = [];
  const seen = new Set<number>();
  for (const leaf of leaves) {
    if (leaf.type !== RT_VERSION || seen.has(leaf.rva)) continue;
    if (seen.size >= ctx.limits.maxVersionResources) {
      an.add('PE_LIMIT_EXCEEDED', 'low', `more than ${ctx.limits.maxVersionResources} version resources`, leaf.offset ?? ctx.directories[2]!.fieldOffset);
      break;
    }
    seen.add(leaf.rva);
    const v = parseVersionResource(ctx, leaf, an);
    if (v !== null) out.push(v);
  }
  return out;
}
