// `firebreak rules list|check|test|profile [PATH]`: inspect, lint, test and time a rule pack (ours by default).

import type { Command } from 'commander';
import picomatch from 'picomatch';
import { resolve } from 'node:path';
import { FirebreakError } from '../core/errors.js';
import { loadEngine, type EnginePreference } from '../detect/index.js';
import {
  checkPack,
  listPack,
  profilePack,
  renderCheck,
  renderListing,
  renderProfile,
  renderTest,
  resolvePack,
  testPack,
  type PackLayout,
} from '../detect/ruletest/index.js';
import { loadPackIocs } from '../detect/ruletest/iocs.js';
import { EXIT_CLEAN, EXIT_FOUND } from './exit.js';
import { writeOut, type CliIo } from './io.js';
import { setExitStatus } from './main.js';
import { BUNDLED_RULES_DIR } from './paths.js';

interface Common {
  format: string;
  engine: string;
}

const SIZE = /^(\d+)([KMG]?)$/i;

function parseSize(text: string, flag: string): number {
  const m = SIZE.exec(text.trim());
  if (!m) throw new FirebreakError('E_USAGE', `${flag} takes a size such as 4096, 512K, 16M or 1G, not '${text}'`);
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * unit;
}

function checkFormat(format: string): 'text' | 'json' {
  if (format !== 'text' && format !== 'json') throw new FirebreakError('E_USAGE', `unknown format '${format}' (text or json)`);
  return format;
}

function engineOf(opts: Common): Promise<Awaited<ReturnType<typeof loadEngine>>> {
  if (!['auto', 'native', 'wasm'].includes(opts.engine)) {
    throw new FirebreakError('E_USAGE', `unknown engine '${opts.engine}' (auto, native or wasm)`);
  }
  return loadEngine(opts.engine as EnginePreference);
}

async function layoutOf(io: CliIo, path: string | undefined): Promise<{ layout: PackLayout; base: string }> {
  const layout = await resolvePack(path === undefined ? BUNDLED_RULES_DIR : resolve(io.cwd, path), io.env);
  return { layout, base: io.cwd };
}

function excluder(globs: string[]): ((path: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const m = picomatch(globs, { dot: true });
  return (p) => m(p);
}

const collect = (v: string, acc: string[]): string[] => [...acc, v];

function common(c: Command): Command {
  return c
    .option('--format <format>', 'output format: text or json', 'text')
    .option('--engine <engine>', 'YARA engine: auto, native or wasm', 'auto');
}

export function define(cmd: Command, io: CliIo): void {
  cmd.description('list, check, test and profile a rule pack (the bundled rules/ unless PATH is given)');

  common(cmd.command('list').argument('[path]', 'rule pack folder or rule file'))
    .description('families, rules (family, variant, confidence) and IOC lists of a pack')
    .action(async (path: string | undefined, opts: Common, sub: Command) => {
      const format = checkFormat(opts.format);
      const { layout, base } = await layoutOf(io, path);
      const listing = await listPack(layout);
      await writeOut(io.stdout, format === 'json' ? `${JSON.stringify(listing, null, 2)}\n` : renderListing(listing, base));
      setExitStatus(sub, EXIT_CLEAN);
    });

  common(cmd.command('check').argument('[path]', 'rule pack folder or rule file'))
    .description('compile every rule; check required meta, duplicate names, slow patterns, family files and IOC lists')
    .option('--strict', 'treat warnings (slow patterns, engine warnings) as errors')
    .option('--require-meta <keys>', 'comma-separated meta keys every rule must carry (default: the Firebreak set)')
    .action(async (path: string | undefined, opts: Common & { strict?: boolean; requireMeta?: string }, sub: Command) => {
      const format = checkFormat(opts.format);
      const { layout, base } = await layoutOf(io, path);
      const requiredMeta = opts.requireMeta === undefined ? undefined : opts.requireMeta.split(',').map((k) => k.trim()).filter(Boolean);
      const result = await checkPack(layout, { engine: await engineOf(opts), ...(requiredMeta ? { requiredMeta } : {}) });
      await writeOut(io.stdout, format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderCheck(result, base));
      setExitStatus(sub, result.errors > 0 || (opts.strict && result.warnings > 0) ? EXIT_FOUND : EXIT_CLEAN);
    });

  common(cmd.command('test').argument('[path]', 'rule pack folder or rule file'))
    .description('run each rule on its positive fixtures and every rule and IOC on clean corpora')
    .option('--fixtures <dir>', "folder of positives (default: the pack's pack.yaml 'fixtures', or PATH/fixtures)")
    .option('--clean <dir>', "clean corpus that must give no hit; repeatable (default: the pack's pack.yaml 'clean')", collect, [])
    .option('--exclude <glob>', 'leave clean files matching this glob out; repeatable', collect, [])
    .option('--max-size <bytes>', 'skip clean files larger than this (K, M, G suffixes)', '16M')
    .option('--time-sample <bytes>', 'clean data each rule is also timed on alone', '64M')
    .action(
      async (
        path: string | undefined,
        opts: Common & { fixtures?: string; clean: string[]; exclude: string[]; maxSize: string; timeSample: string },
        sub: Command,
      ) => {
        const format = checkFormat(opts.format);
        const { layout, base } = await layoutOf(io, path);
        const clean = opts.clean.length > 0 ? opts.clean.map((c) => resolve(io.cwd, c)) : layout.clean;
        if (opts.clean.length === 0) {
          for (const c of layout.cleanUnset) io.stderr.write(`firebreak rules test: clean corpus ${c} left out: a variable it names is not set\n`);
        }
        if (clean.length === 0) io.stderr.write('firebreak rules test: no clean corpus; give one with --clean DIR\n');
        const iocs = layout.iocDir ? await loadPackIocs(layout.iocDir) : undefined;
        const result = await testPack(layout, {
          engine: await engineOf(opts),
          clean,
          ...(opts.fixtures === undefined ? {} : { fixturesDir: resolve(io.cwd, opts.fixtures) }),
          cleanMaxSize: parseSize(opts.maxSize, '--max-size'),
          timeSampleBytes: parseSize(opts.timeSample, '--time-sample'),
          ...(iocs ? { iocs } : {}),
          ...(excluder(opts.exclude) ? { exclude: excluder(opts.exclude)! } : {}),
          ...(io.interactive ? { progress: (line: string) => io.stderr.write(`${line}\n`) } : {}),
        });
        await writeOut(io.stdout, format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderTest(result, base));
        setExitStatus(sub, result.ok ? EXIT_CLEAN : EXIT_FOUND);
      },
    );

  common(cmd.command('profile').argument('<path>', 'rule pack folder or rule file'))
    .description('time each rule alone over a corpus, slowest first')
    .requiredOption('--corpus <dir>', 'folder or file to scan; repeatable', collect, [])
    .option('--exclude <glob>', 'leave files matching this glob out; repeatable', collect, [])
    .option('--max-size <bytes>', 'skip files larger than this (K, M, G suffixes)', '64M')
    .option('--top <n>', 'show only the N slowest rules')
    .action(
      async (path: string, opts: Common & { corpus: string[]; exclude: string[]; maxSize: string; top?: string }, sub: Command) => {
        const format = checkFormat(opts.format);
        if (opts.corpus.length === 0) throw new FirebreakError('E_USAGE', '--corpus is required');
        const top = opts.top === undefined ? undefined : Number(opts.top);
        if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw new FirebreakError('E_USAGE', `--top takes a positive whole number, not '${opts.top}'`);
        const { layout, base } = await layoutOf(io, path);
        const result = await profilePack(layout, {
          engine: await engineOf(opts),
          corpus: opts.corpus.map((c) => resolve(io.cwd, c)),
          maxSize: parseSize(opts.maxSize, '--max-size'),
          ...(excluder(opts.exclude) ? { exclude: excluder(opts.exclude)! } : {}),
          ...(io.interactive ? { progress: (line: string) => io.stderr.write(`${line}\n`) } : {}),
        });
        await writeOut(io.stdout, format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderProfile(result, base, top));
        setExitStatus(sub, EXIT_CLEAN);
      },
    );
}
