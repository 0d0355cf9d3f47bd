// `rules check`: compiles every rule file, checks meta, duplicate names, slow patterns, family files and IOC lists.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FirebreakError } from '../../core/errors.js';
import type { YaraEngine } from '../engine.js';
import { buildCatalog, parseFamilyFile, type FamilyRecord } from '../families.js';
import { checkIocLists, iocListFiles } from './iocs.js';
import { lintMeta, lintPerformance, FIREBREAK_REQUIRED_META, type PackDiagnostic } from './lint.js';
import { packRules, packSources, type PackLayout } from './pack.js';
import { externalsOptions } from './scanner.js';

export interface CheckOptions {
  engine: YaraEngine;
  /** Meta keys every (non-private) rule must carry; default FIREBREAK_REQUIRED_META. */
  requiredMeta?: string[];
}

export interface CheckResult {
  files: number;
  rules: number;
  families: number;
  iocLists: number;
  diagnostics: PackDiagnostic[];
  errors: number;
  warnings: number;
}

async function checkFamilies(dir: string, out: PackDiagnostic[]): Promise<FamilyRecord[]> {
  const records: FamilyRecord[] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (e) {
    out.push({ path: dir, severity: 'error', code: 'family-file', message: `cannot read the folder: ${String(e)}` });
    return records;
  }
  for (const name of names.filter((n) => /\.(ya?ml|json)$/i.test(n) && !/\.schema\.json$/i.test(n))) {
    const path = join(dir, name);
    try {
      records.push(parseFamilyFile(await readFile(path, 'utf8'), path));
    } catch (e) {
      const fe = e instanceof FirebreakError ? e : undefined;
      out.push({ path, line: fe?.line, severity: 'error', code: 'family-file', message: fe?.message ?? String(e) });
    }
  }
  try {
    buildCatalog(records);
  } catch (e) {
    const fe = e instanceof FirebreakError ? e : undefined;
    out.push({ path: fe?.input ?? dir, severity: 'error', code: 'family-file', message: fe?.message ?? String(e) });
  }
  return records;
}

/** yara-x renders `warning[slow_pattern]: text`; the code becomes the diagnostic's, so it is not said twice. */
function engineReport(text: string, fallback: string): { code: string; message: string } {
  const m = /^(?:error|warning)\[([^\]]+)\]: ([\s\S]*)$/.exec(text);
  if (!m) return { code: fallback, message: text };
  return fallback === 'compile' ? { code: fallback, message: `${m[1]}: ${m[2]}` } : { code: m[1]!, message: m[2]! };
}

/** Checks the pack; never throws for problems in the pack itself, only when it cannot be read at all. */
export async function checkPack(layout: PackLayout, options: CheckOptions): Promise<CheckResult> {
  const diagnostics: PackDiagnostic[] = [];
  const sources = await packSources(layout);

  const rules = packRules(sources);
  const compileOptions = externalsOptions(rules);
  for (const source of sources) {
    try {
      const set = options.engine.compile([source], compileOptions);
      for (const w of set.warnings) {
        const { code, message } = engineReport(w.message, 'engine-warning');
        diagnostics.push({ path: w.path, line: w.line, column: w.column, severity: 'warning', code, message });
      }
      set.dispose();
    } catch (e) {
      const fe = e instanceof FirebreakError ? e : undefined;
      diagnostics.push({
        path: source.path,
        line: fe?.line,
        column: fe?.column,
        severity: 'error',
        code: 'compile',
        message: engineReport(fe?.message ?? String(e), 'compile').message,
      });
    }
  }

  const families = layout.familyDir ? await checkFamilies(layout.familyDir, diagnostics) : undefined;
  const familyKeys = families && new Set(families.flatMap((f) => [f.id, f.name, ...f.aliases].map((k) => k.toLowerCase())));
  const seen = new Map<string, { path: string; line: number }>();
  const requiredMeta = options.requiredMeta ?? FIREBREAK_REQUIRED_META;
  for (const r of rules) {
    const first = seen.get(r.block.name);
    if (first) {
      diagnostics.push({
        path: r.source.path,
        line: r.block.line,
        severity: 'error',
        code: 'duplicate-rule',
        message: `rule ${r.block.name} is also declared at ${first.path}:${first.line}`,
        rule: r.block.name,
      });
    } else seen.set(r.block.name, { path: r.source.path, line: r.block.line });
    diagnostics.push(
      ...lintMeta(r.block, r.source.path, { requiredMeta, families: familyKeys && ((k) => familyKeys.has(k)) }),
      ...lintPerformance(r.block, r.source.path),
    );
  }

  if (layout.iocDir) await checkIocLists(layout.iocDir, diagnostics);
  const iocLists = layout.iocDir ? (await iocListFiles(layout.iocDir)).length : 0;
  diagnostics.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    files: sources.length,
    rules: rules.length,
    families: families?.length ?? 0,
    iocLists,
    diagnostics,
    errors,
    warnings: diagnostics.length - errors,
  };
}
