// `firebreak sweep PATH...`: YARA rules and IOCs over files, folders, archives and disk images, with capabilities
// and similarity verdicts on request; a thin shell over sweep().

import { createWriteStream, readdirSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { FirebreakError } from '../core/errors.js';
import type { EnginePreference } from '../detect/engine.js';
import { createRenderer, FORMATS, type Format, type RenderOptions } from '../report/render/index.js';
import type { SweepRecord, SweepSummary } from '../report/schema.js';
import { defaultCachePath, parseSize, PE_SCOPES, progressLine, sweep, userCacheDir, type FsPath, type PeScope, type SweepOptions } from '../sweep/index.js';
import { pathArgument } from './argv.js';
import { EXIT_CLEAN, EXIT_FOUND } from './exit.js';
import { writeOut, type CliIo } from './io.js';
import { setExitStatus } from './main.js';
import { BUNDLED_RULES_DIR, BUNDLED_SIMILARITY_DB } from './paths.js';

interface SweepFlags {
  rules: string[];
  iocs: string[];
  families: string[];
  exclude: string[];
  maxSize?: string;
  jobs?: string;
  format: Format;
  output?: string;
  all?: boolean;
  progress: boolean;
  quiet?: boolean;
  followSymlinks?: boolean;
  skipBadRules?: boolean;
  cache?: string | false;
  engine: EnginePreference;
  peSummary?: PeScope;
  capabilities?: boolean;
  capaRules: string[];
  db?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Where the report goes: stdout or --output FILE, through the chosen renderer. */
export interface Output {
  write(r: SweepRecord): Promise<void>;
  end(summary: SweepSummary): Promise<void>;
  /** The run failed: a report file is not written, and one that was there before is left as it was. */
  abort(): void;
}

/**
 * Where the report goes. A report file is written beside its final name and renamed into place by `end`, so a run
 * that stops with an error (bad rules, no such path) neither leaves a half report nor wipes the previous one.
 * `beforeText` runs before any text reaches the stream (the sweep clears its progress line there).
 */
export async function openOutput(
  io: CliIo,
  file: string | undefined,
  format: Format,
  options: RenderOptions,
  beforeText?: () => void,
): Promise<Output> {
  const renderer = await createRenderer(format, options);
  let stream: Writable = io.stdout;
  let fileStream: WriteStream | undefined;
  let partial: string | undefined;
  let target: string | undefined;
  if (file) {
    target = resolve(io.cwd, file);
    partial = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
    fileStream = createWriteStream(partial);
    await new Promise<void>((ok, fail) => {
      fileStream!.once('open', () => ok());
      fileStream!.once('error', (e) => fail(new FirebreakError('E_OUTPUT', `cannot write the report: ${e.message}`, { input: file, cause: e })));
    });
    stream = fileStream;
  }
  const put = async (text: string): Promise<void> => {
    if (!text) return;
    beforeText?.();
    try {
      await writeOut(stream, text);
    } catch (e) {
      throw new FirebreakError('E_OUTPUT', `cannot write the report: ${e instanceof Error ? e.message : String(e)}`, { input: file ?? 'stdout', cause: e });
    }
  };
  return {
    write: (r) => put(renderer.record(r)),
    async end(summary) {
      await put(renderer.end(summary));
      if (fileStream) {
        await new Promise<void>((ok) => fileStream!.end(ok));
        try {
          renameSync(partial!, target!);
        } catch (e) {
          rmSync(partial!, { force: true });
          throw new FirebreakError('E_OUTPUT', `cannot write the report: ${e instanceof Error ? e.message : String(e)}`, { input: file!, cause: e });
        }
      }
    },
    abort() {
      if (!fileStream) return;
      fileStream.destroy();
      rmSync(partial!, { force: true });
    },
  };
}

/** The bundled pack's IOC lists (rules/iocs/*), used when neither --rules nor --iocs is given. */
function bundledIocLists(): string[] {
  const dir = join(BUNDLED_RULES_DIR, 'iocs');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no bundled lists
  }
  return names
    .filter((n) => !n.startsWith('.') && /\.(txt|json|ioc|csv)$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** Whether `path` is a folder (a missing path is not; the sweep reports it). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where the family verdicts' catalog comes from: --families folders; else the `families/` folder of each --rules
 * folder laid out as a pack (yara/, iocs/, families/); else the bundled pack's.
 */
function familyDirs(flags: SweepFlags, io: CliIo): string[] {
  if (flags.families.length) return flags.families.map((d) => resolve(io.cwd, d));
  const fromRules = flags.rules.map((r) => join(resolve(io.cwd, r), 'families')).filter(isFolder);
  if (fromRules.length) return fromRules;
  const bundled = join(BUNDLED_RULES_DIR, 'families');
  return isFolder(bundled) ? [bundled] : [];
}

/**
 * The capability rules of --capabilities: the bundled rules/capabilities, plus capa's corpus for each --capa-rules
 * (which implies --capabilities); parsed rules are cached in the per-user cache folder unless --no-cache.
 */
function capabilityOptions(flags: SweepFlags, io: CliIo): SweepOptions['capabilities'] {
  if (!flags.capabilities && flags.capaRules.length === 0) return undefined;
  const rules = [
    { path: join(BUNDLED_RULES_DIR, 'capabilities'), ruleSet: 'firebreak' },
    ...flags.capaRules.map((d) => ({ path: resolve(io.cwd, d), ruleSet: 'capa' })),
  ];
  return { rules, ...(flags.cache === false ? {} : { ruleCacheDir: userCacheDir(io.env, process.platform, homedir()) }) };
}

function parseJobs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new FirebreakError('E_USAGE', `--jobs '${text}' is not a whole number of at least 1`);
  return n;
}

function cachePath(flags: SweepFlags, io: CliIo): string | undefined {
  if (flags.cache === false) return undefined;
  if (typeof flags.cache === 'string') return resolve(io.cwd, flags.cache);
  if (io.env.FIREBREAK_CACHE_DB) return resolve(io.cwd, io.env.FIREBREAK_CACHE_DB);
  return defaultCachePath(io.env, process.platform, homedir());
}

export function define(cmd: Command, io: CliIo): void {
  cmd
    .argument('<paths...>', 'files, folders and archives to sweep')
    .option('--rules <path>', 'a .yar/.yara file or a folder of them (repeatable; default: the bundled pack)', collect, [])
    .option('--iocs <path>', 'an IOC list: Firebreak text, Loki hash/filename lists, or a STIX 2.1 bundle (repeatable; without --rules or --iocs: the bundled lists)', collect, [])
    .option('--families <dir>', 'a folder of family files for the family verdicts (repeatable; default: the families/ folder of each --rules folder, else the bundled pack\'s)', collect, [])
    .option('--exclude <glob>', 'leave out paths matching GLOB (repeatable; a glob without / matches base names)', collect, [])
    .option('--max-size <bytes>', 'hash but do not scan files larger than this (K/M/G suffixes; default 256M)')
    .option('--jobs <n>', 'worker threads (default: the number of cores)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option('--all', 'report every file and every skipped item, not only findings')
    .option('--no-progress', 'no live progress line on stderr')
    .option('--quiet', 'nothing on stderr but errors that stop the run')
    .option('--follow-symlinks', 'follow symlinks met in folders (each folder is still swept once)')
    .option('--skip-bad-rules', 'leave out rule files that do not compile, and say which, instead of stopping')
    .option('--cache <file>', 'the incremental cache file (default: FIREBREAK_CACHE_DB, else the per-user cache folder)')
    .option('--no-cache', 'neither read nor write the cache')
    .addOption(new Option('--engine <engine>', 'YARA engine').choices(['auto', 'native', 'wasm']).default('auto'))
    .option('--capabilities', 'also find what the code of each PE can do (capa-format rules, ATT&CK), within the file\'s time budget')
    .option('--capa-rules <dir>', "with --capabilities, also match capa's rule corpus (a capa-rules checkout); repeatable; implies --capabilities", collect, [])
    .option('--db <file>', 'a similarity database (firebreak db add): name each PE\'s nearest family by shared code and strings')
    .addOption(
      new Option('--pe-summary <scope>', 'which PE files get a PE summary: family (IOC hits and family rules), findings, all, off (default: family; all with --all)').choices(PE_SCOPES),
    )
    .action(async (paths: string[], flags: SweepFlags) => {
      const maxSize = flags.maxSize === undefined ? undefined : parseSize(flags.maxSize, '--max-size');
      const jobs = parseJobs(flags.jobs);
      const showProgress = io.interactive && flags.progress && !flags.quiet;
      let progressShown = false;
      const clearProgress = (): void => {
        if (progressShown) io.stderr.write('\r\x1b[K');
        progressShown = false;
      };
      // A report on the terminal the progress line is drawn on: the line goes before each piece of the report.
      const sharesTerminal = !flags.output && (io.stdout as Writable & { isTTY?: boolean }).isTTY === true;
      const out = await openOutput(io, flags.output, flags.format, { all: flags.all ?? false }, sharesTerminal ? clearProgress : undefined);
      const summary = await sweep({
        paths: paths.map((p) => resolveRoot(p)),
        // Neither --rules nor --iocs: the whole bundled pack (its YARA rules and its IOC lists).
        rules: flags.rules.length ? flags.rules : [BUNDLED_RULES_DIR],
        iocs: flags.iocs.length || flags.rules.length ? flags.iocs : bundledIocLists(),
        families: familyDirs(flags, io),
        exclude: flags.exclude,
        ...(maxSize !== undefined ? { maxSize } : {}),
        ...(jobs !== undefined ? { jobs } : {}),
        engine: flags.engine,
        peSummary: flags.peSummary ?? (flags.all ? 'all' : 'family'),
        followSymlinks: flags.followSymlinks ?? false,
        skipBadRules: flags.skipBadRules ?? false,
        ...(cachePath(flags, io) ? { cachePath: cachePath(flags, io)! } : {}),
        ...(capabilityOptions(flags, io) ? { capabilities: capabilityOptions(flags, io)! } : {}),
        ...(flags.db !== undefined ? { similarityDb: resolve(io.cwd, flags.db), similarityBaseline: BUNDLED_SIMILARITY_DB } : {}),
        records: flags.all ? 'all' : 'listed',
        onRecord: (r) => out.write(r),
        onWarning: (m) => {
          if (flags.quiet) return;
          clearProgress();
          io.stderr.write(`firebreak sweep: warning: ${m}\n`);
        },
        ...(showProgress
          ? {
              onProgress: (p) => {
                io.stderr.write(`\r\x1b[K${progressLine(p)}`);
                progressShown = true;
              },
            }
          : {}),
      }).catch((e: unknown) => {
        out.abort();
        throw e;
      });
      clearProgress();
      await out.end(summary);
      // Files were named or found and not one could be read (permissions, I/O errors): "clean" would be a lie.
      const unread = (summary.files.skipped.unreadable ?? 0) + summary.files.errors;
      if (summary.files.found > 0 && summary.files.scanned === 0 && summary.files.withFindings === 0 && unread > 0) {
        // The report is out; the error line and exit 2 come from the one place every command's errors go.
        throw new FirebreakError('E_INPUT_UNREADABLE', `nothing could be read (${unread} of ${summary.files.found} unreadable or failed)`, { input: paths.join(', ') });
      }
      setExitStatus(cmd, summary.files.withFindings > 0 ? EXIT_FOUND : EXIT_CLEAN);

      /** Paths are reported as typed; relative ones are read from the command's working folder. */
      // A name that is not UTF-8 is taken as the bytes the user passed (argv.ts); a command run in-process for
      // another working folder (tests) resolves the text.
      function resolveRoot(p: string): FsPath {
        return io.cwd === process.cwd() ? pathArgument(p) : resolve(io.cwd, p);
      }
    });
}
