// parsePe: reads the headers at once and every optional part of the image on first use, never throwing on bad bytes.

import type { Anomaly } from '../../core/anomaly.js';
import { PeAnomalies, type AnomalySink } from './anomalies.js';
import { AddressMap } from './addressmap.js';
import { parseCertificates } from './certificates.js';
import { headerChecks } from './checks.js';
import { parseClr } from './clr.js';
import { DIR_SECURITY, SCN_MEM_EXECUTE } from './constants.js';
import type { PeContext } from './context.js';
import { parseDebug } from './debug.js';
import { peChecksum } from './checksum.js';
import { entropy } from './entropy.js';
import { entropyAbove, type EntropyDecision } from './entropybound.js';
import { scanFile } from './scan.js';
import { parseExceptions, runtimeFunctions, type ExceptionTable } from './exceptions.js';
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

/**
 * Entropy, high-entropy decisions and md5 of file ranges, each computed once per range (hostile section tables repeat
 * the same range) and only when first asked for.
 */
class RangeStats {
  readonly #cache = new Map<string, { entropy?: number; above?: boolean; md5?: string }>();
  #prepare: (() => void) | null;
  readonly #tiling: () => ReadonlySet<string>;
  /**
   * `prepare` runs before the first high-entropy decision: the file scan that decides every range it can at once.
   * `tiling` gives the keys of the ranges that scan covers: they do not overlap, so hashing them all costs at most one
   * pass over the file, and they never count against the hashing budget.
   */
  constructor(
    readonly data: Uint8Array,
    prepare: () => void,
    tiling: () => ReadonlySet<string>,
  ) {
    this.#prepare = prepare;
    this.#tiling = tiling;
  }

  /** True when computing this range's entropy costs nothing against the hashing budget (tiled or done already). */
  free(start: number, end: number): boolean {
    return this.#tiling().has(`${start}:${end}`) || this.known(start, end) || this.highEntropyKnown(start, end);
  }

  setDecision(start: number, end: number, d: EntropyDecision): void {
    const s = this.#slot(start, end);
    s.above = d.above;
    if (d.entropy !== null) s.entropy = d.entropy;
  }

  #slot(start: number, end: number): { entropy?: number; above?: boolean; md5?: string } {
    const key = `${start}:${end}`;
    let s = this.#cache.get(key);
    if (s === undefined) {
      s = {};
      this.#cache.set(key, s);
    }
    return s;
  }

  entropy(start: number, end: number): number {
    const s = this.#slot(start, end);
    return (s.entropy ??= entropy(this.data, start, end));
  }

  /** Whether the range's entropy is above HIGH_ENTROPY_THRESHOLD (exact; see entropybound.ts for how it is cheap). */
  highEntropy(start: number, end: number): boolean {
    if (this.#prepare !== null) {
      const p = this.#prepare;
      this.#prepare = null;
      p();
    }
    const s = this.#slot(start, end);
    if (s.above === undefined) {
      if (s.entropy !== undefined) s.above = s.entropy > HIGH_ENTROPY_THRESHOLD;
      else {
        const d = entropyAbove(this.data, start, end, HIGH_ENTROPY_THRESHOLD);
        s.above = d.above;
        if (d.entropy !== null) s.entropy = d.entropy;
      }
    }
    return s.above;
  }

  md5(start: number, end: number): string {
    const s = this.#slot(start, end);
    return (s.md5 ??= md5Hex(this.data.subarray(start, end)));
  }

  known(start: number, end: number): boolean {
    return this.#cache.get(`${start}:${end}`)?.entropy !== undefined;
  }

  highEntropyKnown(start: number, end: number): boolean {
    return this.#cache.get(`${start}:${end}`)?.above !== undefined;
  }

  md5Known(start: number, end: number): boolean {
    return this.#cache.get(`${start}:${end}`)?.md5 !== undefined;
  }
}

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
  readonly #stats: RangeStats;

  constructor(h: SectionHeader, stats: RangeStats) {
    Object.assign(this, h);
    this.#stats = stats;
  }

  get entropy(): number {
    return this.#stats.entropy(this.dataStart, this.dataEnd);
  }

  get md5(): string {
    return this.#stats.md5(this.dataStart, this.dataEnd);
  }

  /** @internal how many bytes hashing this section reads: its data range cut at the end of the file. */
  get fileBytes(): number {
    return Math.max(0, Math.min(this.dataEnd, this.#stats.data.length) - this.dataStart);
  }

  /** The section's file bytes (a view, not a copy). */
  get data(): Uint8Array {
    return this.#stats.data.subarray(this.dataStart, this.dataEnd);
  }

  /** @internal true when these bytes' entropy costs nothing against the hashing budget (see RangeStats.free). */
  get entropyFree(): boolean {
    return this.#stats.free(this.dataStart, this.dataEnd);
  }

  get md5Known(): boolean {
    return this.#stats.md5Known(this.dataStart, this.dataEnd);
  }

  /** @internal whether the entropy is above HIGH_ENTROPY_THRESHOLD, decided without computing it when a bound can. */
  get highEntropy(): boolean {
    return this.#stats.highEntropy(this.dataStart, this.dataEnd);
  }


  toJSON(): Section {
    return { ...this, entropy: this.entropy, md5: this.md5 };
  }
}

interface Part<T> {
  value: T;
  anomalies: Anomaly[];
  dropped: number;
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
  readonly #stats: RangeStats;
  #runtimeFunctions: RuntimeFunction[] | undefined;
  #tiles: { start: number; end: number; section: boolean }[] | undefined;
  #tileKeys: Set<string> | undefined;
  /** The computed checksum, once summed (by the file scan or on its own). */
  #checksumValue: number | undefined;

  constructor(bytes: Uint8Array, headers: Headers, limits: PeLimits, now: number, headerAnomalies: PeAnomalies) {
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
    this.#stats = new RangeStats(bytes, () => this.#runScan(), () => this.#tiling);
    this.sections = headers.sections.map((h) => new PeSection(h, this.#stats));
    this.context = {
      data: bytes,
      budget: { nameBytes: limits.maxNameBytes, nameBytesReported: false },
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

  /**
   * The one pass over the file: the high-entropy decision of every section range that does not overlap another (those
   * that do are decided apart, within the scan budget), plus the checksum's word sum when a checksum is stored.
   */
  #runScan(): void {
    const chosen = this.#tiledRanges.filter((r) => r.section && r.end - r.start >= HIGH_ENTROPY_MIN_SIZE);
    const sum = this.optional.checkSum !== 0 && this.#checksumValue === undefined;
    const result = scanFile(this.bytes, chosen, HIGH_ENTROPY_THRESHOLD, sum ? this.#checksumOffset : null);
    chosen.forEach((r, i) => this.#stats.setDecision(r.start, r.end, result.decisions[i]!));
    if (result.checksum !== null) this.#checksumValue = result.checksum;
  }

  /**
   * The section ranges and the overlay, in file order, keeping each range that does not overlap the ones kept before
   * it: the ranges one pass over the file covers. (Overlapping ones come from hostile section tables.)
   */
  get #tiledRanges(): { start: number; end: number; section: boolean }[] {
    if (this.#tiles !== undefined) return this.#tiles;
    const ranges: { start: number; end: number; section: boolean }[] = [];
    const seen = new Set<string>();
    for (const s of this.sections) {
      const key = `${s.dataStart}:${s.dataEnd}`;
      if (s.dataEnd <= s.dataStart || seen.has(key)) continue;
      seen.add(key);
      ranges.push({ start: s.dataStart, end: s.dataEnd, section: true });
    }
    const ov = overlayOffset(this);
    if (ov !== null && ov < this.size) ranges.push({ start: ov, end: this.size, section: false });
    ranges.sort((a, b) => a.start - b.start || a.end - b.end);
    this.#tiles = [];
    for (const r of ranges) if (this.#tiles.length === 0 || r.start >= this.#tiles[this.#tiles.length - 1]!.end) this.#tiles.push(r);
    return this.#tiles;
  }

  get #tiling(): ReadonlySet<string> {
    return (this.#tileKeys ??= new Set(this.#tiledRanges.map((r) => `${r.start}:${r.end}`)));
  }

  get #checksumOffset(): number {
    return this.optional.offset + 64;
  }

  #computedChecksum(): number {
    return (this.#checksumValue ??= peChecksum(this.bytes, this.#checksumOffset));
  }

  #part<T>(name: PartName, compute: (an: AnomalySink) => T): T {
    let p = this.#parts.get(name) as Part<T> | undefined;
    if (p === undefined) {
      const an = new PeAnomalies(this.limits.maxAnomalies);
      let value: T;
      try {
        value = compute(an);
      } catch (e) {
        // A parser bug must not take the whole file down: report it as an anomaly of that part.
        an.add('PE_PARSER_ERROR', 'high', `${name}: ${e instanceof Error ? e.message : String(e)}`);
        value = undefined as T;
      }
      p = { value, anomalies: an.items, dropped: an.dropped };
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
    const table = this.#exceptionTable;
    return (this.#runtimeFunctions ??= table === undefined ? [] : runtimeFunctions(table));
  }

  get #exceptionTable(): ExceptionTable | undefined {
    return this.#part('exceptions', (an) => parseExceptions(this.context, an));
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

  /** CheckSum as stored and as computed over the file (`computed` is summed on first read, as pefile's generate_checksum). */
  get checksum(): Checksum {
    return (
      this.#part('checksum', (an) => {
        const stored = this.optional.checkSum;
        const field = this.#checksumOffset;
        const sum = new LazyChecksum(stored, () => this.#computedChecksum());
        // A stored 0 means "not set" (linkers leave it so unless asked; only drivers and boot files must carry one),
        // so there is nothing to compare and the pass over every byte waits until `computed` is read.
        if (stored !== 0 && stored !== sum.computed) {
          an.add('PE_CHECKSUM_MISMATCH', 'low', `CheckSum 0x${stored.toString(16)} differs from the computed 0x${sum.computed.toString(16)}`, field);
        }
        return sum;
      }) ?? new LazyChecksum(this.optional.checkSum, () => 0)
    );
  }

  /** Bytes after everything the headers describe (pefile's rule; the certificate table counts as overlay). */
  get overlay(): Overlay | null {
    const offset = overlayOffset(this);
    if (offset === null) return null;
    return new LazyOverlay(offset, this.size - offset, this.#stats);
  }

  /**
   * Entropy and md5 of every section within the file's hashing budget (maxSectionScanFactor x the file size): null
   * for the sections past it, which only a table of overlapping sections reaches. Renderers use this; the
   * `entropy` and `md5` getters of a section always compute (and may be slow on such a table).
   */
  sectionStats(): { entropy: number | null; md5: string | null }[] {
    let entropyLeft = this.limits.maxSectionScanFactor * this.size + SCAN_SLACK;
    let md5Left = entropyLeft;
    return (this.sections as PeSection[]).map((s) => {
      const size = s.fileBytes;
      let entropy: number | null = null;
      let md5: string | null = null;
      const free = s.entropyFree;
      if (free || size <= entropyLeft) {
        if (!free) entropyLeft -= size;
        entropy = s.entropy;
      }
      if (s.md5Known || size <= md5Left) {
        if (!s.md5Known) md5Left -= size;
        md5 = s.md5;
      }
      return { entropy, md5 };
    });
  }

  /** Every anomaly of every part (parsing all lazy parts first), in a fixed order. */
  get anomalies(): Anomaly[] {
    this.#touchAll();
    const out = [...this.#headerAnomalies];
    for (const name of PART_ORDER) out.push(...(this.#parts.get(name)?.anomalies ?? []));
    return out.slice(0, this.limits.maxAnomalies);
  }

  /** The optional parts parsed so far (they parse on first use). */
  get parsedParts(): string[] {
    return [...this.#parts.keys()];
  }

  /** Anomalies beyond the caps (per code and in total) that were counted but not kept. */
  get droppedAnomalies(): number {
    let n = this.#dropped;
    for (const p of this.#parts.values()) n += p.dropped;
    return n;
  }

  #touchAll(): void {
    this.#part('sections', (an) => sectionEntropyChecks(this.sections as PeSection[], this.limits.maxSectionScanFactor * this.size + SCAN_SLACK, an));
    void this.imports;
    void this.boundImports;
    void this.exports;
    void this.resources;
    void this.debug;
    void this.tls;
    void this.loadConfig;
    void this.relocations;
    void this.#exceptionTable;
    void this.certificates;
    void this.clr;
    void this.rich;
    void this.checksum;
  }
}

/**
 * A Checksum whose `computed` is summed on first read. A class rather than an object with its own getter: V8 gives
 * every object with a distinct accessor a map of its own, which the garbage collector then keeps paying for.
 */
class LazyChecksum implements Checksum {
  readonly #compute: () => number;
  constructor(
    readonly stored: number,
    compute: () => number,
  ) {
    this.#compute = compute;
  }

  get computed(): number {
    return this.#compute();
  }

  toJSON(): Checksum {
    return { stored: this.stored, computed: this.computed };
  }
}

/** An Overlay whose entropy is computed on first read (and kept per range), as pefile computes it in get_entropy(). */
class LazyOverlay implements Overlay {
  constructor(
    readonly offset: number,
    readonly size: number,
    readonly stats: RangeStats,
  ) {}

  get entropy(): number {
    return this.stats.entropy(this.offset, this.offset + this.size);
  }

  toJSON(): Overlay {
    return { offset: this.offset, size: this.size, entropy: this.entropy };
  }
}

/** Bytes the entropy checks may scan beyond the size-proportional budget (small files, many small sections). */
const SCAN_SLACK = 0x100000;

function sectionEntropyChecks(sections: readonly PeSection[], budget: number, an: AnomalySink): void {
  let left = budget;
  for (const s of sections) {
    const size = s.dataEnd - s.dataStart;
    if (size < HIGH_ENTROPY_MIN_SIZE) continue;
    if (!s.entropyFree) {
      if (s.fileBytes > left) {
        an.add('PE_LIMIT_EXCEEDED', 'medium', `section data overlaps past ${budget} bytes; entropy not checked from section ${s.index} on`, s.headerOffset);
        return;
      }
      left -= s.fileBytes;
    }
    // Decided exactly, usually from a bound without a histogram; a section above the threshold has its entropy computed.
    if (s.highEntropy) {
      const exec = (s.characteristics & SCN_MEM_EXECUTE) !== 0;
      an.add('PE_SECTION_HIGH_ENTROPY', exec ? 'medium' : 'low', `section ${s.index} (${JSON.stringify(s.longName ?? s.name)}) has entropy ${s.entropy.toFixed(3)}: compressed or encrypted data`, s.dataStart);
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
export function parsePe(input: Uint8Array, options: ParsePeOptions = {}): PeFile | NotPe {
  const limits: PeLimits = { ...PE_LIMITS, ...options.limits };
  // A plain view: subclasses such as Node's Buffer make every subarray() slower and are not needed here.
  const bytes = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const an = new PeAnomalies(limits.maxAnomalies);
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
