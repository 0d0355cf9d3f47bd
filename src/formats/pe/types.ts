// The shapes parsePe returns: headers as read, and each optional part of the image as a typed object.
//
// Conventions: RVAs and file offsets are numbers (they are 32-bit); virtual addresses, which are 64-bit in PE32+, are
// bigints. Names from the file (DLLs, symbols, sections) are byte strings with one code point per byte, so nothing is
// lost; text stored as UTF-16 (resources, version info) is decoded.

import type { Anomaly } from '../../core/anomaly.js';
import type { PeLimits } from './limits.js';

export interface ParsePeOptions {
  /** Override some limits (tests, or a sweep that wants to spend less on a file). */
  limits?: Partial<PeLimits>;
  /** "Now" in ms since the epoch, for the timestamp-in-the-future check; defaults to Date.now(). */
  now?: number;
}

export interface NotPe {
  isPe: false;
  /** Why not: no MZ, no PE signature, an NE/LE/LX image... */
  reason: string;
}

export interface DosHeader {
  magic: number;
  lastPageSize: number;
  pageCount: number;
  relocationCount: number;
  headerParagraphs: number;
  minAlloc: number;
  maxAlloc: number;
  ss: number;
  sp: number;
  checksum: number;
  ip: number;
  cs: number;
  relocationTableOffset: number;
  overlayNumber: number;
  /** e_res: four reserved words (zero as linkers write them; a place to hide bytes). */
  reserved: number[];
  oemId: number;
  oemInfo: number;
  /** e_res2: ten reserved words. */
  reserved2: number[];
  /** e_lfanew: file offset of the PE signature. */
  lfanew: number;
}

export interface CoffHeader {
  /** File offset of the header (after the PE signature). */
  offset: number;
  machine: number;
  machineName: string;
  numberOfSections: number;
  timeDateStamp: number;
  pointerToSymbolTable: number;
  numberOfSymbols: number;
  sizeOfOptionalHeader: number;
  characteristics: number;
  flags: string[];
}

export interface OptionalHeader {
  offset: number;
  magic: number;
  /** False when Magic is neither 0x10b nor 0x20b (then the header is read as PE32, as pefile does). */
  magicKnown: boolean;
  majorLinkerVersion: number;
  minorLinkerVersion: number;
  sizeOfCode: number;
  sizeOfInitializedData: number;
  sizeOfUninitializedData: number;
  addressOfEntryPoint: number;
  baseOfCode: number;
  /** PE32 only. */
  baseOfData: number | null;
  imageBase: bigint;
  sectionAlignment: number;
  fileAlignment: number;
  majorOperatingSystemVersion: number;
  minorOperatingSystemVersion: number;
  majorImageVersion: number;
  minorImageVersion: number;
  majorSubsystemVersion: number;
  minorSubsystemVersion: number;
  win32VersionValue: number;
  sizeOfImage: number;
  sizeOfHeaders: number;
  checkSum: number;
  subsystem: number;
  subsystemName: string;
  dllCharacteristics: number;
  dllFlags: string[];
  sizeOfStackReserve: bigint;
  sizeOfStackCommit: bigint;
  sizeOfHeapReserve: bigint;
  sizeOfHeapCommit: bigint;
  loaderFlags: number;
  numberOfRvaAndSizes: number;
}

export interface DataDirectory {
  index: number;
  name: string;
  /** An RVA, except for SECURITY where it is a file offset. */
  virtualAddress: number;
  size: number;
  /** False when the index is at or past NumberOfRvaAndSizes: the loader ignores it and so do we. */
  inHeader: boolean;
  /** File offset of this entry in the optional header. */
  fieldOffset: number;
}

export interface SectionHeader {
  /** Position in the section table. */
  index: number;
  /** File offset of the 40-byte header. */
  headerOffset: number;
  /** The 8-byte Name up to its first NUL. */
  name: string;
  /** The name a `/N` entry points at in the COFF string table (MinGW long names), else null. */
  longName: string | null;
  virtualAddress: number;
  virtualSize: number;
  sizeOfRawData: number;
  pointerToRawData: number;
  pointerToRelocations: number;
  pointerToLinenumbers: number;
  numberOfRelocations: number;
  numberOfLinenumbers: number;
  characteristics: number;
  flags: string[];
  /** IMAGE_SCN_ALIGN_* in bytes, or null when the nibble is 0 or out of range. */
  alignment: number | null;
  /** File range whose bytes are the section's data, as pefile's get_data takes it (entropy and md5 cover it). */
  dataStart: number;
  dataEnd: number;
}

export interface Section extends SectionHeader {
  /** Shannon entropy of the section's file bytes (bits per byte). */
  readonly entropy: number;
  /** MD5 of the section's file bytes. */
  readonly md5: string;
}

export interface EntryPoint {
  rva: number;
  va: bigint;
  /** Index of the section holding it, or null. */
  section: number | null;
  /** File offset of its first byte, or null when not file-backed. */
  offset: number | null;
}

export interface ImportedFunction {
  /** From the hint/name table; for an import by ordinal from ws2_32, wsock32 or oleaut32, the known name (as pefile). */
  name: string | null;
  /** The ordinal, when imported by ordinal. */
  ordinal: number | null;
  byOrdinal: boolean;
  hint: number | null;
  /** RVA of the IAT slot the loader fills with the function's address: `call [ImageBase + iatRva]`. */
  iatRva: number;
  /** RVA of the lookup-table entry that named it. */
  thunkRva: number;
  /** The IAT's value when it differs from the lookup table (a bound import), else null. */
  bound: bigint | null;
}

export interface ImportedDll {
  dll: string;
  /** RVA of the IMAGE_IMPORT_DESCRIPTOR. */
  descriptorRva: number;
  originalFirstThunk: number;
  timeDateStamp: number;
  forwarderChain: number;
  nameRva: number;
  firstThunk: number;
  functions: ImportedFunction[];
}

export interface DelayImportedDll {
  dll: string;
  descriptorRva: number;
  attributes: number;
  /** True for the pre-VC7 layout whose fields are VAs (attributes bit 0 clear); they are given here as RVAs. */
  usesVirtualAddresses: boolean;
  nameRva: number;
  moduleHandleRva: number;
  iatRva: number;
  intRva: number;
  boundIatRva: number;
  unloadIatRva: number;
  timeDateStamp: number;
  functions: ImportedFunction[];
}

export interface BoundImport {
  name: string;
  timeDateStamp: number;
  forwarders: { name: string; timeDateStamp: number }[];
}

export interface ExportedSymbol {
  ordinal: number;
  /** RVA of the function, or of the forwarder string when `forwarder` is set. */
  rva: number;
  name: string | null;
  /** "DLL.Function" when the export is forwarded. */
  forwarder: string | null;
}

export interface ExportDirectory {
  /** The DLL's own name as its export directory gives it. */
  name: string | null;
  characteristics: number;
  timeDateStamp: number;
  majorVersion: number;
  minorVersion: number;
  base: number;
  numberOfFunctions: number;
  numberOfNames: number;
  addressOfFunctions: number;
  addressOfNames: number;
  addressOfNameOrdinals: number;
  /** Named exports in name-table order, then exports by ordinal only, in ordinal order (pefile's order). */
  symbols: ExportedSymbol[];
}

export interface TlsCallback {
  va: bigint;
  /** va - ImageBase when that lies in the image, else null. */
  rva: number | null;
}

export interface TlsDirectory {
  startAddressOfRawData: bigint;
  endAddressOfRawData: bigint;
  addressOfIndex: bigint;
  addressOfCallBacks: bigint;
  sizeOfZeroFill: number;
  characteristics: number;
  callbacks: TlsCallback[];
}

export interface RuntimeFunction {
  beginRva: number;
  endRva: number;
  /** RVA of UNWIND_INFO (or of a chained RUNTIME_FUNCTION when bit 0 is set, as on x64). */
  unwindInfoRva: number;
}

export interface RelocationBlock {
  /** RVA of the block header. */
  rva: number;
  pageRva: number;
  sizeOfBlock: number;
  /** Number of 16-bit entries in the block (IMAGE_REL_BASED_ABSOLUTE padding included). */
  count: number;
  /** File offset of the first entry, or null when not file-backed. */
  offset: number | null;
}

export interface Relocations {
  blocks: RelocationBlock[];
  entryCount: number;
  /** Entry counts by type name (HIGHLOW, DIR64, ABSOLUTE...). */
  byType: Record<string, number>;
}

export interface Relocation {
  rva: number;
  type: number;
}

export interface ResourceData {
  rva: number;
  size: number;
  codePage: number;
  reserved: number;
  /** File offset of the data, or null when not file-backed. */
  offset: number | null;
}

export interface ResourceEntry {
  id: number | null;
  name: string | null;
  directory?: ResourceDirectory;
  data?: ResourceData;
}

export interface ResourceDirectory {
  characteristics: number;
  timeDateStamp: number;
  majorVersion: number;
  minorVersion: number;
  entries: ResourceEntry[];
}

/** One resource (a leaf of the type/name/language tree). */
export interface ResourceLeaf {
  /** Type id (3 = RT_ICON...) or a name. */
  type: number | string;
  typeName: string;
  name: number | string;
  language: number;
  /** LANGID split: primary language and sub-language. */
  primaryLanguage: number;
  subLanguage: number;
  rva: number;
  size: number;
  codePage: number;
  offset: number | null;
}

export interface FixedFileInfo {
  signature: number;
  structVersion: number;
  fileVersionMS: number;
  fileVersionLS: number;
  productVersionMS: number;
  productVersionLS: number;
  /** "a.b.c.d" */
  fileVersion: string;
  productVersion: string;
  fileFlagsMask: number;
  fileFlags: number;
  fileOS: number;
  fileType: number;
  fileSubtype: number;
  fileDateMS: number;
  fileDateLS: number;
}

export interface VersionStringTable {
  /** The 8-hex-digit key: language and code page, e.g. "040904b0". */
  key: string;
  /** Key/value pairs in file order (duplicates kept). */
  entries: [string, string][];
}

export interface VersionInfo {
  /** Language of the RT_VERSION resource it came from. */
  language: number;
  fixed: FixedFileInfo | null;
  stringTables: VersionStringTable[];
  /** VarFileInfo\Translation pairs. */
  translations: { language: number; codePage: number }[];
}

export interface CodeViewInfo {
  format: 'RSDS' | 'NB10';
  /** Bytes of the path up to its NUL, decoded as UTF-8 (the linker writes UTF-8). */
  pdbPath: string;
  /** RSDS: the GUID in registry form, upper case, without braces. */
  guid: string | null;
  /** NB10: the 32-bit signature. */
  signature: number | null;
  age: number;
}

export interface DebugEntry {
  characteristics: number;
  timeDateStamp: number;
  majorVersion: number;
  minorVersion: number;
  type: number;
  typeName: string;
  sizeOfData: number;
  addressOfRawData: number;
  pointerToRawData: number;
  codeView: CodeViewInfo | null;
}

export interface LoadConfig {
  /** The directory's own Size field. */
  size: number;
  /** Bytes of the structure actually read (the smallest of Size, the directory size and what the file holds). */
  bytesRead: number;
  timeDateStamp: number;
  majorVersion: number;
  minorVersion: number;
  globalFlagsClear: number;
  globalFlagsSet: number;
  securityCookie: bigint | null;
  seHandlerTable: bigint | null;
  seHandlerCount: bigint | null;
  guardCFCheckFunctionPointer: bigint | null;
  guardCFDispatchFunctionPointer: bigint | null;
  guardCFFunctionTable: bigint | null;
  guardCFFunctionCount: bigint | null;
  guardFlags: number | null;
  guardFlagNames: string[];
  /** Control Flow Guard: the image is instrumented and the loader will enforce it (DllCharacteristics GUARD_CF). */
  cfgEnabled: boolean;
}

export interface X509Name {
  /** RFC 4514 style, most specific first: "CN=..., O=..., C=...". */
  text: string;
  commonName: string | null;
}

export interface CertificateSummary {
  subject: X509Name;
  issuer: X509Name;
  /** Serial number as hex digits. */
  serialNumber: string;
}

export interface AuthenticodeInfo {
  /** The certificate of the first SignerInfo (matched by issuer and serial), when present. */
  signer: CertificateSummary | null;
  /** Issuer and serial the SignerInfo names, even when its certificate is missing. */
  signerIssuer: X509Name | null;
  signerSerialNumber: string | null;
  /** Dotted OID of the digest algorithm of the first SignerInfo. */
  digestAlgorithm: string | null;
  /** Its common name (sha256, sha1, md5...) when known. */
  digestAlgorithmName: string | null;
  certificates: CertificateSummary[];
}

export interface CertificateEntry {
  /** File offset of the WIN_CERTIFICATE. */
  offset: number;
  length: number;
  revision: number;
  type: number;
  /** PKCS_SIGNED_DATA, X509, ... */
  typeName: string;
  authenticode: AuthenticodeInfo | null;
}

export interface ClrHeader {
  cb: number;
  majorRuntimeVersion: number;
  minorRuntimeVersion: number;
  metadataRva: number;
  metadataSize: number;
  flags: number;
  flagNames: string[];
  entryPointTokenOrRva: number;
  resourcesRva: number;
  resourcesSize: number;
  strongNameSignatureRva: number;
  strongNameSignatureSize: number;
  /** The metadata root's version string, such as "v4.0.30319", when the root ("BSJB") reads. */
  runtimeVersion: string | null;
}

export interface RichEntry {
  productId: number;
  build: number;
  count: number;
}

export interface RichHeader {
  /** File offset of "DanS" (masked) and of the byte after the "Rich" key. */
  offset: number;
  end: number;
  key: number;
  /** Checksum recomputed over the DOS header and stub and the entries; equal to `key` in an untouched file. */
  computedChecksum: number;
  checksumValid: boolean;
  entries: RichEntry[];
  /** pefile's get_rich_header_hash(): MD5 of the unmasked bytes from 0x80 to "Rich". */
  hash: string;
}

export interface Overlay {
  offset: number;
  size: number;
  entropy: number;
}

export interface Checksum {
  stored: number;
  computed: number;
}

export type { Anomaly };
