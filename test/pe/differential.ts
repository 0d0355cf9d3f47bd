// Compares Firebreak's parse of a file with pefile's view of it, field by field, and lists every difference.

import type { PeFile } from '../../src/formats/pe/index.js';
import type { PefileDll, PefileView } from './pefile.js';

export type Field = 'dosHeader' | 'fixedVersion' | 'sections' | 'imports' | 'delayImports' | 'exports' | 'imphash' | 'rich' | 'version' | 'pdb' | 'tls' | 'checksum' | 'overlay' | 'resources' | 'boundImports' | 'entryPoint' | 'loadConfig';

export const FIELDS: readonly Field[] = ['dosHeader', 'sections', 'imports', 'delayImports', 'boundImports', 'exports', 'imphash', 'rich', 'version', 'fixedVersion', 'pdb', 'tls', 'loadConfig', 'checksum', 'overlay', 'resources', 'entryPoint'];

export interface Difference {
  field: Field;
  detail: string;
}

const ENTROPY_TOLERANCE = 1e-9;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function firstDiff(a: unknown[], b: unknown[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!same(a[i], b[i])) return `#${i}: ours ${JSON.stringify(a[i])} pefile ${JSON.stringify(b[i])}`;
  }
  return '';
}

/** `keys` of `o` in that order (a key `o` lacks comes out undefined, so it cannot compare equal). */
function pick(o: object, keys: readonly string[]): Record<string, unknown> {
  const all = new Map(Object.entries(o));
  return Object.fromEntries(keys.map((k) => [k, all.get(k)]));
}

function importsOf(dlls: { dll: string; functions: { name: string | null; ordinal: number | null; byOrdinal: boolean; iatRva: number }[] }[]): unknown[] {
  return dlls.map((d) => [d.dll, d.functions.map((f) => [f.byOrdinal ? null : f.name, f.byOrdinal ? f.ordinal : null, f.byOrdinal ? f.name : null, f.iatRva])]);
}

function pefileImportsOf(dlls: PefileDll[]): unknown[] {
  return dlls.map((d) => [d.dll, d.functions.map((f) => [f.byOrdinal ? null : f.name, f.byOrdinal ? f.ordinal : null, f.byOrdinal ? f.name : null, f.iatRva])]);
}

/** Every difference between our parse and pefile's view; empty when they agree on all compared fields. */
export function compareWithPefile(pe: PeFile, v: PefileView): Difference[] {
  const out: Difference[] = [];
  const diff = (field: Field, detail: string): void => {
    out.push({ field, detail });
  };

  // Every DOS header field, in pefile's view's key order (a field we lacked would show as missing).
  const dosOurs = pick(pe.dos, Object.keys(v.dosHeader));
  if (!same(dosOurs, v.dosHeader)) diff('dosHeader', `ours ${JSON.stringify(dosOurs)} pefile ${JSON.stringify(v.dosHeader)}`);

  // Sections: pefile sorts them by VirtualAddress (stable); so do we for the comparison.
  const ours = [...pe.sections].sort((a, b) => a.virtualAddress - b.virtualAddress || a.index - b.index);
  if (ours.length !== v.sections.length) diff('sections', `count ours ${ours.length} pefile ${v.sections.length}`);
  for (let i = 0; i < Math.min(ours.length, v.sections.length); i++) {
    const s = ours[i]!;
    const p = v.sections[i]!;
    const a = [s.name, s.virtualAddress, s.virtualSize, s.sizeOfRawData, s.pointerToRawData, s.characteristics, s.md5];
    const b = [p.name, p.virtualAddress, p.virtualSize, p.rawSize, p.rawPointer, p.characteristics, p.md5];
    if (!same(a, b)) diff('sections', `section ${i}: ours ${JSON.stringify(a)} pefile ${JSON.stringify(b)}`);
    if (Math.abs(s.entropy - p.entropy) > ENTROPY_TOLERANCE) diff('sections', `section ${i} entropy ours ${s.entropy} pefile ${p.entropy}`);
  }

  const imp = importsOf(pe.imports);
  const pimp = pefileImportsOf(v.imports);
  if (!same(imp, pimp)) diff('imports', firstDiff(imp, pimp));
  const dimp = importsOf(pe.delayImports.map((d) => ({ dll: d.dll, functions: d.functions })));
  const pdimp = pefileImportsOf(v.delayImports);
  if (!same(dimp, pdimp)) diff('delayImports', firstDiff(dimp, pdimp));

  const bound = pe.boundImports.map((b) => [b.name, b.timeDateStamp, b.forwarders.map((f) => f.name)]);
  const pbound = v.boundImports.map((b) => [b.name, b.timeDateStamp, b.forwarders]);
  if (!same(bound, pbound)) diff('boundImports', firstDiff(bound, pbound));

  const exp = pe.exports;
  if ((exp === null) !== (v.exports === null)) {
    diff('exports', `ours ${exp === null ? 'none' : 'present'} pefile ${v.exports === null ? 'none' : 'present'}`);
  } else if (exp !== null && v.exports !== null) {
    if (exp.name !== v.exports.name) diff('exports', `dll name ours ${JSON.stringify(exp.name)} pefile ${JSON.stringify(v.exports.name)}`);
    const a = exp.symbols.map((s) => [s.ordinal, s.rva, s.name, s.forwarder]);
    const b = v.exports.symbols.map((s) => [s.ordinal, s.address, s.name, s.forwarder]);
    if (!same(a, b)) diff('exports', `${a.length} vs ${b.length} symbols; ${firstDiff(a, b)}`);
  }

  const ih = pe.imphash;
  const pih = v.imphash === '' ? null : v.imphash;
  if (ih !== pih) diff('imphash', `ours ${ih} pefile ${pih}${v.imphashError ? ` (${v.imphashError})` : ''}`);

  const rich = pe.rich;
  if ((rich === null) !== (v.rich === null)) {
    diff('rich', `ours ${rich === null ? 'none' : 'present'} pefile ${v.rich === null ? 'none' : 'present'}`);
  } else if (rich !== null && v.rich !== null) {
    const values = rich.entries.flatMap((e) => [((e.productId << 16) | e.build) >>> 0, e.count]);
    if (!same(values, v.rich.values)) diff('rich', `entries ${firstDiff(values, v.rich.values)}`);
    if (rich.hash !== v.rich.hash) diff('rich', `hash ours ${rich.hash} pefile ${v.rich.hash}`);
    if (rich.key !== v.rich.checksum) diff('rich', `key ours ${rich.key} pefile ${v.rich.checksum}`);
  }

  // Version strings: pefile keeps the last value of a repeated key (a dict); so do we here.
  const tables = pe.versionInfo.flatMap((vi) => vi.stringTables).map((t) => [t.key, Object.entries(Object.fromEntries(t.entries))]);
  const ptables = (v.version?.stringTables ?? []).map((t) => [t.lang, Object.entries(Object.fromEntries(t.entries))]);
  if (!same(tables, ptables)) diff('version', firstDiff(tables, ptables));

  // VS_FIXEDFILEINFO of every version resource that has one, every field.
  const fixedKeys = Object.keys(v.version?.fixed[0] ?? {});
  const fixed = pe.versionInfo.flatMap((vi) => (vi.fixed === null ? [] : [pick(vi.fixed, fixedKeys)]));
  const pfixed = v.version?.fixed ?? [];
  if (!same(fixed, pfixed)) diff('fixedVersion', `${fixed.length} vs ${pfixed.length}; ${firstDiff(fixed, pfixed)}`);

  const pdb = pe.debug.filter((d) => d.codeView !== null).map((d) => [d.codeView!.format, d.codeView!.pdbPath, d.codeView!.age, d.codeView!.guid?.replace(/-/g, '') ?? null]);
  const ppdb = v.debug.map((d) => [d.format, d.pdb, d.age, d.guid ?? null]);
  if (!same(pdb, ppdb)) diff('pdb', firstDiff(pdb, ppdb));

  const tls = pe.tls === null ? null : pe.tls.callbacks.map((c) => Number(c.va));
  if (!same(tls, v.tlsCallbacks)) diff('tls', `ours ${JSON.stringify(tls)} pefile ${JSON.stringify(v.tlsCallbacks)}`);

  const lc = pe.loadConfig === null ? null : { securityCookie: Number(pe.loadConfig.securityCookie), guardFlags: pe.loadConfig.guardFlags };
  if (!same(lc, v.loadConfig)) diff('loadConfig', `ours ${JSON.stringify(lc)} pefile ${JSON.stringify(v.loadConfig)}`);

  const cs = pe.checksum;
  if (cs.computed !== v.checksum.computed || cs.stored !== v.checksum.stored) diff('checksum', `ours ${JSON.stringify(cs)} pefile ${JSON.stringify(v.checksum)}`);

  const ov = pe.overlay?.offset ?? null;
  if (ov !== v.overlayOffset) diff('overlay', `ours ${ov} pefile ${v.overlayOffset}`);

  const res = pe.resourceList.map((r) => [r.type, r.name, r.language, r.rva, r.size]);
  const pres = v.resources ?? [];
  if (!same(res, pres)) diff('resources', `${res.length} vs ${pres.length}; ${firstDiff(res, pres)}`);

  if (pe.optional.addressOfEntryPoint !== v.entryPoint) diff('entryPoint', `ours ${pe.optional.addressOfEntryPoint} pefile ${v.entryPoint}`);
  return out;
}
