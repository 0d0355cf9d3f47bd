// The fixed part of a PE file: DOS header, PE signature, COFF header, optional header, data directories, section table.

import type { AnomalySink } from './anomalies.js';
import { has, u16, u32, u64, u8, latin1 } from './bytes.js';
import {
  DIRECTORY_NAMES,
  DLL_CHARACTERISTICS,
  FILE_CHARACTERISTICS,
  MACHINE_NAMES,
  SECTION_CHARACTERISTICS,
  SUBSYSTEM_NAMES,
  decodeFlags,
  nameOf,
} from './constants.js';
import type { PeLimits } from './limits.js';
import type { CoffHeader, DataDirectory, DosHeader, OptionalHeader, SectionHeader } from './types.js';

export const DOS_HEADER_SIZE = 64;
export const COFF_HEADER_SIZE = 20;
export const SECTION_HEADER_SIZE = 40;
const PE32_OPTIONAL_SIZE = 96;
const PE32PLUS_OPTIONAL_SIZE = 112;
const DATA_DIRECTORY_COUNT = 16;
const SECTOR_SIZE = 0x200;

const MZ = 0x5a4d;
const ZM = 0x4d5a;
const PE_SIGNATURE = 0x00004550;

export interface Headers {
  dos: DosHeader;
  coff: CoffHeader;
  optional: OptionalHeader;
  is64: boolean;
  directories: DataDirectory[];
  sections: SectionHeader[];
  /** File offset of the first section header. */
  sectionTableOffset: number;
}

export type HeaderResult = { ok: true; headers: Headers } | { ok: false; reason: string };

function words(d: Uint8Array, at: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => u16(d, at + 2 * i));
}

export function readDosHeader(d: Uint8Array): DosHeader {
  return {
    magic: u16(d, 0),
    lastPageSize: u16(d, 2),
    pageCount: u16(d, 4),
    relocationCount: u16(d, 6),
    headerParagraphs: u16(d, 8),
    minAlloc: u16(d, 10),
    maxAlloc: u16(d, 12),
    ss: u16(d, 14),
    sp: u16(d, 16),
    checksum: u16(d, 18),
    ip: u16(d, 20),
    cs: u16(d, 22),
    relocationTableOffset: u16(d, 24),
    overlayNumber: u16(d, 26),
    reserved: words(d, 28, 4),
    oemId: u16(d, 36),
    oemInfo: u16(d, 38),
    reserved2: words(d, 40, 10),
    lfanew: u32(d, 60),
  };
}

/**
 * Reads the headers, or says why the bytes are not a PE image. Past the signature nothing fails: fields the file is
 * too short to hold read as zero and an anomaly says so, as the loader's zeroed page would.
 */
export function readHeaders(d: Uint8Array, limits: PeLimits, an: AnomalySink): HeaderResult {
  const magic = d.length >= 2 ? u16(d, 0) : -1;
  if (magic === ZM) return { ok: false, reason: 'ZM executable (not a PE file)' };
  if (magic !== MZ) return { ok: false, reason: 'no MZ signature' };
  if (d.length < DOS_HEADER_SIZE) return { ok: false, reason: 'shorter than a DOS header' };
  const dos = readDosHeader(d);
  const peOff = dos.lfanew;
  if (peOff + 4 > d.length) return { ok: false, reason: 'e_lfanew points past the end of the file (a DOS program)' };
  const sig = u32(d, peOff);
  if (sig !== PE_SIGNATURE) {
    const low = sig & 0xffff;
    const kind = low === 0x454e ? 'NE' : low === 0x454c ? 'LE' : low === 0x584c ? 'LX' : low === 0x5a56 ? 'TE' : null;
    return { ok: false, reason: kind ? `${kind} executable (not a PE file)` : 'no PE signature at e_lfanew' };
  }
  if (peOff % 4 !== 0) an.add('PE_HEADER_INCONSISTENT', 'low', `e_lfanew 0x${peOff.toString(16)} is not 4-byte aligned`, 60);

  const coffOff = peOff + 4;
  if (!has(d, coffOff, COFF_HEADER_SIZE)) an.add('PE_HEADER_TRUNCATED', 'high', 'the file ends inside the COFF header', coffOff);
  const machine = u16(d, coffOff);
  const characteristics = u16(d, coffOff + 18);
  const coff: CoffHeader = {
    offset: coffOff,
    machine,
    machineName: nameOf(MACHINE_NAMES, machine),
    numberOfSections: u16(d, coffOff + 2),
    timeDateStamp: u32(d, coffOff + 4),
    pointerToSymbolTable: u32(d, coffOff + 8),
    numberOfSymbols: u32(d, coffOff + 12),
    sizeOfOptionalHeader: u16(d, coffOff + 16),
    characteristics,
    flags: decodeFlags(characteristics, FILE_CHARACTERISTICS),
  };

  const optOff = coffOff + COFF_HEADER_SIZE;
  const optMagic = u16(d, optOff);
  const is64 = optMagic === 0x20b;
  const magicKnown = optMagic === 0x10b || optMagic === 0x20b;
  if (!magicKnown) {
    an.add('PE_HEADER_INCONSISTENT', 'medium', `optional header Magic 0x${optMagic.toString(16)} is neither PE32 nor PE32+; read as PE32`, optOff);
  }
  const optSize = is64 ? PE32PLUS_OPTIONAL_SIZE : PE32_OPTIONAL_SIZE;
  if (!has(d, optOff, optSize)) an.add('PE_HEADER_TRUNCATED', 'high', 'the file ends inside the optional header', optOff);
  const o = optOff;
  // Offsets where PE32 and PE32+ differ: ImageBase width, BaseOfData, and the four stack/heap sizes.
  const optional: OptionalHeader = {
    offset: optOff,
    magic: optMagic,
    magicKnown,
    majorLinkerVersion: u8(d, o + 2),
    minorLinkerVersion: u8(d, o + 3),
    sizeOfCode: u32(d, o + 4),
    sizeOfInitializedData: u32(d, o + 8),
    sizeOfUninitializedData: u32(d, o + 12),
    addressOfEntryPoint: u32(d, o + 16),
    baseOfCode: u32(d, o + 20),
    baseOfData: is64 ? null : u32(d, o + 24),
    imageBase: is64 ? u64(d, o + 24) : BigInt(u32(d, o + 28)),
    sectionAlignment: u32(d, o + 32),
    fileAlignment: u32(d, o + 36),
    majorOperatingSystemVersion: u16(d, o + 40),
    minorOperatingSystemVersion: u16(d, o + 42),
    majorImageVersion: u16(d, o + 44),
    minorImageVersion: u16(d, o + 46),
    majorSubsystemVersion: u16(d, o + 48),
    minorSubsystemVersion: u16(d, o + 50),
    win32VersionValue: u32(d, o + 52),
    sizeOfImage: u32(d, o + 56),
    sizeOfHeaders: u32(d, o + 60),
    checkSum: u32(d, o + 64),
    subsystem: u16(d, o + 68),
    subsystemName: nameOf(SUBSYSTEM_NAMES, u16(d, o + 68)),
    dllCharacteristics: u16(d, o + 70),
    dllFlags: decodeFlags(u16(d, o + 70), DLL_CHARACTERISTICS),
    sizeOfStackReserve: is64 ? u64(d, o + 72) : BigInt(u32(d, o + 72)),
    sizeOfStackCommit: is64 ? u64(d, o + 80) : BigInt(u32(d, o + 76)),
    sizeOfHeapReserve: is64 ? u64(d, o + 88) : BigInt(u32(d, o + 80)),
    sizeOfHeapCommit: is64 ? u64(d, o + 96) : BigInt(u32(d, o + 84)),
    loaderFlags: u32(d, o + (is64 ? 104 : 88)),
    numberOfRvaAndSizes: u32(d, o + (is64 ? 108 : 92)),
  };

  // Data directories follow the fixed fields, wherever SizeOfOptionalHeader says the section table starts (as the
  // loader reads them); entries at or past NumberOfRvaAndSizes are not used.
  const dirOff = optOff + optSize;
  const directories: DataDirectory[] = [];
  for (let i = 0; i < DATA_DIRECTORY_COUNT; i++) {
    const inHeader = i < optional.numberOfRvaAndSizes;
    directories.push({
      index: i,
      name: DIRECTORY_NAMES[i]!,
      virtualAddress: inHeader ? u32(d, dirOff + 8 * i) : 0,
      size: inHeader ? u32(d, dirOff + 8 * i + 4) : 0,
      inHeader,
      fieldOffset: dirOff + 8 * i,
    });
  }
  if (optional.numberOfRvaAndSizes > DATA_DIRECTORY_COUNT) {
    an.add('PE_HEADER_INCONSISTENT', 'low', `NumberOfRvaAndSizes is ${optional.numberOfRvaAndSizes} (more than 16)`, o + (is64 ? 108 : 92));
  }
  const dirBytes = Math.min(DATA_DIRECTORY_COUNT, optional.numberOfRvaAndSizes) * 8;
  if (coff.sizeOfOptionalHeader < optSize + dirBytes) {
    an.add(
      'PE_HEADER_INCONSISTENT',
      'medium',
      `SizeOfOptionalHeader 0x${coff.sizeOfOptionalHeader.toString(16)} is smaller than the optional header and its directories (0x${(optSize + dirBytes).toString(16)})`,
      coffOff + 16,
    );
  }

  const sectionTableOffset = optOff + coff.sizeOfOptionalHeader;
  const sections = readSectionTable(d, coff, optional, sectionTableOffset, limits, an);
  return { ok: true, headers: { dos, coff, optional, is64, directories, sections, sectionTableOffset } };
}

function sectionAlignmentBytes(characteristics: number): number | null {
  const nibble = (characteristics >>> 20) & 0xf;
  return nibble >= 1 && nibble <= 14 ? 1 << (nibble - 1) : null;
}

function readSectionTable(
  d: Uint8Array,
  coff: CoffHeader,
  optional: OptionalHeader,
  tableOffset: number,
  limits: PeLimits,
  an: AnomalySink,
): SectionHeader[] {
  let count = coff.numberOfSections;
  if (count > limits.maxSections) {
    an.add('PE_LIMIT_EXCEEDED', 'high', `NumberOfSections is ${count}; only the first ${limits.maxSections} are read`, coff.offset + 2);
    count = limits.maxSections;
  }
  const available = Math.max(0, Math.floor((d.length - tableOffset) / SECTION_HEADER_SIZE));
  if (count > available) {
    an.add('PE_HEADER_TRUNCATED', 'high', `the section table holds ${count} headers but the file ends after ${available}`, tableOffset);
    count = available;
  }
  const stringTable = coff.pointerToSymbolTable !== 0 ? coff.pointerToSymbolTable + coff.numberOfSymbols * 18 : 0;
  const sections: SectionHeader[] = [];
  for (let i = 0; i < count; i++) {
    const h = tableOffset + i * SECTION_HEADER_SIZE;
    let nameEnd = h;
    while (nameEnd < h + 8 && d[nameEnd] !== 0) nameEnd++;
    const name = latin1(d, h, nameEnd);
    const characteristics = u32(d, h + 36);
    const pointerToRawData = u32(d, h + 20);
    const sizeOfRawData = u32(d, h + 16);
    // The bytes pefile's get_data() gives for the section: from PointerToRawData (rounded down to 0x200 when
    // FileAlignment is at least that) to PointerToRawData + SizeOfRawData, cut at the end of the file.
    const dataStart = optional.fileAlignment >= SECTOR_SIZE ? Math.floor(pointerToRawData / SECTOR_SIZE) * SECTOR_SIZE : pointerToRawData;
    const dataEnd = Math.max(dataStart, Math.min(d.length, pointerToRawData + sizeOfRawData));
    sections.push({
      index: i,
      headerOffset: h,
      name,
      longName: longSectionName(d, name, stringTable, limits),
      virtualSize: u32(d, h + 8),
      virtualAddress: u32(d, h + 12),
      sizeOfRawData,
      pointerToRawData,
      pointerToRelocations: u32(d, h + 24),
      pointerToLinenumbers: u32(d, h + 28),
      numberOfRelocations: u16(d, h + 32),
      numberOfLinenumbers: u16(d, h + 34),
      characteristics,
      flags: decodeFlags(characteristics, SECTION_CHARACTERISTICS),
      alignment: sectionAlignmentBytes(characteristics),
      dataStart: Math.min(dataStart, d.length),
      dataEnd,
    });
  }
  return sections;
}

/** `/123` names a string-table entry at that decimal offset (how MinGW's ld stores section names over 8 bytes). */
function longSectionName(d: Uint8Array, name: string, stringTable: number, limits: PeLimits): string | null {
  if (stringTable === 0 || name.length < 2 || name[0] !== '/') return null;
  const digits = name.slice(1);
  if (!/^[0-9]+$/.test(digits)) return null;
  const off = stringTable + Number(digits);
  if (off < stringTable || off >= d.length) return null;
  const end = Math.min(d.length, off + limits.maxLongSectionNameLength);
  let i = off;
  while (i < end && d[i] !== 0) i++;
  return i < end ? latin1(d, off, i) : null;
}
