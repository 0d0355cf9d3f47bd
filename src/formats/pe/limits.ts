// Every count, depth and size the PE parser will go up to: hostile files cannot make it loop, recurse or allocate past these.

export interface PeLimits {
  /** Section headers read from the table (NumberOfSections is a u16; pefile stops at 0x800). */
  maxSections: number;
  /** Import descriptors (DLLs) read from the import and delay-import directories, each. */
  maxImportDescriptors: number;
  /** Thunks read over all import and delay-import lookup tables and IATs of one file (pefile stops at 0x2000). */
  maxImportThunks: number;
  /** Bytes of an imported DLL name or function name. */
  maxImportNameLength: number;
  /** Export address table entries looked at (ordinals are 16-bit once named). */
  maxExportFunctions: number;
  /** Export name table entries looked at. */
  maxExportNames: number;
  /** Bytes of an export or forwarder name. */
  maxExportNameLength: number;
  /** Bytes of import, export and DLL names read over the whole file (hostile tables can point every name at one long run). */
  maxNameBytes: number;
  /** Bound import descriptors plus their forwarder references. */
  maxBoundImports: number;
  /** Resource directory nesting (the tree is type/name/language; deeper is hostile). */
  maxResourceDepth: number;
  /** Resource directory entries over the whole tree. */
  maxResourceEntries: number;
  /** UTF-16 code units of a resource name. */
  maxResourceNameLength: number;
  /** RT_VERSION resources decoded (kernel32 carries one per language: 36). */
  maxVersionResources: number;
  /** Bytes of a version-info resource that are decoded. */
  maxVersionInfoSize: number;
  /** Nested version-info blocks (VS_VERSIONINFO > StringFileInfo > StringTable > String). */
  maxVersionInfoBlocks: number;
  /** UTF-16 code units of a version-info key or value. */
  maxVersionStringLength: number;
  /** Bytes of a manifest resource decoded as text. */
  maxManifestSize: number;
  /** IMAGE_DEBUG_DIRECTORY entries. */
  maxDebugEntries: number;
  /** Bytes of a CodeView PDB path. */
  maxPdbPathLength: number;
  /** TLS callback pointers read from the callback array. */
  maxTlsCallbacks: number;
  /** Base relocation blocks. */
  maxRelocationBlocks: number;
  /** Base relocation entries over all blocks. */
  maxRelocationEntries: number;
  /** RUNTIME_FUNCTION entries of the exception directory. */
  maxRuntimeFunctions: number;
  /** WIN_CERTIFICATE entries in the certificate table. */
  maxCertificates: number;
  /** DER elements visited while reading one signature. */
  maxDerElements: number;
  /** Certificates inside one PKCS#7 SignedData looked at. */
  maxSignedDataCertificates: number;
  /** Bytes of the .NET metadata version string. */
  maxClrVersionLength: number;
  /** Bytes of a COFF string-table entry (long section names). */
  maxLongSectionNameLength: number;
  /** Bytes of section data scanned for the entropy checks, as a multiple of the file size (sections can overlap). */
  maxSectionScanFactor: number;
  /** Anomalies kept per file (the rest are counted as dropped). */
  maxAnomalies: number;
}

export const PE_LIMITS: Readonly<PeLimits> = Object.freeze({
  maxSections: 0x800,
  maxImportDescriptors: 0x1000,
  maxImportThunks: 0x10000,
  maxImportNameLength: 0x200,
  maxExportFunctions: 0x10000,
  maxExportNames: 0x10000,
  maxExportNameLength: 0x200,
  maxNameBytes: 0x200000,
  maxBoundImports: 0x400,
  maxResourceDepth: 32,
  maxResourceEntries: 0x8000,
  maxResourceNameLength: 0x100,
  maxVersionResources: 64,
  maxVersionInfoSize: 0x10000,
  maxVersionInfoBlocks: 0x1000,
  maxVersionStringLength: 0x1000,
  maxManifestSize: 0x40000,
  maxDebugEntries: 64,
  maxPdbPathLength: 0x400,
  maxTlsCallbacks: 256,
  maxRelocationBlocks: 0x10000,
  maxRelocationEntries: 0x200000,
  maxRuntimeFunctions: 0x100000,
  maxCertificates: 16,
  maxDerElements: 0x4000,
  maxSignedDataCertificates: 64,
  maxClrVersionLength: 255,
  maxLongSectionNameLength: 256,
  maxSectionScanFactor: 4,
  maxAnomalies: 1000,
});
