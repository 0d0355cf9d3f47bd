// Builds the detection pack's fixtures (test/pack/fixtures.ts) into examples/ or another folder.
// Usage after `npm run build`: node dist/test/pack/build-fixtures.js [OUT_DIR]   (default: the project's examples/)
// Needs MinGW (gcc-mingw-w64-i686) for the PE fixtures; the results are committed, so `npm install` never needs it.

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileC } from '../helpers/mingw.js';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { FIXTURE_ARCH, FIXTURE_CFLAGS, FIXTURES, NATIVE_LDFLAGS, type Fixture } from './fixtures.js';

export const EXAMPLES_DIR = join(PROJECT_ROOT, 'examples');
export const FIXTURE_C_DIR = join(PROJECT_ROOT, 'test', 'pack', 'c');

export interface BuiltFixture {
  fixture: Fixture;
  /** Absolute path of the written file. */
  file: string;
}

/**
 * Compiles one C fixture (cached by source hash in the MinGW cache) and returns the cached image's path. A DLL's
 * export directory names its output file, and the MinGW helper links to a temporary name, so a module-definition
 * file names the DLL after the fixture instead: the image then depends on nothing but the sources.
 */
export function compileFixture(source: string, link: 'exe' | 'dll' | 'native', fileName: string): string {
  const flags = link === 'native' ? [...FIXTURE_CFLAGS, ...NATIVE_LDFLAGS] : FIXTURE_CFLAGS;
  const sources = [join(FIXTURE_C_DIR, `${source}.c`)];
  if (link !== 'exe') {
    const defDir = join(tmpdir(), 'firebreak-pack-def');
    mkdirSync(defDir, { recursive: true });
    const def = join(defDir, `${source}.def`);
    writeFileSync(def, `LIBRARY "${fileName}"\n`);
    sources.push(def);
  }
  return compileC(sources, {
    arch: FIXTURE_ARCH,
    flags,
    kind: link === 'exe' ? 'exe' : 'dll',
  });
}

/** Writes every fixture under `outDir`, creating folders, and lists what it wrote. */
export function buildFixtures(outDir: string = EXAMPLES_DIR): BuiltFixture[] {
  const built: BuiltFixture[] = [];
  for (const fixture of FIXTURES) {
    const file = join(outDir, ...fixture.path.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    if (fixture.kind === 'c') copyFileSync(compileFixture(fixture.source, fixture.link, basename(file)), file);
    else writeFileSync(file, fixture.bytes());
    built.push({ fixture, file });
  }
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? EXAMPLES_DIR);
  const built = buildFixtures(out);
  process.stderr.write(`build-fixtures: wrote ${built.length} files under ${out}\n`);
}
