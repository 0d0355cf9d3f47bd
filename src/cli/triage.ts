// `firebreak triage FILE`: PE summary, capabilities by ATT&CK tactic, YARA and IOC hits, the family, anomalies; a
// shell over triageSample().

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { FirebreakError } from '../core/errors.js';
import { createCapabilityEngine, DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET_MS } from '../capabilities/analyze.js';
import type { RuleSource } from '../capabilities/load.js';
import type { RuleFailure } from '../capabilities/ruleset.js';
import { loadFamilies, type FamilyCatalog } from '../detect/families.js';
import { createIocSet, loadEngine, loadIocLists, loadRuleSources, type IocSet } from '../detect/index.js';
import { renderTriageSarif } from '../report/render/triage-sarif.js';
import { renderTriageText } from '../report/render/triage-text.js';
import { hasFindings } from '../report/schema.js';
import type { FamilyMatcher } from '../similarity/index.js';
import { userCacheDir } from '../sweep/cache.js';
import { triageSample, type YaraScanner } from '../sweep/triage.js';
import { EXIT_CLEAN, EXIT_FOUND } from './exit.js';
import { writeOut, type CliIo } from './io.js';
import { setExitStatus } from './main.js';
import { BUNDLED_RULES_DIR, BUNDLED_SIMILARITY_DB } from './paths.js';

/** Rule files that did not load, named one a line without --verbose up to this many; past it, only counted. */
export const MAX_RULE_FAILURES_LISTED = 10;

/**
 * What to say about rules that did not load: a count, then each rule file (relative to the working folder when under
 * it) and why. A long list (a user's own folder in an older format, say) waits for --verbose, and the count says so.
 */
export function ruleFailureLines(failures: readonly RuleFailure[], cwd: string, verbose: boolean): string[] {
  const n = failures.length;
  if (n === 0) return [];
  const rules = n === 1 ? 'capability rule' : 'capability rules';
  if (n > MAX_RULE_FAILURES_LISTED && !verbose) return [`${n} ${rules} did not load (--verbose names each and why)`];
  const shown = (path: string): string => {
    const rel = relative(cwd, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };
  return [`${n} ${rules} did not load:`, ...failures.map((f) => `  ${shown(f.path)}: ${f.reason}`)];
}

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface TriageFlags {
  format: Format;
  verbose?: boolean;
  capaRules: string[];
  timeBudget: string;
  maxSize: string;
  yara: boolean;
  db?: string;
  cache: boolean;
}

/** The externals signature-base-style rules expect; declared at compile time, set per file at scan time. */
const YARA_EXTERNALS = { filename: '', filepath: '', extension: '', filetype: '', owner: '' };

function positiveNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new FirebreakError('E_USAGE', `${flag} '${text}' is not a positive number`);
  return n;
}

async function bundledYara(io: CliIo): Promise<YaraScanner | undefined> {
  const dir = join(BUNDLED_RULES_DIR, 'yara');
  if (!existsSync(dir)) return undefined;
  const sources = await loadRuleSources([dir]);
  const engine = await loadEngine('auto');
  const set = engine.compile(sources, { skipBadRules: true, externals: YARA_EXTERNALS });
  for (const s of set.skipped) io.stderr.write(`firebreak triage: skipped YARA rule file ${s.path}: ${s.message}\n`);
  return set;
}

async function bundledFamilies(): Promise<FamilyCatalog | undefined> {
  const dir = join(BUNDLED_RULES_DIR, 'families');
  return existsSync(dir) ? loadFamilies(dir) : undefined;
}

/** A similarity database named by --db; its modules (SQLite, feature extraction) load only then. */
async function similarityMatcher(io: CliIo, db: string | undefined): Promise<FamilyMatcher | undefined> {
  if (db === undefined) return undefined;
  const path = resolve(io.cwd, db);
  if (!existsSync(path)) throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such similarity database', { input: db });
  const { FamilyMatcher, borrowedBaselineNote } = await import('../similarity/index.js');
  const matcher = new FamilyMatcher(path, { fallbackBaseline: BUNDLED_SIMILARITY_DB });
  if (matcher.borrowedBaseline) io.stderr.write(`firebreak triage: warning: ${borrowedBaselineNote(db, `the bundled database ${BUNDLED_SIMILARITY_DB}`)}\n`);
  return matcher;
}

async function bundledIocs(): Promise<IocSet | undefined> {
  const dir = join(BUNDLED_RULES_DIR, 'iocs');
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((n) => !n.startsWith('.') && n !== 'README.md')
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile())
    .sort();
  if (files.length === 0) return undefined;
  return createIocSet(await loadIocLists(files));
}

export function define(cmd: Command, io: CliIo): void {
  cmd
    .argument('<file>', 'the PE file to triage')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('-v, --verbose', 'show the evidence tree of each capability (which feature matched where), and name every rule that did not load')
    .option('--capa-rules <dir>', "also match capa's rule corpus (a capa-rules checkout); repeatable", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--time-budget <seconds>', 'time budget for code analysis; past it the result is partial', String(DEFAULT_TIME_BUDGET_MS / 1000))
    .option('--max-size <bytes>', 'files larger than this get file-scope rules only', String(DEFAULT_MAX_BYTES))
    .option('--no-yara', 'skip the bundled YARA rules, IOC lists and family verdicts')
    .option('--db <file>', 'a similarity database (firebreak db add): name the nearest family by shared code and strings')
    .option('--no-cache', 'parse the capability rules afresh instead of reading the per-user rule cache')
    .action(async (file: string, flags: TriageFlags) => {
      const path = resolve(io.cwd, file);
      const timeBudgetMs = positiveNumber(flags.timeBudget, '--time-budget') * 1000;
      const maxBytes = positiveNumber(flags.maxSize, '--max-size');
      let bytes: Uint8Array;
      try {
        const st = statSync(path);
        if (!st.isFile()) throw new FirebreakError('E_INPUT_UNREADABLE', 'not a regular file', { input: file });
        bytes = new Uint8Array(readFileSync(path));
      } catch (e) {
        if (e instanceof FirebreakError) throw e;
        const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_INPUT_NOT_FOUND' : 'E_INPUT_UNREADABLE';
        throw new FirebreakError(code, code === 'E_INPUT_NOT_FOUND' ? 'no such file' : 'cannot read the file', { input: file, cause: e });
      }
      const sources: RuleSource[] = [{ path: join(BUNDLED_RULES_DIR, 'capabilities'), ruleSet: 'firebreak' }];
      for (const dir of flags.capaRules) {
        const p = resolve(io.cwd, dir);
        if (!existsSync(p)) throw new FirebreakError('E_INPUT_NOT_FOUND', 'no such capa rules folder', { input: dir });
        sources.push({ path: p, ruleSet: 'capa' });
      }
      const engine = createCapabilityEngine(sources, flags.cache ? { cache: { dir: userCacheDir(io.env, process.platform, homedir()) } } : {});
      for (const line of ruleFailureLines(engine.failures, io.cwd, flags.verbose ?? false)) io.stderr.write(`firebreak triage: ${line}\n`);
      const yara = flags.yara ? await bundledYara(io) : undefined;
      const iocs = flags.yara ? await bundledIocs() : undefined;
      const families = flags.yara ? await bundledFamilies() : undefined;
      const similarity = await similarityMatcher(io, flags.db);
      let result: ReturnType<typeof triageSample>;
      try {
        result = triageSample(bytes, {
          path: file,
          engine,
          verbose: flags.verbose ?? false,
          timeBudgetMs,
          maxBytes,
          ...(yara ? { yara } : {}),
          ...(iocs ? { iocs } : {}),
          ...(families ? { families } : {}),
          ...(similarity ? { similarity } : {}),
        });
      } finally {
        similarity?.close();
      }
      if (result.report.partial) io.stderr.write(`firebreak triage: ${file}: partial analysis: ${result.analysis.partialReason ?? 'budget reached'}\n`);
      const verbose = flags.verbose ?? false;
      const text =
        flags.format === 'json'
          ? `${JSON.stringify(result.report, null, 2)}\n`
          : flags.format === 'sarif'
            ? renderTriageSarif(result, { verbose })
            : renderTriageText(result, { verbose });
      await writeOut(io.stdout, text);
      (yara as { dispose?: () => void } | undefined)?.dispose?.();
      setExitStatus(cmd, hasFindings(result.report) ? EXIT_FOUND : EXIT_CLEAN);
    });
}
