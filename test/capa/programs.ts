// The ground-truth C programs of test/capa, what each must and must not be found to do, and how to build them.

import { join } from 'node:path';
import { compileC, type Arch } from '../helpers/mingw.js';
import { PROJECT_ROOT } from '../helpers/paths.js';

export interface Program {
  source: string;
  libs: string[];
  /** Bundled (firebreak) rules the program must match. */
  ours: string[];
  /** capa rules the program must match. */
  capa: string[];
  /** Rules it must not match (for negatives: all bundled rules, checked separately). */
  not?: string[];
  negative?: boolean;
}

export const PROGRAMS: Program[] = [
  { source: 'screenshot.c', libs: ['-lgdi32'], ours: ['copy screen contents into a bitmap'], capa: ['capture screenshot'], not: ['capture screen when selected programs are in the foreground'] },
  {
    source: 'fgcapture.c',
    libs: ['-lgdi32'],
    ours: ['copy screen contents into a bitmap', 'capture screen when selected programs are in the foreground'],
    capa: ['capture screenshot'],
  },
  { source: 'filecollect.c', libs: [], ours: ['search for files by document extension'], capa: ['enumerate files on Windows', 'enumerate files recursively'] },
  {
    source: 'httpclient.c',
    libs: ['-lwininet'],
    ours: ['send request and read response over HTTP', 'request over HTTPS'],
    capa: ['send HTTP request', 'connect to HTTP server', 'read data from Internet'],
  },
  { source: 'downloadload.c', libs: [], ours: ['write module to disk and load it'], capa: ['link function at runtime on Windows', 'write file on Windows'], not: ['download module over HTTP and load it'] },
  { source: 'removable.c', libs: [], ours: ['enumerate removable drives', 'write hidden file to removable drive'], capa: ['get disk information', 'write file on Windows'] },
  { source: 'servicedll.c', libs: ['-ladvapi32'], ours: ['set ServiceDll of the Nla service', 'set ServiceDll registry value'], capa: ['set registry value', 'persist via Windows service'] },
  { source: 'encode.c', libs: [], ours: ['encode data with XOR or RC4'], capa: ['encode data using XOR', 'encrypt data using RC4 KSA', 'encrypt data using RC4 PRGA'] },
  { source: 'mutex.c', libs: [], ours: ['ensure single instance with a named mutex'], capa: ['create or open mutex on Windows', 'check mutex on Windows'] },
  { source: 'negative-calc.c', libs: [], ours: [], capa: [], negative: true },
  { source: 'negative-files.c', libs: [], ours: [], capa: [], negative: true },
];

/** capa rules a negative must not match: the capa counterparts of every bundled behaviour. */
export const NEGATIVE_CAPA = [
  'capture screenshot',
  'send HTTP request',
  'read data from Internet',
  'enumerate files on Windows',
  'create or open mutex on Windows',
  'encrypt data using RC4 KSA',
  'encrypt data using RC4 PRGA',
  'persist via Windows service',
  'set registry value',
  'get disk information',
];

export const ARCHES: Arch[] = ['x86', 'x64'];

/** Builds one program with MinGW (-O2, stripped, as a release build); cached by source hash. Never run. */
export function build(p: Program, arch: Arch): string {
  return compileC([join(PROJECT_ROOT, 'test', 'capa', p.source)], { arch, flags: ['-O2', '-s', ...p.libs] });
}
