// Names for the numeric fields of PE headers (winnt.h), as pefile spells them without their common prefix.

export const MACHINE_NAMES: Readonly<Record<number, string>> = {
  0x0: 'UNKNOWN',
  0x014c: 'I386',
  0x0162: 'R3000',
  0x0166: 'R4000',
  0x0168: 'R10000',
  0x0169: 'WCEMIPSV2',
  0x0184: 'ALPHA',
  0x01a2: 'SH3',
  0x01a3: 'SH3DSP',
  0x01a4: 'SH3E',
  0x01a6: 'SH4',
  0x01a8: 'SH5',
  0x01c0: 'ARM',
  0x01c2: 'THUMB',
  0x01c4: 'ARMNT',
  0x01d3: 'AM33',
  0x01f0: 'POWERPC',
  0x01f1: 'POWERPCFP',
  0x0200: 'IA64',
  0x0266: 'MIPS16',
  0x0284: 'ALPHA64',
  0x0366: 'MIPSFPU',
  0x0466: 'MIPSFPU16',
  0x0520: 'TRICORE',
  0x0cef: 'CEF',
  0x0ebc: 'EBC',
  0x5032: 'RISCV32',
  0x5064: 'RISCV64',
  0x5128: 'RISCV128',
  0x6232: 'LOONGARCH32',
  0x6264: 'LOONGARCH64',
  0x8664: 'AMD64',
  0x9041: 'M32R',
  0xa641: 'ARM64EC',
  0xa64e: 'ARM64X',
  0xaa64: 'ARM64',
  0xc0ee: 'CEE',
};

export const MACHINE_I386 = 0x014c;
export const MACHINE_AMD64 = 0x8664;
export const MACHINE_IA64 = 0x0200;
export const MACHINE_ARM64 = 0xaa64;

export const SUBSYSTEM_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'NATIVE',
  2: 'WINDOWS_GUI',
  3: 'WINDOWS_CUI',
  5: 'OS2_CUI',
  7: 'POSIX_CUI',
  8: 'NATIVE_WINDOWS',
  9: 'WINDOWS_CE_GUI',
  10: 'EFI_APPLICATION',
  11: 'EFI_BOOT_SERVICE_DRIVER',
  12: 'EFI_RUNTIME_DRIVER',
  13: 'EFI_ROM',
  14: 'XBOX',
  16: 'WINDOWS_BOOT_APPLICATION',
};

/** [bit, name] pairs, so decoding keeps a stable order. */
export type FlagTable = ReadonlyArray<readonly [number, string]>;

export const FILE_CHARACTERISTICS: FlagTable = [
  [0x0001, 'RELOCS_STRIPPED'],
  [0x0002, 'EXECUTABLE_IMAGE'],
  [0x0004, 'LINE_NUMS_STRIPPED'],
  [0x0008, 'LOCAL_SYMS_STRIPPED'],
  [0x0010, 'AGGRESIVE_WS_TRIM'],
  [0x0020, 'LARGE_ADDRESS_AWARE'],
  [0x0040, '16BIT_MACHINE'],
  [0x0080, 'BYTES_REVERSED_LO'],
  [0x0100, '32BIT_MACHINE'],
  [0x0200, 'DEBUG_STRIPPED'],
  [0x0400, 'REMOVABLE_RUN_FROM_SWAP'],
  [0x0800, 'NET_RUN_FROM_SWAP'],
  [0x1000, 'SYSTEM'],
  [0x2000, 'DLL'],
  [0x4000, 'UP_SYSTEM_ONLY'],
  [0x8000, 'BYTES_REVERSED_HI'],
];

export const FILE_DLL = 0x2000;
export const FILE_SYSTEM = 0x1000;
export const FILE_EXECUTABLE_IMAGE = 0x0002;

export const DLL_CHARACTERISTICS: FlagTable = [
  [0x0001, 'LIBRARY_PROCESS_INIT'],
  [0x0002, 'LIBRARY_PROCESS_TERM'],
  [0x0004, 'LIBRARY_THREAD_INIT'],
  [0x0008, 'LIBRARY_THREAD_TERM'],
  [0x0020, 'HIGH_ENTROPY_VA'],
  [0x0040, 'DYNAMIC_BASE'],
  [0x0080, 'FORCE_INTEGRITY'],
  [0x0100, 'NX_COMPAT'],
  [0x0200, 'NO_ISOLATION'],
  [0x0400, 'NO_SEH'],
  [0x0800, 'NO_BIND'],
  [0x1000, 'APPCONTAINER'],
  [0x2000, 'WDM_DRIVER'],
  [0x4000, 'GUARD_CF'],
  [0x8000, 'TERMINAL_SERVER_AWARE'],
];

/** Single-bit section flags; the alignment nibble (bits 20-23) is decoded apart, as a number. */
export const SECTION_CHARACTERISTICS: FlagTable = [
  [0x00000008, 'TYPE_NO_PAD'],
  [0x00000020, 'CNT_CODE'],
  [0x00000040, 'CNT_INITIALIZED_DATA'],
  [0x00000080, 'CNT_UNINITIALIZED_DATA'],
  [0x00000100, 'LNK_OTHER'],
  [0x00000200, 'LNK_INFO'],
  [0x00000800, 'LNK_REMOVE'],
  [0x00001000, 'LNK_COMDAT'],
  [0x00004000, 'NO_DEFER_SPEC_EXC'],
  [0x00008000, 'GPREL'],
  [0x00020000, 'MEM_PURGEABLE'],
  [0x00040000, 'MEM_LOCKED'],
  [0x00080000, 'MEM_PRELOAD'],
  [0x01000000, 'LNK_NRELOC_OVFL'],
  [0x02000000, 'MEM_DISCARDABLE'],
  [0x04000000, 'MEM_NOT_CACHED'],
  [0x08000000, 'MEM_NOT_PAGED'],
  [0x10000000, 'MEM_SHARED'],
  [0x20000000, 'MEM_EXECUTE'],
  [0x40000000, 'MEM_READ'],
  [0x80000000, 'MEM_WRITE'],
];

export const SCN_CNT_CODE = 0x00000020;
export const SCN_CNT_UNINITIALIZED_DATA = 0x00000080;
export const SCN_MEM_EXECUTE = 0x20000000;
export const SCN_MEM_WRITE = 0x80000000;

export const DIRECTORY_NAMES: readonly string[] = [
  'EXPORT',
  'IMPORT',
  'RESOURCE',
  'EXCEPTION',
  'SECURITY',
  'BASERELOC',
  'DEBUG',
  'ARCHITECTURE',
  'GLOBALPTR',
  'TLS',
  'LOAD_CONFIG',
  'BOUND_IMPORT',
  'IAT',
  'DELAY_IMPORT',
  'COM_DESCRIPTOR',
  'RESERVED',
];

export const DIR_EXPORT = 0;
export const DIR_IMPORT = 1;
export const DIR_RESOURCE = 2;
export const DIR_EXCEPTION = 3;
export const DIR_SECURITY = 4;
export const DIR_BASERELOC = 5;
export const DIR_DEBUG = 6;
export const DIR_TLS = 9;
export const DIR_LOAD_CONFIG = 10;
export const DIR_BOUND_IMPORT = 11;
export const DIR_IAT = 12;
export const DIR_DELAY_IMPORT = 13;
export const DIR_COM_DESCRIPTOR = 14;

export const RESOURCE_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'RT_CURSOR',
  2: 'RT_BITMAP',
  3: 'RT_ICON',
  4: 'RT_MENU',
  5: 'RT_DIALOG',
  6: 'RT_STRING',
  7: 'RT_FONTDIR',
  8: 'RT_FONT',
  9: 'RT_ACCELERATOR',
  10: 'RT_RCDATA',
  11: 'RT_MESSAGETABLE',
  12: 'RT_GROUP_CURSOR',
  14: 'RT_GROUP_ICON',
  16: 'RT_VERSION',
  17: 'RT_DLGINCLUDE',
  19: 'RT_PLUGPLAY',
  20: 'RT_VXD',
  21: 'RT_ANICURSOR',
  22: 'RT_ANIICON',
  23: 'RT_HTML',
  24: 'RT_MANIFEST',
};

export const RT_VERSION = 16;
export const RT_MANIFEST = 24;

export const DEBUG_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'COFF',
  2: 'CODEVIEW',
  3: 'FPO',
  4: 'MISC',
  5: 'EXCEPTION',
  6: 'FIXUP',
  7: 'OMAP_TO_SRC',
  8: 'OMAP_FROM_SRC',
  9: 'BORLAND',
  10: 'RESERVED10',
  11: 'CLSID',
  12: 'VC_FEATURE',
  13: 'POGO',
  14: 'ILTCG',
  15: 'MPX',
  16: 'REPRO',
  17: 'EMBEDDED_PORTABLE_PDB',
  19: 'PDBCHECKSUM',
  20: 'EX_DLLCHARACTERISTICS',
};

export const RELOCATION_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'ABSOLUTE',
  1: 'HIGH',
  2: 'LOW',
  3: 'HIGHLOW',
  4: 'HIGHADJ',
  5: 'MIPS_JMPADDR',
  6: 'SECTION',
  7: 'REL',
  9: 'MIPS_JMPADDR16',
  10: 'DIR64',
  11: 'HIGH3ADJ',
};

/** IMAGE_LOAD_CONFIG_DIRECTORY.GuardFlags bits (winnt.h IMAGE_GUARD_*). */
export const GUARD_FLAGS: FlagTable = [
  [0x00000100, 'CF_INSTRUMENTED'],
  [0x00000200, 'CFW_INSTRUMENTED'],
  [0x00000400, 'CF_FUNCTION_TABLE_PRESENT'],
  [0x00000800, 'SECURITY_COOKIE_UNUSED'],
  [0x00001000, 'PROTECT_DELAYLOAD_IAT'],
  [0x00002000, 'DELAYLOAD_IAT_IN_ITS_OWN_SECTION'],
  [0x00004000, 'CF_EXPORT_SUPPRESSION_INFO_PRESENT'],
  [0x00008000, 'CF_ENABLE_EXPORT_SUPPRESSION'],
  [0x00010000, 'CF_LONGJUMP_TABLE_PRESENT'],
  [0x00020000, 'RF_INSTRUMENTED'],
  [0x00040000, 'RF_ENABLE'],
  [0x00080000, 'RF_STRICT'],
  [0x00100000, 'RETPOLINE_PRESENT'],
  [0x00400000, 'EH_CONTINUATION_TABLE_PRESENT'],
  [0x00800000, 'XFG_ENABLED'],
  [0x01000000, 'CASTGUARD_PRESENT'],
  [0x02000000, 'MEMCPY_PRESENT'],
];

/** IMAGE_COR20_HEADER.Flags (corhdr.h COMIMAGE_FLAGS_*). */
export const CLR_FLAGS: FlagTable = [
  [0x00000001, 'ILONLY'],
  [0x00000002, '32BITREQUIRED'],
  [0x00000004, 'IL_LIBRARY'],
  [0x00000008, 'STRONGNAMESIGNED'],
  [0x00000010, 'NATIVE_ENTRYPOINT'],
  [0x00010000, 'TRACKDEBUGDATA'],
  [0x00020000, '32BITPREFERRED'],
];

export function decodeFlags(value: number, table: FlagTable): string[] {
  const out: string[] = [];
  for (const [bit, name] of table) if ((value & bit) >>> 0 === bit) out.push(name);
  return out;
}

export function nameOf(table: Readonly<Record<number, string>>, value: number): string {
  return table[value] ?? `0x${value.toString(16)}`;
}
