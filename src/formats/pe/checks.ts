// Structural anomalies found from the headers and section table alone (cheap, computed when the file is parsed).

import type { AnomalySink } from './anomalies.js';
import type { AddressMap } from './addressmap.js';
import { isPowerOfTwo } from './bytes.js';
import { DIR_SECURITY, FILE_DLL, SCN_MEM_EXECUTE, SCN_MEM_WRITE } from './constants.js';
import type { Headers } from './headers.js';

/** Seconds of slack before a timestamp counts as "in the future" (clock skew, time zones). */
const FUTURE_SLACK_SECONDS = 86400;

/** Section names linkers and common toolchains emit; anything else (packer names, blanks, binary) is unusual. */
const USUAL_SECTION_NAMES = new Set([
  '.text', '.code', '.data', '.rdata', '.bss', '.idata', '.edata', '.pdata', '.xdata', '.rsrc', '.reloc', '.tls',
  '.CRT', '.debug', '.gfids', '.giats', '.gljmp', '.gehcont', '.00cfg', '.didat', '.didata', '.sxdata', '.orpc',
  '.textbss', '.rodata', '.buildid', '.eh_fram', '.eh_frame', '.voltbl', '.retplne', '.fptable', '.a64xrm', '.hexpthk',
  '.itext', '.tbss', '.cormeta', '.sdata', '.srdata', '.mrdata', '.imrsiv', '.nep', '.wixburn', '.ctors', '.dtors',
  '.init', '.fini', '.jcr', '.stab', '.stabstr', '.drectve', 'INIT', 'INITKDBG', 'PAGE', 'PAGEKD', 'POOLMI', 'POOLCODE',
  'CODE', 'DATA', 'BSS', 'GFIDS', 'RT', '.ndata', '.complus', 'minATL', '.shared', '.rodata1', 'fothk', '.detourc',
  '.detourd', '_RDATA', '.msvcjmc', 'malloc_h',
]);
const USUAL_SECTION_PATTERNS: readonly RegExp[] = [
  /^\.(text|data|rdata|bss|idata|CRT|tls|xdata|pdata|rsrc|didat)\$/, // grouped sections left unmerged
  /^\.z?debug(_|\$|$)/, // DWARF and CodeView debug sections
  /^PAGE[A-Za-z0-9_]*$/, // kernel-mode pageable code and data
  /^\.gnu/,
  /^\.eh_frame/,
];

/** True for a name no common toolchain writes: empty, non-printable, or not a known name or pattern. */
export function isUnusualSectionName(name: string): boolean {
  if (name === '') return true;
  if (!/^[\x21-\x7e]+$/.test(name)) return true;
  if (USUAL_SECTION_NAMES.has(name)) return false;
  return !USUAL_SECTION_PATTERNS.some((re) => re.test(name));
}

export interface CheckInput {
  headers: Headers;
  map: AddressMap;
  fileSize: number;
  now: number;
}

export function headerChecks({ headers: h, map, fileSize, now }: CheckInput, an: AnomalySink): void {
  const { coff, optional: o, sections } = h;
  const coffTimeOffset = coff.offset + 4;
  if (coff.timeDateStamp === 0) {
    an.add('PE_TIMESTAMP_ZERO', 'info', 'the COFF TimeDateStamp is zero', coffTimeOffset);
  } else if (coff.timeDateStamp > now / 1000 + FUTURE_SLACK_SECONDS) {
    an.add('PE_TIMESTAMP_FUTURE', 'low', `the COFF TimeDateStamp ${new Date(coff.timeDateStamp * 1000).toISOString()} is in the future`, coffTimeOffset);
  }

  if (sections.length === 0) an.add('PE_HEADER_INCONSISTENT', 'medium', 'the file has no sections', coff.offset + 2);
  if (o.sizeOfHeaders > fileSize) {
    an.add('PE_HEADER_INCONSISTENT', 'medium', `SizeOfHeaders 0x${o.sizeOfHeaders.toString(16)} is larger than the file`, o.offset + 60);
  }
  if (!isPowerOfTwo(o.fileAlignment) || !isPowerOfTwo(o.sectionAlignment)) {
    an.add('PE_HEADER_INCONSISTENT', 'medium', `FileAlignment 0x${o.fileAlignment.toString(16)} or SectionAlignment 0x${o.sectionAlignment.toString(16)} is not a power of two`, o.offset + 32);
  } else if (o.sectionAlignment < o.fileAlignment) {
    an.add('PE_HEADER_INCONSISTENT', 'medium', `SectionAlignment 0x${o.sectionAlignment.toString(16)} is smaller than FileAlignment 0x${o.fileAlignment.toString(16)}`, o.offset + 32);
  }
  const imageEnd = map.regions.reduce((m, r) => Math.max(m, r.vEnd), 0);
  if (!map.flat && imageEnd > o.sizeOfImage) {
    an.add('PE_HEADER_INCONSISTENT', 'medium', `SizeOfImage 0x${o.sizeOfImage.toString(16)} is smaller than the end of the last section (0x${imageEnd.toString(16)})`, o.offset + 56);
  }
  for (const dir of h.directories) {
    if (!dir.inHeader || dir.index === DIR_SECURITY || dir.virtualAddress === 0) continue;
    if (dir.virtualAddress + dir.size > Math.max(o.sizeOfImage, imageEnd)) {
      an.add('PE_HEADER_INCONSISTENT', 'low', `the ${dir.name} directory (RVA 0x${dir.virtualAddress.toString(16)}, size 0x${dir.size.toString(16)}) ends outside the image`, dir.fieldOffset);
    }
  }

  sectionChecks(h, map, fileSize, an);
  entryPointChecks(h, map, an);
}

function sectionChecks(h: Headers, map: AddressMap, fileSize: number, an: AnomalySink): void {
  for (const s of h.sections) {
    const label = s.longName ?? s.name;
    if (s.virtualSize === 0 && s.sizeOfRawData === 0) {
      an.add('PE_SECTION_ZERO_SIZE', 'low', `section ${s.index} (${JSON.stringify(label)}) has neither virtual nor raw size`, s.headerOffset);
    }
    if (s.sizeOfRawData > 0 && s.pointerToRawData + s.sizeOfRawData > fileSize) {
      an.add('PE_SECTION_RAW_BEYOND_FILE', 'medium', `section ${s.index} (${JSON.stringify(label)}) raw data 0x${s.pointerToRawData.toString(16)}+0x${s.sizeOfRawData.toString(16)} runs past the end of the file`, s.headerOffset + 16);
    }
    if (isUnusualSectionName(label)) {
      an.add('PE_SECTION_NAME_UNUSUAL', 'low', `section ${s.index} has an unusual name ${JSON.stringify(label)}`, s.headerOffset);
    }
    if ((s.characteristics & SCN_MEM_WRITE) !== 0 && (s.characteristics & SCN_MEM_EXECUTE) !== 0) {
      an.add('PE_SECTION_WX', 'medium', `section ${s.index} (${JSON.stringify(label)}) is both writable and executable`, s.headerOffset + 36);
    }
  }
  // Virtual overlap, from the loader's extents (sorted by start).
  const regions = map.regions.filter((r) => r.section >= 0);
  for (let i = 1; i < regions.length; i++) {
    const a = regions[i - 1]!;
    const b = regions[i]!;
    if (b.vStart < a.vEnd) {
      const sb = h.sections[b.section]!;
      an.add('PE_SECTIONS_OVERLAP', 'high', `sections ${a.section} and ${b.section} overlap in memory at RVA 0x${b.vStart.toString(16)}`, sb.headerOffset + 12);
    }
  }
  // File overlap of raw data (both with raw bytes).
  const raw = h.sections.filter((s) => s.sizeOfRawData > 0 && s.pointerToRawData > 0).sort((a, b) => a.pointerToRawData - b.pointerToRawData);
  for (let i = 1; i < raw.length; i++) {
    const a = raw[i - 1]!;
    const b = raw[i]!;
    if (b.pointerToRawData < a.pointerToRawData + a.sizeOfRawData) {
      an.add('PE_SECTIONS_OVERLAP', 'medium', `sections ${a.index} and ${b.index} share file bytes at 0x${b.pointerToRawData.toString(16)}`, b.headerOffset + 20);
    }
  }
}

function entryPointChecks(h: Headers, map: AddressMap, an: AnomalySink): void {
  const o = h.optional;
  const ep = o.addressOfEntryPoint;
  const epField = o.offset + 16;
  const isDll = (h.coff.characteristics & FILE_DLL) !== 0;
  if (ep === 0) {
    if (!isDll) an.add('PE_EP_OUTSIDE_SECTIONS', 'high', 'the entry point is 0: execution would start in the headers', epField);
    return;
  }
  const region = map.flat ? null : map.regionOf(ep);
  if (region === null || region.section < 0) {
    if (map.flat && h.sections.some((s) => ep >= s.virtualAddress && ep < s.virtualAddress + Math.max(s.virtualSize, s.sizeOfRawData))) {
      // Low-alignment images map flat; the entry point still belongs to a section.
    } else {
      an.add('PE_EP_OUTSIDE_SECTIONS', 'high', `the entry point 0x${ep.toString(16)} is outside every section`, epField);
      return;
    }
  }
  const s = region !== null && region.section >= 0 ? h.sections[region.section]! : h.sections.find((x) => ep >= x.virtualAddress && ep < x.virtualAddress + Math.max(x.virtualSize, x.sizeOfRawData));
  if (s && (s.characteristics & SCN_MEM_WRITE) !== 0) {
    an.add('PE_EP_IN_WRITABLE_SECTION', 'medium', `the entry point 0x${ep.toString(16)} is in writable section ${s.index} (${JSON.stringify(s.longName ?? s.name)})`, epField);
  }
}
