// Ground truth for attribution tests: synthetic families built from the C sources under test/similarity/c with
// MinGW (x86 and x64, -O0 and -O2, feature variants), never run, plus unrelated programs and the runtime baseline.

import { join } from 'node:path';
import { compileC, type Arch } from '../helpers/mingw.js';
import { PROJECT_ROOT } from '../helpers/paths.js';

const C_DIR = join(PROJECT_ROOT, 'test', 'similarity', 'c');

export type Role = 'family' | 'negative' | 'common';

export interface FixtureSpec {
  /** Unique sample name, e.g. `iniconf-v2-x86-O2`. */
  id: string;
  role: Role;
  /** Ground-truth family (for negatives and the baseline: the program's own name). */
  family: string;
  /** Feature level, e.g. `v2`. */
  variant: string;
  arch: Arch;
  opt: 'O0' | 'O2';
  sources: string[];
  defines: string[];
}

/** The shared "platform" library two families link, as Flame, Gauss and miniFlame share a platform. */
const PLATFORM = ['plat_buf.c', 'plat_map.c', 'plat_log.c', 'plat_file.c', 'plat_str.c'].map((f) => join(C_DIR, 'platform', f));

interface FamilyDef {
  name: string;
  sources: string[];
  usesPlatform: boolean;
  /** Defines per feature level: v1 is the base, each later level adds features. */
  levels: Record<string, string[]>;
}

const FAMILIES: FamilyDef[] = [
  { name: 'wordfreq', sources: ['wordfreq/wordfreq.c'], usesPlatform: false, levels: { v1: [], v2: ['WF_TOPN'], v3: ['WF_TOPN', 'WF_FOLD'] } },
  { name: 'sumtool', sources: ['sumtool/sumtool.c'], usesPlatform: false, levels: { v1: [], v2: ['ST_FLETCHER'], v3: ['ST_FLETCHER', 'ST_CHECK'] } },
  { name: 'iniconf', sources: ['iniconf/iniconf.c'], usesPlatform: true, levels: { v1: [], v2: ['IC_EXPAND'], v3: ['IC_EXPAND', 'IC_SCHEMA'] } },
  { name: 'csvstat', sources: ['csvstat/csvstat.c'], usesPlatform: true, levels: { v1: [], v2: ['CS_NUMERIC'], v3: ['CS_NUMERIC', 'CS_MEDIAN'] } },
];

/** Which builds each family gets: feature levels crossed with architecture and optimisation. */
const BUILDS: { level: string; arch: Arch; opt: 'O0' | 'O2' }[] = [
  { level: 'v1', arch: 'x86', opt: 'O0' },
  { level: 'v1', arch: 'x64', opt: 'O2' },
  { level: 'v2', arch: 'x86', opt: 'O2' },
  { level: 'v2', arch: 'x64', opt: 'O0' },
  { level: 'v3', arch: 'x64', opt: 'O2' },
];

/** Families sharing the platform library: the link the attribution must report. */
export const PLATFORM_FAMILIES = FAMILIES.filter((f) => f.usesPlatform).map((f) => f.name);

const NEGATIVES: { name: string; arch: Arch; opt: 'O0' | 'O2' }[] = [
  { name: 'rpncalc', arch: 'x64', opt: 'O2' },
  { name: 'b64', arch: 'x86', opt: 'O0' },
  { name: 'sieve', arch: 'x64', opt: 'O0' },
  { name: 'tabfix', arch: 'x86', opt: 'O2' },
];

export function fixtureSpecs(): FixtureSpec[] {
  const specs: FixtureSpec[] = [];
  for (const f of FAMILIES) {
    for (const b of BUILDS) {
      specs.push({
        id: `${f.name}-${b.level}-${b.arch}-${b.opt}`,
        role: 'family',
        family: f.name,
        variant: b.level,
        arch: b.arch,
        opt: b.opt,
        sources: [...f.sources.map((s) => join(C_DIR, s)), ...(f.usesPlatform ? PLATFORM : [])],
        defines: f.levels[b.level]!,
      });
    }
  }
  for (const n of NEGATIVES) {
    specs.push({ id: `${n.name}-${n.arch}-${n.opt}`, role: 'negative', family: n.name, variant: 'v1', arch: n.arch, opt: n.opt, sources: [join(C_DIR, 'negatives', `${n.name}.c`)], defines: [] });
  }
  for (const prog of ['empty', 'stdio']) {
    for (const arch of ['x86', 'x64'] as const) {
      for (const opt of ['O0', 'O2'] as const) {
        specs.push({ id: `${prog}-${arch}-${opt}`, role: 'common', family: `baseline-${prog}`, variant: 'v1', arch, opt, sources: [join(C_DIR, 'baseline', `${prog}.c`)], defines: [] });
      }
    }
  }
  return specs;
}

/**
 * Builds no database holds: each family at its highest feature level for x86 at -O0 (the database has v3 only
 * as x64 -O2), to ask for the family of a build never seen.
 */
export function unseenBuildSpecs(): FixtureSpec[] {
  return FAMILIES.map((f) => ({
    id: `${f.name}-v3-x86-O0`,
    role: 'family' as const,
    family: f.name,
    variant: 'v3',
    arch: 'x86' as const,
    opt: 'O0' as const,
    sources: [...f.sources.map((x) => join(C_DIR, x)), ...(f.usesPlatform ? PLATFORM : [])],
    defines: f.levels['v3']!,
  }));
}

export interface Fixture extends FixtureSpec {
  path: string;
}

/** Compiles (or finds in the cache) every fixture. Stripped (-s), as shipped programs are. */
export function buildFixtures(specs: FixtureSpec[] = fixtureSpecs()): Fixture[] {
  return specs.map((s) => ({
    ...s,
    path: compileC(s.sources, {
      arch: s.arch,
      flags: [`-${s.opt}`, '-s', ...s.defines.map((d) => `-D${d}`), ...(s.sources.some((p) => p.includes('rpncalc')) ? ['-lm'] : [])],
    }),
  }));
}
