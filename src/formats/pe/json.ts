// The whole parse as plain JSON (`firebreak pe -f json`; the report's `pe` part is summary.ts): hex addresses, numeric sizes.

import { hex, type HexAddress } from '../../core/address.js';
import type { PeFile } from './pe.js';
import type { FixedFileInfo, ImportedFunction, Section } from './types.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const h = (v: number | bigint): HexAddress => hex(v);
const hn = (v: number | bigint | null | undefined): HexAddress | null => (v === null || v === undefined ? null : hex(v));

function functionJson(f: ImportedFunction): Json {
  return {
    name: f.name,
    ordinal: f.ordinal,
    byOrdinal: f.byOrdinal,
    hint: f.hint,
    iatRva: h(f.iatRva),
    thunkRva: h(f.thunkRva),
    bound: hn(f.bound),
  };
}

/** VS_FIXEDFILEINFO, every field: the versions as "a.b.c.d" (their MS/LS words losslessly), flags and ids as hex. */
function fixedJson(f: FixedFileInfo): Json {
  return {
    signature: h(f.signature),
    structVersion: h(f.structVersion),
    fileVersion: f.fileVersion,
    productVersion: f.productVersion,
    fileFlagsMask: h(f.fileFlagsMask),
    fileFlags: h(f.fileFlags),
    fileOS: h(f.fileOS),
    fileType: f.fileType,
    fileSubtype: f.fileSubtype,
    fileDateMS: h(f.fileDateMS),
    fileDateLS: h(f.fileDateLS),
  };
}

function sectionJson(s: Section, stats: { entropy: number | null; md5: string | null }): Json {
  return {
    index: s.index,
    name: s.name,
    longName: s.longName,
    virtualAddress: h(s.virtualAddress),
    virtualSize: s.virtualSize,
    pointerToRawData: h(s.pointerToRawData),
    sizeOfRawData: s.sizeOfRawData,
    characteristics: h(s.characteristics),
    flags: s.flags,
    alignment: s.alignment,
    entropy: stats.entropy === null ? null : Number(stats.entropy.toFixed(6)),
    md5: stats.md5,
  };
}

export function peToJson(pe: PeFile): { [k: string]: Json } {
  const d = pe.dos;
  const o = pe.optional;
  const exp = pe.exports;
  const tls = pe.tls;
  const lc = pe.loadConfig;
  const rel = pe.relocations;
  const clr = pe.clr;
  const rich = pe.rich;
  const overlay = pe.overlay;
  const cs = pe.checksum;
  return {
    format: pe.is64 ? 'PE32+' : 'PE32',
    size: pe.size,
    machine: pe.coff.machineName,
    isDll: pe.isDll,
    imphash: pe.imphash,
    dos: {
      magic: h(d.magic),
      lastPageSize: d.lastPageSize,
      pageCount: d.pageCount,
      relocationCount: d.relocationCount,
      headerParagraphs: d.headerParagraphs,
      minAlloc: d.minAlloc,
      maxAlloc: d.maxAlloc,
      ss: h(d.ss),
      sp: h(d.sp),
      checksum: h(d.checksum),
      ip: h(d.ip),
      cs: h(d.cs),
      relocationTableOffset: h(d.relocationTableOffset),
      overlayNumber: d.overlayNumber,
      reserved: d.reserved.map(h),
      oemId: h(d.oemId),
      oemInfo: h(d.oemInfo),
      reserved2: d.reserved2.map(h),
      lfanew: h(d.lfanew),
      stub: { offset: h(pe.dosStub.offset), size: pe.dosStub.size },
    },
    coff: {
      offset: h(pe.coff.offset),
      machine: h(pe.coff.machine),
      machineName: pe.coff.machineName,
      numberOfSections: pe.coff.numberOfSections,
      timeDateStamp: pe.coff.timeDateStamp,
      compileTime: pe.coff.timeDateStamp === 0 ? null : new Date(pe.coff.timeDateStamp * 1000).toISOString(),
      pointerToSymbolTable: h(pe.coff.pointerToSymbolTable),
      numberOfSymbols: pe.coff.numberOfSymbols,
      sizeOfOptionalHeader: pe.coff.sizeOfOptionalHeader,
      characteristics: h(pe.coff.characteristics),
      flags: pe.coff.flags,
    },
    optional: {
      offset: h(o.offset),
      magic: h(o.magic),
      linkerVersion: `${o.majorLinkerVersion}.${o.minorLinkerVersion}`,
      sizeOfCode: o.sizeOfCode,
      sizeOfInitializedData: o.sizeOfInitializedData,
      sizeOfUninitializedData: o.sizeOfUninitializedData,
      addressOfEntryPoint: h(o.addressOfEntryPoint),
      baseOfCode: h(o.baseOfCode),
      baseOfData: hn(o.baseOfData),
      imageBase: h(o.imageBase),
      sectionAlignment: h(o.sectionAlignment),
      fileAlignment: h(o.fileAlignment),
      operatingSystemVersion: `${o.majorOperatingSystemVersion}.${o.minorOperatingSystemVersion}`,
      imageVersion: `${o.majorImageVersion}.${o.minorImageVersion}`,
      subsystemVersion: `${o.majorSubsystemVersion}.${o.minorSubsystemVersion}`,
      win32VersionValue: o.win32VersionValue,
      sizeOfImage: h(o.sizeOfImage),
      sizeOfHeaders: h(o.sizeOfHeaders),
      checkSum: h(o.checkSum),
      subsystem: o.subsystem,
      subsystemName: o.subsystemName,
      dllCharacteristics: h(o.dllCharacteristics),
      dllFlags: o.dllFlags,
      sizeOfStackReserve: h(o.sizeOfStackReserve),
      sizeOfStackCommit: h(o.sizeOfStackCommit),
      sizeOfHeapReserve: h(o.sizeOfHeapReserve),
      sizeOfHeapCommit: h(o.sizeOfHeapCommit),
      loaderFlags: h(o.loaderFlags),
      numberOfRvaAndSizes: o.numberOfRvaAndSizes,
    },
    dataDirectories: pe.dataDirectories
      .filter((d) => d.inHeader && (d.virtualAddress !== 0 || d.size !== 0))
      .map((d) => ({ index: d.index, name: d.name, virtualAddress: h(d.virtualAddress), size: d.size })),
    entryPoint: { rva: h(pe.entryPoint.rva), va: h(pe.entryPoint.va), section: pe.entryPoint.section, offset: hn(pe.entryPoint.offset) },
    sections: ((stats) => pe.sections.map((s, i) => sectionJson(s, stats[i]!)))(pe.sectionStats()),
    imports: pe.imports.map((d) => ({
      dll: d.dll,
      descriptorRva: h(d.descriptorRva),
      originalFirstThunk: h(d.originalFirstThunk),
      firstThunk: h(d.firstThunk),
      timeDateStamp: d.timeDateStamp,
      functions: d.functions.map(functionJson),
    })),
    delayImports: pe.delayImports.map((d) => ({
      dll: d.dll,
      descriptorRva: h(d.descriptorRva),
      attributes: d.attributes,
      iatRva: h(d.iatRva),
      intRva: h(d.intRva),
      moduleHandleRva: h(d.moduleHandleRva),
      functions: d.functions.map(functionJson),
    })),
    boundImports: pe.boundImports.map((b) => ({ name: b.name, timeDateStamp: b.timeDateStamp, forwarders: b.forwarders })),
    exports:
      exp === null
        ? null
        : {
            name: exp.name,
            timeDateStamp: exp.timeDateStamp,
            base: exp.base,
            numberOfFunctions: exp.numberOfFunctions,
            numberOfNames: exp.numberOfNames,
            symbols: exp.symbols.map((s) => ({ ordinal: s.ordinal, rva: h(s.rva), name: s.name, forwarder: s.forwarder })),
          },
    tls:
      tls === null
        ? null
        : {
            startAddressOfRawData: h(tls.startAddressOfRawData),
            endAddressOfRawData: h(tls.endAddressOfRawData),
            addressOfIndex: h(tls.addressOfIndex),
            addressOfCallBacks: h(tls.addressOfCallBacks),
            sizeOfZeroFill: tls.sizeOfZeroFill,
            characteristics: h(tls.characteristics),
            callbacks: tls.callbacks.map((c) => ({ va: h(c.va), rva: hn(c.rva) })),
          },
    resourceList: pe.resourceList.map((r) => ({
      type: r.type,
      typeName: r.typeName,
      name: r.name,
      language: r.language,
      rva: h(r.rva),
      size: r.size,
      codePage: r.codePage,
      offset: hn(r.offset),
    })),
    versionInfo: pe.versionInfo.map((v) => ({
      language: v.language,
      fixed: v.fixed === null ? null : fixedJson(v.fixed),
      stringTables: v.stringTables.map((t) => ({ key: t.key, entries: t.entries })),
      translations: v.translations,
    })),
    manifest: pe.manifest,
    debug: pe.debug.map((d) => ({
      type: d.type,
      typeName: d.typeName,
      timeDateStamp: d.timeDateStamp,
      sizeOfData: d.sizeOfData,
      addressOfRawData: h(d.addressOfRawData),
      pointerToRawData: h(d.pointerToRawData),
      codeView: d.codeView === null ? null : { ...d.codeView },
    })),
    loadConfig:
      lc === null
        ? null
        : {
            size: lc.size,
            timeDateStamp: lc.timeDateStamp,
            securityCookie: hn(lc.securityCookie),
            seHandlerTable: hn(lc.seHandlerTable),
            seHandlerCount: lc.seHandlerCount === null ? null : Number(lc.seHandlerCount),
            guardCFCheckFunctionPointer: hn(lc.guardCFCheckFunctionPointer),
            guardCFFunctionTable: hn(lc.guardCFFunctionTable),
            guardCFFunctionCount: lc.guardCFFunctionCount === null ? null : Number(lc.guardCFFunctionCount),
            guardFlags: hn(lc.guardFlags),
            guardFlagNames: lc.guardFlagNames,
            cfgEnabled: lc.cfgEnabled,
          },
    relocations: rel === null ? null : { blocks: rel.blocks.length, entries: rel.entryCount, byType: rel.byType },
    exceptions: { count: pe.exceptions.length },
    certificates: pe.certificates.map((c) => ({
      offset: h(c.offset),
      length: c.length,
      revision: h(c.revision),
      type: c.typeName,
      authenticode:
        c.authenticode === null
          ? null
          : {
              signer: c.authenticode.signer === null ? null : certJson(c.authenticode.signer),
              signerIssuer: c.authenticode.signerIssuer?.text ?? null,
              signerSerialNumber: c.authenticode.signerSerialNumber,
              digestAlgorithm: c.authenticode.digestAlgorithmName ?? c.authenticode.digestAlgorithm,
              certificates: c.authenticode.certificates.map(certJson),
            },
    })),
    clr:
      clr === null
        ? null
        : {
            runtimeVersion: clr.runtimeVersion,
            headerVersion: `${clr.majorRuntimeVersion}.${clr.minorRuntimeVersion}`,
            flags: h(clr.flags),
            flagNames: clr.flagNames,
            metadataRva: h(clr.metadataRva),
            metadataSize: clr.metadataSize,
            entryPointTokenOrRva: h(clr.entryPointTokenOrRva),
          },
    rich:
      rich === null
        ? null
        : {
            offset: h(rich.offset),
            key: h(rich.key),
            checksumValid: rich.checksumValid,
            hash: rich.hash,
            entries: rich.entries.map((e) => ({ productId: e.productId, build: e.build, count: e.count })),
          },
    overlay: overlay === null ? null : { offset: h(overlay.offset), size: overlay.size, entropy: Number(overlay.entropy.toFixed(6)) },
    checksum: { stored: h(cs.stored), computed: h(cs.computed) },
    anomalies: pe.anomalies.map((a) => ({ code: a.code, severity: a.severity, message: a.message, offset: hn(a.offset) })),
  };
}

function certJson(c: { subject: { text: string }; issuer: { text: string }; serialNumber: string }): Json {
  return { subject: c.subject.text, issuer: c.issuer.text, serialNumber: c.serialNumber };
}
