// parsePe: reads the headers at once and every optional part of the image on first use, never throwing on bad bytes.

import { AnomalyList, type Anomaly } from '../../core/anomaly.js';
import { AddressMap } from './addressmap.js';
import { parseCertificates } from './certificates.js';
import { headerChecks } from './checks.js';
import { peChecksum } from './checksum.js';
import { parseClr } from './clr.js';
import { DIR_SECURITY, SCN_MEM_EXECUTE } from './constants.js';
import type { PeContext } from './context.js';
import { parseDebug } from './debug.js';
import { entropy } from './entropy.js';
import { parseExceptions } from './exceptions.js';
import { parseExports } from './exports.js';
import { readHeaders, type Headers } from './headers.js';
import { imphash } from './imphash.js';
import { parseBoundImports, parseDelayImports, parseImports, thunkBudget } from './imports.js';
import { PE_LIMITS, type PeLimits } from './limits.js';
import { parseLoadConfig } from './loadconfig.js';
import { md5Hex } from './md5.js';
import { parseRelocations } from './relocations.js';
import { manifestOf, parseResources, type ResourceTree } from './resources.js';
import { parseRich } from './rich.js';
import { parseTls } from './tls.js';
import type {
  AuthenticodeInfo,
  BoundImport,
  CertificateEntry,
  Checksum,
  ClrHeader,
  CodeViewInfo,
  CoffHeader,
  DataDirectory,
  DebugEntry,
  DelayImportedDll,
  DosHeader,
  EntryPoint,
  ExportDirectory,
  ImportedDll,
  LoadConfig,
  NotPe,
  OptionalHeader,
  Overlay,
  ParsePeOptions,
  Relocations,
  ResourceDirectory,
  ResourceLeaf,
  RichHeader,
  RuntimeFunction,
  Section,
  SectionHeader,
  TlsDirectory,
  VersionInfo,
} from './types.js';
import { parseVersionInfo } from './versioninfo.js';

/** Entropy above which a section's bytes look compressed or encrypted (packed code, embedded archives). */
export const HIGH_ENTROPY_THRESHOLD = 7.2;
/** Sections smaller than this are too short for entropy to mean much. */
const HIGH_ENTROPY_MIN_SIZE = 512;

/** A section header plus its data's entropy and md5, computed on first use. */
class PeSection implements Section {
  readonly index!: number;
  readonly headerOffset!: number;
  readonly name!: string;
  readonly longName!: string | null;
  readonly virtualAddress!: number;
  readonly virtualSize!: number;
  readonly sizeOfRawData!: number;
  readonly pointerToRawData!: number;
  readonly pointerToRelocations!: number;
  readonly pointerToLinenumbers!: number;
  readonly numberOfRelocations!: number;
  readonly numberOfLinenumbers!: number;
  readonly characteristics!: number;
  readonly flags!: string[];
  readonly alignment!: number | null;
  readonly dataStart!: number;
  readonly dataEnd!: number;
  #entropy: number | undefined;
  #md5: string | undefined;
  readonly #data: Uint8Array;

  constructor(h: SectionHeader, data: Uint8Array) {
    Object.assign(this, h);
    this.#data = data;
  }

  get entropy(): number {
    if (this.#entropy === undefined) this.#entropy = entropy(this.#data, this.dataStart, this.dataEnd);
    return this.#entropy;
  }

  get md5(): string {
    if (this.#md5 === undefined) this.#md5 = md5Hex(this.#data.subarray(this.dataStart, this.dataEnd));
    return this.#md5;
  }

  /** The section's file bytes (a view, not a copy). */
  get data(): Uint8Array {
    return this.#data.subarray(this.dataStart, this.dataEnd);
  }

  toJSON(): Section {
    return { ...this, entropy: this.entropy, md5: this.md5 };
  }
}

interface Part<T> {
  value: T;
  anomalies: Anomaly[];
}

/** The order anomalies are reported in, whatever order the parts were first touched in. */
const PART_ORDER = [
  'sections',
  'imports',
  'boundImports',
  'exports',
  'resources',
  'debug',
  'tls',
  'loadConfig',
  'relocations',
  'exceptions',
  'certificates',
  'clr',
  'rich',
  'checksum',
] as const;
type PartName = (typeof PART_ORDER)[number];

export class PeFile {
  readonly isPe = true as const;
  /** The bytes parsed (not copied). */
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly dos: DosHeader;
  /** The DOS stub: from the end of the DOS header to e_lfanew. */
  readonly dosStub: { offset: number; size: number };
  readonly coff: CoffHeader;
  readonly optional: OptionalHeader;
  readonly is64: boolean;
  readonly imageBase: bigint;
  /** All 16 directories; those at or past NumberOfRvaAndSizes are zero with inHeader false. */
  readonly dataDirectories: readonly DataDirectory[];
  /** In section-table order. */
  readonly sections: readonly Section[];
  readonly sectionTableOffset: number;
  readonly entryPoint: EntryPoint;
  readonly map: AddressMap;
  readonly limits: PeLimits;
  readonly isDll: boolean;
  /** @internal what the directory parsers share. */
  readonly context: PeContext;
  readonly #headerAnomalies: Anomaly[];
  readonly #dropped: number;
  readonly #parts = new Map<PartName, Part<unknown>>();

  constructor(bytes: Uint8Array, headers: Headers, limits: PeLimits, now: number, headerAnomalies: AnomalyList) {
    this.bytes = bytes;
    this.size = bytes.length;
    this.limits = limits;
    this.dos = headers.dos;
    this.dosStub = { offset: 64, size: Math.max(0, Math.min(headers.dos.lfanew, bytes.length) - 64) };
    this.coff = headers.coff;
    this.optional = headers.optional;
    this.is64 = headers.is64;
    this.imageBase = headers.optional.imageBase;
    this.dataDirectories = headers.directories;
    this.sectionTableOffset = headers.sectionTableOffset;
    this.isDll = (headers.coff.characteristics & 0x2000) !== 0;
    this.map = new AddressMap(bytes.length, headers.sections, headers.optional.sectionAlignment, headers.optional.fileAlignment, headers.optional.sizeOfHeaders);
    this.sections = headers.sections.map((h) => new PeSection(h, bytes));
    this.context = {
      data: bytes,
      map: this.map,
      is64: headers.is64,
      machine: headers.coff.machine,
      imageBase: headers.optional.imageBase,
      sizeOfImage: headers.optional.sizeOfImage,
      limits,
      sections: headers.sections,
      directories: headers.directories,
    };
    const ep = headers.optional.addressOfEntryPoint;
    const epRegion = this.map.flat ? null : this.map.regionOf(ep);
    this.entryPoint = {
      rva: ep,
      va: headers.optional.imageBase + BigInt(ep),
      section: epRegion !== null && epRegion.section >= 0 ? epRegion.section : null,
      offset: this.map.rvaToOffset(ep),
    };
    headerChecks({ headers, map: this.map, fileSize: bytes.length, now }, headerAnomalies);
    this.#headerAnomalies = headerAnomalies.items;
    this.#dropped = headerAnomalies.dropped;
  }

  #part<T>(name: PartName, compute: (an: AnomalyList) => T): T {
    let p = this.#parts.get(name) as Part<T> | undefined;
    if (p === undefined) {
      const an = new AnomalyList(this.limits.maxAnomalies);
      let value: T;
      try {
        value = compute(an);
      } catch (e) {
        // A parser bug must not take the whole file down: report it as an anomaly of that part.
        an.add('PE_PARSER_ERROR', 'high', `${name}: ${e instanceof Error ? e.message : String(e)}`);
        value = undefined as T;
      }
      p = { value, anomalies: an.items };
      this.#parts.set(name, p);
    }
    return p.value;
  }

  get #importParts(): { imports: ImportedDll[]; delayImports: DelayImportedDll[] } {
    return (
      this.#part('imports', (an) => {
        const budget = thunkBudget(this.context);
        return { imports: parseImports(this.context, budget, an), delayImports: parseDelayImports(this.context, budget, an) };
      }) ?? { imports: [], delayImports: [] }
    );
  }

  /** Imported DLLs in descriptor order, each with its functions and their IAT slots. */
  get imports(): ImportedDll[] {
    return this.#importParts.imports;
  }

  get delayImports(): DelayImportedDll[] {
    return this.#importParts.delayImports;
  }

  get boundImports(): BoundImport[] {
    return this.#part('boundImports', (an) => parseBoundImports(this.context, an)) ?? [];
  }

  /** pefile's imphash of the imports, or null when there are none. */
  get imphash(): string | null {
    return imphash(this.imports);
  }

  get exports(): ExportDirectory | null {
    return this.#part('exports', (an) => parseExports(this.context, an)) ?? null;
  }

  get #resourceParts(): { tree: ResourceTree; versionInfo: VersionInfo[]; manifest: string | null } {
    return (
      this.#part('resources', (an) => {
        const tree = parseResources(this.context, an);
        return { tree, versionInfo: parseVersionInfo(this.context, tree.leaves, an), manifest: manifestOf(this.context, tree.leaves) };
      }) ?? { tree: { root: null, leaves: [] }, versionInfo: [], manifest: null }
    );
  }

  /** The resource directory tree. */
  get resources(): ResourceDirectory | null {
    return this.#resourceParts.tree.root;
  }

  /** Every resource as a flat list of type/name/language leaves. */
  get resourceList(): ResourceLeaf[] {
    return this.#resourceParts.tree.leaves;
  }

  /** Each RT_VERSION resource decoded (usually one). */
  get versionInfo(): VersionInfo[] {
    return this.#resourceParts.versionInfo;
  }

  get manifest(): string | null {
    return this.#resourceParts.manifest;
  }

  get debug(): DebugEntry[] {
    return this.#part('debug', (an) => parseDebug(this.context, an)) ?? [];
  }

  /** The first CodeView record of the debug directory. */
  get codeView(): CodeViewInfo | null {
    return this.debug.find((d) => d.codeView !== null)?.codeView ?? null;
  }

  get tls(): TlsDirectory | null {
    return this.#part('tls', (an) => parseTls(this.context, an)) ?? null;
  }

  get loadConfig(): LoadConfig | null {
    return this.#part('loadConfig', (an) => parseLoadConfig(this.context, this.optional.dllCharacteristics, an)) ?? null;
  }

  get relocations(): Relocations | null {
    return this.#part('relocations', (an) => parseRelocations(this.context, an)) ?? null;
  }

  /** RUNTIME_FUNCTION entries of the exception directory (x64). */
  get exceptions(): RuntimeFunction[] {
    return this.#part('exceptions', (an) => parseExceptions(this.context, an)) ?? [];
  }

  get certificates(): CertificateEntry[] {
    return this.#part('certificates', (an) => parseCertificates(this.context, an)) ?? [];
  }

  /** The first Authenticode signature's decoded SignedData, when the file carries one. */
  get authenticode(): AuthenticodeInfo | null {
    return this.certificates.find((c) => c.authenticode !== null)?.authenticode ?? null;
  }

  get clr(): ClrHeader | null {
    return this.#part('clr', (an) => parseClr(this.context, an)) ?? null;
  }

  get rich(): RichHeader | null {
    return (
      this.#part('rich', (an) => {
        const r = parseRich(this.bytes, this.dos.lfanew);
        if (r !== null && !r.checksumValid) {
          an.add('PE_RICH_CHECKSUM_MISMATCH', 'medium', `Rich header key 0x${r.key.toString(16)} is not its checksum 0x${r.computedChecksum.toString(16)}: the header or DOS stub was edited`, r.offset);
        }
        return r;
      }) ?? null
    );
  }

  /** CheckSum as stored and as computed over the file. */
  get checksum(): Checksum {
    return (
      this.#part('checksum', (an) => {
        const stored = this.optional.checkSum;
        const computed = peChecksum(this.bytes, this.optional.offset + 64);
        if (stored !== 0 && stored !== computed) {
          an.add('PE_CHECKSUM_MISMATCH', 'low', `CheckSum 0x${stored.toString(16)} differs from the computed 0x${computed.toString(16)}`, this.optional.offset + 64);
        }
        return { stored, computed };
      }) ?? { stored: this.optional.checkSum, computed: 0 }
    );
  }

  /** Bytes after everything the headers describe (pefile's rule; the certificate table counts as overlay). */
  get overlay(): Overlay | null {
    const offset = overlayOffset(this);
    if (offset === null) return null;
    return { offset, size: this.size - offset, entropy: entropy(this.bytes, offset, this.size) };
  }

  /** Every anomaly of every part (parsing all lazy parts first), in a fixed order. */
  get anomalies(): Anomaly[] {
    this.#touchAll();
    const out = [...this.#headerAnomalies];
    for (const name of PART_ORDER) out.push(...(this.#parts.get(name)?.anomalies ?? []));
    return out.slice(0, this.limits.maxAnomalies);
  }

  /** Anomalies beyond the cap that were counted but not kept. */
  get droppedAnomalies(): number {
    return this.#dropped;
  }

  #touchAll(): void {
    this.#part('sections', (an) => sectionEntropyChecks(this.sections, an));
    void this.imports;
    void this.boundImports;
    void this.exports;
    void this.resources;
    void this.debug;
    void this.tls;
    void this.loadConfig;
    void this.relocations;
    void this.exceptions;
    void this.certificates;
    void this.clr;
    void this.rich;
    void this.checksum;
  }
}

function sectionEntropyChecks(sections: readonly Section[], an: AnomalyList): void {
  for (const s of sections) {
    const size = s.dataEnd - s.dataStart;
    if (size < HIGH_ENTROPY_MIN_SIZE) continue;
    const e = s.entropy;
    if (e > HIGH_ENTROPY_THRESHOLD) {
      const exec = (s.characteristics & SCN_MEM_EXECUTE) !== 0;
      an.add('PE_SECTION_HIGH_ENTROPY', exec ? 'medium' : 'low', `section ${s.index} (${JSON.stringify(s.longName ?? s.name)}) has entropy ${e.toFixed(3)}: compressed or encrypted data`, s.dataStart);
    }
  }
}

/** pefile's get_overlay_data_start_offset: the largest end of the optional header, sections and directories. */
function overlayOffset(pe: PeFile): number | null {
  const size = pe.size;
  let largest = 0;
  const consider = (offset: number, length: number): void => {
    const end = offset + length;
    if (end <= size && end > largest) largest = end;
  };
  consider(pe.optional.offset, pe.coff.sizeOfOptionalHeader);
  for (const s of pe.sections) consider(s.pointerToRawData, s.sizeOfRawData);
  for (const d of pe.dataDirectories) {
    if (!d.inHeader || d.index === DIR_SECURITY) continue;
    const off = d.virtualAddress === 0 ? 0 : pe.map.rvaToOffset(d.virtualAddress);
    if (off !== null) consider(off, d.size);
  }
  return size > largest ? largest : null;
}

/** Parses `bytes` as a PE image. Never throws: a non-PE gives `{ isPe: false }`, a broken PE what could be read. */
export function parsePe(bytes: Uint8Array, options: ParsePeOptions = {}): PeFile | NotPe {
  const limits: PeLimits = { ...PE_LIMITS, ...options.limits };
  const an = new AnomalyList(limits.maxAnomalies);
  try {
    const r = readHeaders(bytes, limits, an);
    if (!r.ok) return { isPe: false, reason: r.reason };
    return new PeFile(bytes, r.headers, limits, options.now ?? Date.now(), an);
  } catch (e) {
    return { isPe: false, reason: `unreadable headers: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function isPeFile(r: PeFile | NotPe): r is PeFile {
  return r.isPe;
}
