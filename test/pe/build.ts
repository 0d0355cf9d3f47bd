// Builds the PE parser's MinGW test programs (x86 and x64) from test/pe/programs, caching every step by its inputs.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePe, type PeFile } from '../../src/formats/pe/index.js';
import { peChecksum } from '../../src/formats/pe/checksum.js';
import { compileC, type Arch } from '../helpers/mingw.js';
import { withBoundImports, withClrHeader, withLoadConfig, withRichHeader } from './malform.js';
import { CACHE_DIR, PROJECT_ROOT } from '../helpers/paths.js';

export const PROGRAMS_DIR = join(PROJECT_ROOT, 'test', 'pe', 'programs');
const OUT_DIR = join(CACHE_DIR, 'mingw');
/** Bumped when the post-link edits change, so cached outputs are rebuilt. */
const BUILDER_VERSION = '2';
const PREFIX: Record<Arch, string> = { x86: 'i686-w64-mingw32', x64: 'x86_64-w64-mingw32' };

export interface ArchFixtures {
  /** TLS callbacks, ordinal imports (ws2_32, oleaut32), delay imports (shlwapi), version info, manifest, PDB path. */
  features: string;
  /** The same, stripped of its debug sections and symbols (small: the fuzz seeds). */
  featuresStripped: string;
  /** A DLL with named, ordinal-only, data, aliased and forwarded exports. */
  exports: string;
  exportsStripped: string;
  /** A plain stripped program. */
  hello: string;
}

export interface Fixtures {
  x86: ArchFixtures;
  x64: ArchFixtures;
}

const program = (name: string): string => join(PROGRAMS_DIR, name);

function keyOf(parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

/** Runs `make(tmp)` once per key; the result lives at OUT_DIR/name. */
function cached(name: string, make: (tmp: string) => void): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const out = join(OUT_DIR, name);
  if (existsSync(out)) return out;
  const tmp = `${out}.tmp${process.pid}`;
  make(tmp);
  renameSync(tmp, out);
  return out;
}

/** An import library built from test/pe/programs/<def> (by ordinal where the .def says NONAME); cached. */
export function importLib(arch: Arch, def: string, delay: boolean): string {
  const src = readFileSync(program(def));
  const name = `${def.replace('.def', '')}-${delay ? 'delay' : 'import'}-${arch}-${keyOf([src, arch, String(delay)])}.a`;
  return cached(name, (tmp) => {
    execFileSync(`${PREFIX[arch]}-dlltool`, ['-d', program(def), delay ? '-y' : '-l', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
  });
}

function resources(arch: Arch): string {
  const key = keyOf([readFileSync(program('features.rc')), readFileSync(program('features.manifest')), arch]);
  return cached(`features-res-${arch}-${key}.o`, (tmp) => {
    execFileSync(`${PREFIX[arch]}-windres`, ['--codepage=65001', '-O', 'coff', '-I', PROGRAMS_DIR, program('features.rc'), '-o', tmp], {
      cwd: PROGRAMS_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  });
}

/** Finds a run of `length` zero bytes inside some section's file bytes that the loader also maps. */
function findSlack(pe: PeFile, length: number): number | null {
  for (const s of pe.sections) {
    const mappedRaw = Math.min(s.sizeOfRawData, Math.max(s.virtualSize, s.sizeOfRawData));
    const end = s.pointerToRawData + mappedRaw;
    const start = s.pointerToRawData + s.virtualSize;
    if (s.virtualSize === 0 || end - start < length + 16) continue;
    const at = (start + 15) & ~15;
    if (pe.bytes.subarray(at, at + length).every((b) => b === 0)) return at;
  }
  return null;
}

/**
 * GNU ld lays out dlltool's delay-load descriptor but leaves data directory 13 empty, and no zero descriptor ends
 * the list. Like MSVC's linker, this copies the descriptor plus a zero one into section slack and points the
 * directory at them, so the fixture has a delay-import table as Windows tools expect it.
 */
function delayDescriptorRva(exe: string, arch: Arch): number {
  const pe = parsePe(readFileSync(exe));
  if (!pe.isPe) throw new Error(`${exe}: not a PE file`);
  const nm = execFileSync(`${PREFIX[arch]}-nm`, [exe], { encoding: 'utf8' });
  const line = nm.split('\n').find((l) => /__DELAY_IMPORT_DESCRIPTOR_/.test(l));
  if (!line) throw new Error(`${exe}: no delay-import descriptor symbol`);
  return Number(BigInt(`0x${line.split(' ')[0]}`) - pe.imageBase);
}

function fillDelayDirectory(exe: string, rva: number): Buffer {
  const bytes = readFileSync(exe);
  const pe = parsePe(bytes);
  if (!pe.isPe) throw new Error(`${exe}: not a PE file`);
  const from = pe.map.rvaToOffset(rva);
  const to = findSlack(pe, 64);
  if (from === null || to === null) throw new Error(`${exe}: cannot place the delay-import directory`);
  const out = Buffer.from(bytes);
  out.copy(out, to, from, from + 32);
  out.fill(0, to + 32, to + 64);
  const dirOffset = pe.optional.offset + (pe.is64 ? 112 : 96) + 13 * 8;
  out.writeUInt32LE(pe.map.offsetToRva(to)!, dirOffset);
  out.writeUInt32LE(64, dirOffset + 4);
  // Keep the image checksum right, as a linker would have written it.
  out.writeUInt32LE(peChecksum(out, pe.optional.offset + 64), pe.optional.offset + 64);
  return out;
}

function strip(arch: Arch, input: string, output: string): void {
  execFileSync(`${PREFIX[arch]}-strip`, ['-o', output, input], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function buildArch(arch: Arch): ArchFixtures {
  const libs = [importLib(arch, 'ws2_32.def', false), importLib(arch, 'oleaut32.def', false), importLib(arch, 'shlwapi.def', true)];
  const pdb = join(OUT_DIR, `features-${arch}.pdb`);
  const linked = compileC([program('features.c'), resources(arch), ...libs], { arch, flags: ['-O1', `-Wl,--pdb=${pdb}`] });
  const key = keyOf([readFileSync(linked), BUILDER_VERSION]);
  const descriptor = delayDescriptorRva(linked, arch);
  const features = cached(`features-${arch}-${key}.exe`, (tmp) => writeFileSync(tmp, fillDelayDirectory(linked, descriptor)));
  // strip rewrites the headers and drops directory 13, so the stripped copy is patched after stripping.
  const strippedLinked = cached(`features-stripped-linked-${arch}-${key}.exe`, (tmp) => strip(arch, linked, tmp));
  const featuresStripped = cached(`features-stripped-${arch}-${key}.exe`, (tmp) => writeFileSync(tmp, fillDelayDirectory(strippedLinked, descriptor)));
  const exports = compileC([program('exports.c'), program('exports.def')], { arch, kind: 'dll', flags: ['-O1'] });
  const exportsStripped = cached(`exports-stripped-${arch}-${keyOf([readFileSync(exports)])}.dll`, (tmp) => strip(arch, exports, tmp));
  const hello = compileC([program('hello.c')], { arch, flags: ['-O2', '-s'] });
  return { features, featuresStripped, exports, exportsStripped, hello };
}

/** The subject names the test signing certificates carry (a root CA and a leaf it issued). */
export const TEST_CA_SUBJECT = '/C=ZZ/O=Firebreak Test CA/CN=Firebreak Test Root';
export const TEST_SIGNER_SUBJECT = '/C=ZZ/O=Firebreak Tests, Inc./OU=PE parser/CN=Firebreak Test Signer';
export const TEST_SIGNER_SERIAL = '1234abcd';

/** A throwaway CA and signer key pair for Authenticode fixtures (openssl), made once per cache. */
export function testSigningCertificates(): { caCert: string; signerCert: string; signerKey: string } {
  const dir = join(OUT_DIR, 'signing-v1');
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.crt');
  const signerKey = join(dir, 'signer.key');
  const signerCert = join(dir, 'signer.crt');
  if (!existsSync(signerCert)) {
    const run = (args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
    };
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caCert, '-days', '3650', '-subj', TEST_CA_SUBJECT]);
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', signerKey, '-out', join(dir, 'signer.csr'), '-subj', TEST_SIGNER_SUBJECT]);
    run(['x509', '-req', '-in', join(dir, 'signer.csr'), '-CA', caCert, '-CAkey', caKey, '-set_serial', `0x${TEST_SIGNER_SERIAL}`, '-days', '3650', '-out', `${signerCert}.tmp`]);
    renameSync(`${signerCert}.tmp`, signerCert);
  }
  return { caCert, signerCert, signerKey };
}

/** `exe` signed with Authenticode by osslsigncode, with the test CA's certificate included. */
export function signedFixture(exe: string): string {
  const certs = testSigningCertificates();
  const key = keyOf([readFileSync(exe), readFileSync(certs.signerCert)]);
  return cached(`signed-${key}.exe`, (tmp) => {
    execFileSync('osslsigncode', ['sign', '-certs', certs.signerCert, '-ac', certs.caCert, '-key', certs.signerKey, '-n', 'Firebreak test', '-in', exe, '-out', tmp], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  });
}

/** The Rich header entries of the synthetic MSVC-style fixture (comp.ids of VS2019 C/C++ objects and imports). */
export const RICH_ENTRIES = [
  { productId: 0x0104, build: 30795, count: 12 },
  { productId: 0x0103, build: 30795, count: 3 },
  { productId: 0x0001, build: 0, count: 171 },
];

/** `exe` with a Rich header inserted before the PE header, its key the true checksum. */
export function richFixture(exe: string): string {
  const src = readFileSync(exe);
  return cached(`rich-${keyOf([src, JSON.stringify(RICH_ENTRIES), BUILDER_VERSION])}.exe`, (tmp) => writeFileSync(tmp, withRichHeader(src, RICH_ENTRIES)));
}

/** `exe` with an MSVC-style load configuration (security cookie, CFG) and a bound import table. */
export function loadConfigFixture(exe: string): string {
  const src = readFileSync(exe);
  return cached(`loadconfig-${keyOf([src, BUILDER_VERSION])}.exe`, (tmp) => writeFileSync(tmp, withBoundImports(withLoadConfig(src))));
}

/** `exe` with a minimal .NET CLR header and metadata root. */
export function clrFixture(exe: string): string {
  const src = readFileSync(exe);
  return cached(`clr-${keyOf([src, BUILDER_VERSION])}.exe`, (tmp) => writeFileSync(tmp, withClrHeader(src)));
}

let built: Fixtures | undefined;

/** The test programs for both architectures (built once per process, cached across runs). */
export function buildFixtures(): Fixtures {
  built ??= { x86: buildArch('x86'), x64: buildArch('x64') };
  return built;
}

/** Every built fixture path. */
export function fixtureFiles(f: Fixtures = buildFixtures()): string[] {
  return (['x86', 'x64'] as const).flatMap((a) => [f[a].features, f[a].featuresStripped, f[a].exports, f[a].exportsStripped, f[a].hello]);
}

/** The MinGW runtime DLLs Debian ships with the cross compilers (real MinGW-built DLLs with large export tables). */
export function mingwRuntimeDlls(): string[] {
  const out: string[] = [];
  for (const triple of ['i686-w64-mingw32', 'x86_64-w64-mingw32']) {
    const base = join('/usr/lib/gcc', triple);
    if (!existsSync(base)) continue;
    for (const version of readdirSync(base).sort()) {
      for (const sub of ['', 'adalib']) {
        const dir = join(base, version, sub);
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir).sort()) if (f.endsWith('.dll')) out.push(join(dir, f));
      }
    }
  }
  return out;
}
