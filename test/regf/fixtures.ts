// Key trees the regf tests build hives from: every value type, big data, many subkeys, non-ASCII names, and SYSTEM
// hives with and without miniFlame's published host markers.

import {
  dword,
  multiSz,
  qword,
  sz,
  utf16,
  type BuildKey,
  type BuildValue,
} from './builder.js';

/** Deterministic filler bytes, so big values are not all one byte. */
export function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** One value of each type Windows defines, an unknown type, empty data and a default value. */
export function allTypeValues(): BuildValue[] {
  return [
    { name: '', type: 1, data: sz('the default value') },
    { name: 'None', type: 0, data: Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x01]) },
    { name: 'Sz', type: 1, data: sz('C:\\Windows\\system32\\icsvnt32.ocx') },
    { name: 'EmptySz', type: 1, data: new Uint8Array(0) },
    { name: 'ExpandSz', type: 2, data: sz('%SystemRoot%\\System32\\nlasvc.dll') },
    { name: 'Binary', type: 3, data: pattern(40, 7) },
    { name: 'Dword', type: 4, data: dword(0xffffffc4) },
    { name: 'DwordBE', type: 5, data: dword(0x01020304, true) },
    { name: 'Link', type: 6, data: utf16('\\Registry\\Machine\\System\\ControlSet001') },
    { name: 'MultiSz', type: 7, data: multiSz(['first', 'second line', 'dritte Zeile äöü']) },
    { name: 'ResourceList', type: 8, data: pattern(36, 8) },
    { name: 'FullResourceDescriptor', type: 9, data: pattern(32, 9) },
    { name: 'ResourceRequirementsList', type: 10, data: pattern(72, 10) },
    { name: 'Qword', type: 11, data: qword(0x1122334455667788n) },
    { name: 'Unknown', type: 0x20000, data: Uint8Array.from([1, 2, 3]) },
    { name: 'Tiny', type: 3, data: Uint8Array.from([0x7f]) },
    { name: 'Zero', type: 3, data: new Uint8Array(0) },
  ];
}

/** Values around and over the 16,344-byte big-data threshold. */
export function bigValues(): BuildValue[] {
  return [
    { name: 'Exactly16344', type: 3, data: pattern(16344, 11) },
    { name: 'Over16344', type: 3, data: pattern(16345, 12) },
    { name: 'Big100k', type: 3, data: pattern(100_000, 13) },
    { name: 'BigString', type: 1, data: sz('x'.repeat(20_000)) },
  ];
}

export function manySubkeys(n: number, prefix = 'Sub'): BuildKey[] {
  return Array.from({ length: n }, (_, i) => ({ name: `${prefix}${String(i).padStart(5, '0')}`, values: [{ name: 'i', type: 4, data: dword(i) }] }));
}

/** Names in Latin-1 (stored compressed), wider (stored UTF-16LE) and both in values. */
export function nonAsciiKeys(): BuildKey[] {
  return [
    { name: 'Ünïcødé', values: [{ name: 'ÄÖÜ', type: 1, data: sz('größe') }] },
    { name: '日本語キー', values: [{ name: '値', type: 1, data: sz('データ') }, { name: 'snow ☃', type: 4, data: dword(3) }] },
    { name: 'ForcedWide', utf16Name: true, values: [{ name: 'wide', utf16Name: true, type: 4, data: dword(1) }] },
  ];
}

/** A tree with every feature above, for the differential tests. */
export function richTree(subkeys = 1200): BuildKey {
  return {
    name: 'ROOT',
    subkeys: [
      { name: 'Types', values: allTypeValues(), className: 'TypesClass' },
      { name: 'Big', values: bigValues() },
      { name: 'Many', subkeys: manySubkeys(subkeys) },
      ...nonAsciiKeys(),
      { name: 'Deep', subkeys: [{ name: 'A', subkeys: [{ name: 'B', subkeys: [{ name: 'C', values: [{ name: 'leaf', type: 1, data: sz('end') }] }] }] }] },
    ],
  };
}

/** The genuine TimeZoneInformation values of a Windows 10 machine set to W. Europe time. */
function timeZoneValues(): BuildValue[] {
  const systemtime = (month: number, day: number, hour: number) => {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setUint16(2, month, true);
    dv.setUint16(4, day, true);
    dv.setUint16(8, hour, true);
    return b;
  };
  return [
    { name: 'Bias', type: 4, data: dword(0xffffffc4) },
    { name: 'StandardName', type: 1, data: sz('@tzres.dll,-322') },
    { name: 'StandardBias', type: 4, data: dword(0) },
    { name: 'StandardStart', type: 3, data: systemtime(10, 5, 3) },
    { name: 'DaylightName', type: 1, data: sz('@tzres.dll,-321') },
    { name: 'DaylightBias', type: 4, data: dword(0xffffffc4) },
    { name: 'DaylightStart', type: 3, data: systemtime(3, 5, 2) },
    { name: 'TimeZoneKeyName', type: 1, data: sz('W. Europe Standard Time') },
    { name: 'DynamicDaylightTimeDisabled', type: 4, data: dword(0) },
    { name: 'ActiveTimeBias', type: 4, data: dword(0xffffff88) },
  ];
}

export interface SystemHiveOptions {
  /** Add miniFlame's host markers: the bogus TimeZoneInformation values and an .ocx Nla ServiceDll. */
  infected: boolean;
  /** The control set Select\Current names (the markers go there); default 1. */
  current?: number;
}

/** A SYSTEM hive with two control sets, the markers (when infected) in the current one only. */
export function systemTree(options: SystemHiveOptions): BuildKey {
  const current = options.current ?? 1;
  const controlSet = (n: number): BuildKey => {
    const marked = options.infected && n === current;
    const tz = timeZoneValues();
    if (marked) {
      // Values with these names are what the NSA "Territorial Dispute" check looks for; Windows never writes them.
      tz.push({ name: 'standarddatebias', type: 3, data: Uint8Array.from([0, 0, 0, 0]) });
      tz.push({ name: 'standardtimebias', type: 3, data: Uint8Array.from([0, 0, 0, 0]) });
    }
    const serviceDll = marked ? '%windir%\\system32\\icsvnt32.ocx' : '%SystemRoot%\\System32\\nlasvc.dll';
    return {
      name: `ControlSet${String(n).padStart(3, '0')}`,
      subkeys: [
        { name: 'Control', subkeys: [{ name: 'TimeZoneInformation', values: tz }] },
        {
          name: 'Services',
          subkeys: [
            {
              name: 'Nla',
              values: [{ name: 'DisplayName', type: 1, data: sz('@%SystemRoot%\\System32\\nlasvc.dll,-1') }],
              subkeys: [{ name: 'Parameters', values: [{ name: 'ServiceDll', type: 2, data: sz(serviceDll) }] }],
            },
          ],
        },
      ],
    };
  };
  return {
    name: 'ROOT',
    subkeys: [
      controlSet(1),
      controlSet(2),
      { name: 'MountedDevices' },
      {
        name: 'Select',
        values: [
          { name: 'Current', type: 4, data: dword(current) },
          { name: 'Default', type: 4, data: dword(current) },
          { name: 'Failed', type: 4, data: dword(0) },
          { name: 'LastKnownGood', type: 4, data: dword(current) },
        ],
      },
    ],
  };
}

export const SYSTEM_FILE_NAME = '\\SystemRoot\\System32\\Config\\SYSTEM';
