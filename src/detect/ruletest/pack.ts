// Finds the parts of a rule pack folder: YARA files, IOC lists, family files, fixtures and clean corpora.
//
// A pack is either a folder laid out like rules/ (yara/, iocs/, families/, optional pack.yaml) or any folder or
// file of .yar rules. pack.yaml may say where the positives live (`fixtures:`) and which clean corpora `rules test`
// scans by default (`clean:`); paths are relative to the pack folder and may use ${ENV} variables.

import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { FirebreakError } from '../../core/errors.js';
import { loadRuleSources } from '../rules/load.js';
import type { RuleSource } from '../engine.js';
import { readRuleSource, type RuleBlock, type SourceOutline } from './source.js';

export const PACK_MANIFEST = 'pack.yaml';

export interface PackLayout {
  /** The folder or file the user named. */
  root: string;
  /** Where the YARA files were read from (root/yara for a full pack, else root). */
  yaraPath?: string;
  iocDir?: string;
  familyDir?: string;
  /** Root of the positive fixtures, if the pack has any. */
  fixturesDir?: string;
  /** Clean corpora named by the manifest (after ${ENV} expansion). */
  clean: string[];
  /** Manifest clean entries left out because a variable they name is not set. */
  cleanUnset: string[];
}

/** One rule with where it came from. */
export interface PackRule {
  source: RuleSource;
  outline: SourceOutline;
  block: RuleBlock;
}

const manifestSchema = z
  .object({
    fixtures: z.string().optional(),
    clean: z.array(z.string()).optional(),
  })
  .strict();

async function kind(p: string): Promise<'dir' | 'file' | undefined> {
  try {
    const s = await stat(p);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** `${NAME}` replaced by the environment's value; undefined when a named variable is not set. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string | undefined {
  let missing = false;
  const out = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') missing = true;
    return v ?? '';
  });
  return missing ? undefined : out;
}

/** The layout of the pack at `path`. Throws E_RULE_IO when the path does not exist. */
export async function resolvePack(path: string, env: NodeJS.ProcessEnv = process.env): Promise<PackLayout> {
  const root = resolve(path);
  const k = await kind(root);
  if (!k) throw new FirebreakError('E_RULE_IO', 'no such rule file or folder', { input: path });
  if (k === 'file') return { root, yaraPath: root, clean: [], cleanUnset: [] };
  const layout: PackLayout = { root, clean: [], cleanUnset: [] };
  layout.yaraPath = (await kind(join(root, 'yara'))) === 'dir' ? join(root, 'yara') : root;
  if ((await kind(join(root, 'iocs'))) === 'dir') layout.iocDir = join(root, 'iocs');
  if ((await kind(join(root, 'families'))) === 'dir') layout.familyDir = join(root, 'families');
  const manifestPath = join(root, PACK_MANIFEST);
  if ((await kind(manifestPath)) === 'file') {
    let manifest: z.infer<typeof manifestSchema>;
    try {
      manifest = manifestSchema.parse(parse(await readFile(manifestPath, 'utf8')) ?? {});
    } catch (e) {
      throw new FirebreakError('E_RULE_SYNTAX', `bad pack manifest: ${e instanceof Error ? e.message : String(e)}`, {
        input: manifestPath,
        cause: e,
      });
    }
    if (manifest.fixtures) layout.fixturesDir = resolve(root, manifest.fixtures);
    for (const c of manifest.clean ?? []) {
      const expanded = expandEnv(c, env);
      if (expanded === undefined) layout.cleanUnset.push(c);
      else layout.clean.push(isAbsolute(expanded) ? expanded : resolve(root, expanded));
    }
  }
  if (!layout.fixturesDir && (await kind(join(root, 'fixtures'))) === 'dir') layout.fixturesDir = join(root, 'fixtures');
  return layout;
}

/** The pack's YARA sources; empty when the pack has none. */
export async function packSources(layout: PackLayout): Promise<RuleSource[]> {
  if (!layout.yaraPath) return [];
  try {
    return await loadRuleSources([layout.yaraPath]);
  } catch (e) {
    // A pack of only IOCs or families has no rule files; that is not an error here.
    if (e instanceof FirebreakError && e.code === 'E_RULE_IO' && /no \.yar or \.yara files/.test(e.message)) return [];
    throw e;
  }
}

/** Every rule of the sources, with its outline. */
export function packRules(sources: readonly RuleSource[]): PackRule[] {
  const out: PackRule[] = [];
  for (const source of sources) {
    const outline = readRuleSource(source.text);
    for (const block of outline.rules) out.push({ source, outline, block });
  }
  return out;
}
