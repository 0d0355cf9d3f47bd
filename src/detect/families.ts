// Family records (rules/families/*.yaml) and the verdict that turns a sample's YARA and IOC hits into one family.

import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { Anomaly } from '../core/anomaly.js';
import { FirebreakError } from '../core/errors.js';
import type { FamilyVerdict, IocHit, YaraMatch } from '../core/findings.js';

/** Family files read from one folder at most. */
export const MAX_FAMILY_FILES = 1000;
/** Largest family file read. */
export const MAX_FAMILY_FILE_BYTES = 1024 * 1024;
/** Pieces of evidence named in a verdict's `why` at most; the rest are counted. */
export const MAX_WHY_LINES = 12;

export const RELATION_TYPES = ['plugin-of', 'hosts-plugin', 'shares-origin', 'variant-of'] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

const techniqueId = z.string().regex(/^T\d{4}(\.\d{3})?$/, 'an ATT&CK technique ID such as T1113 or T1071.001');

/** The schema of one family file; rules/families/family.schema.json is generated from it (see the test). */
export const familyFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)),
    description: z.string().min(1),
    attack: z
      .object({
        software: z.string().regex(/^S\d{4}$/, 'an ATT&CK software ID such as S0143').nullable(),
        techniques: z.array(techniqueId),
      })
      .strict(),
    variants: z.array(
      z
        .object({
          name: z.string().min(1),
          description: z.string().optional(),
          /** Rule names and IOC indicators (as written in their list) whose hits imply this variant. */
          evidence: z
            .object({ rules: z.array(z.string()).optional(), iocs: z.array(z.string()).optional() })
            .strict()
            .optional(),
        })
        .strict(),
    ),
    relations: z.array(
      z
        .object({ type: z.enum(RELATION_TYPES), family: z.string().min(1), source: z.string().optional() })
        .strict(),
    ),
    /**
     * Anomaly codes of the volume and hive readers that are this family's own artefacts (Flame's "." container on a
     * USB stick): each one on a sample is evidence at its confidence, as a YARA hit would be. A code names one family.
     */
    artefacts: z
      .array(
        z
          .object({
            code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an anomaly code such as FAT_FLAME_DOT_CONTAINER'),
            confidence: z.enum(['high', 'medium', 'low']),
          })
          .strict(),
      )
      .optional(),
    /** IOC list file names (without folder) whose hits name this family; `<id>.txt` is always one. */
    iocLists: z.array(z.string()).optional(),
    references: z.array(z.string()),
    /** What the public facts were too thin to cover. */
    gaps: z.array(z.string()).optional(),
  })
  .strict();

export type FamilyFile = z.infer<typeof familyFileSchema>;

/** The JSON Schema of a family file, as rules/families/family.schema.json holds it for editors and other tools. */
export function familyJsonSchema(): Record<string, unknown> {
  return {
    title: 'Firebreak family file',
    description:
      'One family of the detection pack (rules/families/*.yaml), read by src/detect/families.ts. Generated from familyFileSchema (UPDATE_GOLDEN=1 rewrites it).',
    ...z.toJSONSchema(familyFileSchema),
  };
}

export interface FamilyRecord extends FamilyFile {
  /** The file it came from. */
  path: string;
}

export interface FamilyCatalog {
  readonly families: readonly FamilyRecord[];
  /** A family by id, name or alias, in lower case. */
  find(nameOrAlias: string): FamilyRecord | undefined;
  /** The family an IOC list (by its file name) speaks for. */
  forIocList(listPath: string): FamilyRecord | undefined;
  /** The family whose artefact an anomaly code is, with the confidence its family file gives. */
  forAnomaly(code: string): { family: FamilyRecord; confidence: 'high' | 'medium' | 'low' } | undefined;
}

/** Parses and validates one family file (YAML or JSON). Throws E_RULE_SYNTAX naming the file and line. */
export function parseFamilyFile(text: string, path: string): FamilyRecord {
  const doc = parseDocument(text, { prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    // An error at the very end (an unclosed bracket) is reported on the last line that has text.
    const at = Math.min(yamlError.pos[0], text.trimEnd().length - 1);
    const line = text.slice(0, Math.max(0, at)).split('\n').length;
    throw new FirebreakError('E_RULE_SYNTAX', `family file is not valid YAML: ${yamlError.message}`, { input: path, line });
  }
  let value: unknown;
  try {
    // toJS resolves aliases; an alias to no anchor, or one that expands without bound, throws here.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new FirebreakError('E_RULE_SYNTAX', `family file is not valid YAML: ${e instanceof Error ? e.message : String(e)}`, {
      input: path,
      cause: e,
    });
  }
  const parsed = familyFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    throw new FirebreakError('E_RULE_SYNTAX', `family file: ${where ? `${where}: ` : ''}${issue.message}`, {
      input: path,
      line: lineOf(text, issue.path),
    });
  }
  return { ...parsed.data, path };
}

/** The 1-based line of a top-level key named in an issue path, for pointing a person at it. */
function lineOf(text: string, path: PropertyKey[]): number | undefined {
  const key = path[0];
  if (typeof key !== 'string') return undefined;
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`"${key}":`) || l.includes(`"${key}":`));
  return i < 0 ? undefined : i + 1;
}

/** A catalog over records; throws E_RULE_SYNTAX for duplicate ids or names and relations to unknown families. */
export function buildCatalog(records: FamilyRecord[]): FamilyCatalog {
  const byKey = new Map<string, FamilyRecord>();
  const byId = new Map<string, FamilyRecord>();
  for (const r of records) {
    if (byId.has(r.id)) {
      throw new FirebreakError('E_RULE_SYNTAX', `family id '${r.id}' is also declared in ${byId.get(r.id)!.path}`, { input: r.path });
    }
    byId.set(r.id, r);
  }
  for (const r of records) {
    for (const key of [r.id, r.name, ...r.aliases]) {
      const k = key.toLowerCase();
      const other = byKey.get(k);
      if (other && other !== r) {
        throw new FirebreakError('E_RULE_SYNTAX', `family name or alias '${key}' is also used by ${other.path}`, { input: r.path });
      }
      byKey.set(k, r);
    }
    for (const rel of r.relations) {
      if (!byId.has(rel.family)) {
        throw new FirebreakError('E_RULE_SYNTAX', `relation ${rel.type} names unknown family '${rel.family}'`, { input: r.path });
      }
    }
  }
  const byList = new Map<string, FamilyRecord>();
  for (const r of records) {
    byList.set(`${r.id}.txt`, r);
    for (const l of r.iocLists ?? []) byList.set(l.toLowerCase(), r);
  }
  const byArtefact = new Map<string, { family: FamilyRecord; confidence: 'high' | 'medium' | 'low' }>();
  for (const r of records) {
    for (const a of r.artefacts ?? []) {
      const other = byArtefact.get(a.code);
      if (other) throw new FirebreakError('E_RULE_SYNTAX', `artefact ${a.code} is also claimed by ${other.family.path}`, { input: r.path });
      byArtefact.set(a.code, { family: r, confidence: a.confidence });
    }
  }
  return {
    families: records,
    forAnomaly: (code) => byArtefact.get(code),
    find: (key) => byKey.get(key.trim().toLowerCase()),
    forIocList: (listPath) => {
      const file = basename(listPath.replace(/\\/g, '/')).toLowerCase();
      return byList.get(file) ?? byKey.get(basename(file, extname(file)));
    },
  };
}

/** Every `*.yaml`, `*.yml` and `*.json` family file in `dir` (not recursive; `*.schema.json` skipped), as a catalog. */
export async function loadFamilies(dir: string): Promise<FamilyCatalog> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (e) {
    throw new FirebreakError('E_RULE_IO', 'cannot read the family folder', { input: dir, cause: e });
  }
  const files = names.filter((n) => /\.(ya?ml|json)$/i.test(n) && !/\.schema\.json$/i.test(n));
  if (files.length > MAX_FAMILY_FILES) {
    throw new FirebreakError('E_LIMIT', `more than ${MAX_FAMILY_FILES} family files`, { input: dir });
  }
  const records: FamilyRecord[] = [];
  for (const name of files) {
    const path = join(dir, name);
    let text: string;
    try {
      const bytes = await readFile(path);
      if (bytes.length > MAX_FAMILY_FILE_BYTES) {
        throw new FirebreakError('E_LIMIT', `family file larger than ${MAX_FAMILY_FILE_BYTES} bytes`, { input: path });
      }
      text = bytes.toString('utf8');
    } catch (e) {
      if (e instanceof FirebreakError) throw e;
      throw new FirebreakError('E_RULE_IO', 'cannot read the family file', { input: path, cause: e });
    }
    records.push(parseFamilyFile(text, path));
  }
  return buildCatalog(records);
}

/** Weight of a YARA hit by its rule's `confidence` meta; a rule without one counts as medium-low. */
const CONFIDENCE_WEIGHT: Record<string, number> = { high: 90, medium: 70, low: 40 };
const UNRATED_WEIGHT = 50;
/** Each further distinct piece of evidence for the same family adds this much, up to 100. */
const CORROBORATION_BONUS = 5;

interface Evidence {
  family: FamilyRecord;
  weight: number;
  /** What a person reads in `why`. */
  text: string;
  /** A variant this evidence names directly (YARA `variant` meta or a family file's evidence list). */
  variant?: string;
}

function variantFromFamilyFile(family: FamilyRecord, rule?: string, indicator?: string): string | undefined {
  for (const v of family.variants) {
    if (rule !== undefined && v.evidence?.rules?.includes(rule)) return v.name;
    if (indicator !== undefined && v.evidence?.iocs?.some((i) => i === indicator || indicator.startsWith(`${i}=`))) {
      return v.name;
    }
  }
  return undefined;
}

function yaraEvidence(m: YaraMatch, catalog: FamilyCatalog): Evidence | undefined {
  const familyName = m.meta.family;
  if (typeof familyName !== 'string') return undefined;
  const family = catalog.find(familyName);
  if (!family) return undefined;
  const confidence = typeof m.meta.confidence === 'string' ? m.meta.confidence.toLowerCase() : undefined;
  const weight = (confidence && CONFIDENCE_WEIGHT[confidence]) || UNRATED_WEIGHT;
  const metaVariant = typeof m.meta.variant === 'string' && m.meta.variant.trim() ? m.meta.variant.trim() : undefined;
  const variant = metaVariant ?? variantFromFamilyFile(family, m.rule);
  const name = m.namespace ? `${m.namespace}.${m.rule}` : m.rule;
  return { family, weight, variant, text: `YARA ${name} (confidence ${confidence ?? 'unrated'})` };
}

function iocEvidence(h: IocHit, catalog: FamilyCatalog): Evidence | undefined {
  const family = catalog.forIocList(h.list);
  if (!family) return undefined;
  const weight = Math.max(0, Math.min(100, h.score));
  const variant = variantFromFamilyFile(family, undefined, `${h.type}:${h.indicator}`) ??
    variantFromFamilyFile(family, undefined, h.indicator);
  const list = basename(h.list.replace(/\\/g, '/'));
  return { family, weight, variant, text: `IOC ${h.type}:${h.indicator} from ${list} (score ${h.score}): ${h.why}` };
}

function anomalyEvidence(a: Anomaly, catalog: FamilyCatalog): Evidence | undefined {
  const artefact = catalog.forAnomaly(a.code);
  if (!artefact) return undefined;
  const { family, confidence } = artefact;
  return { family, weight: CONFIDENCE_WEIGHT[confidence]!, text: `artefact ${a.code} (confidence ${confidence}): ${a.message}` };
}

/** "A and B", "A, B and C". */
function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The relation sentence of a summary: the closest kind of relation the family has, in this order. */
function relationPhrase(family: FamilyRecord, catalog: FamilyCatalog): string | undefined {
  const namesOf = (type: RelationType): string[] =>
    family.relations.filter((r) => r.type === type).map((r) => catalog.find(r.family)?.name ?? r.family);
  const plugin = namesOf('plugin-of');
  if (plugin.length) return `a plugin of ${joinNames(plugin)}`;
  const variantOf = namesOf('variant-of');
  if (variantOf.length) return `a variant of ${joinNames(variantOf)}`;
  const hosts = namesOf('hosts-plugin');
  if (hosts.length) return `host of the ${joinNames(hosts)} plugin${hosts.length > 1 ? 's' : ''}`;
  const origin = namesOf('shares-origin');
  if (origin.length) return `of the same origin as ${joinNames(origin)}`;
  return undefined;
}

/**
 * The family a sample belongs to, from its YARA matches (rule meta `family`, `variant`, `confidence`), IOC hits
 * (the list file names the family: `flame.txt`, or a family's `iocLists`) and anomalies a family file claims as its
 * artefacts (`artefacts`), or null when no hit names a known family.
 *
 * Each hit weighs by confidence (high 90, medium 70, low 40, unrated 50) or by IOC score; a family scores its best
 * hit plus 5 for each further hit, up to 100. The best-scoring family wins (ties: more hits, then id). The variant
 * comes from the strongest of the winner's hits that names one. `summary` reads e.g.
 * "miniFlame 4.x, a plugin of Flame and Gauss"; `relations` lists every relation of the family file.
 */
export function familyVerdict(
  hits: { yara: readonly YaraMatch[]; iocs: readonly IocHit[]; anomalies?: readonly Anomaly[] | undefined },
  catalog: FamilyCatalog,
): FamilyVerdict | null {
  const evidence: Evidence[] = [];
  for (const m of hits.yara) {
    const e = yaraEvidence(m, catalog);
    if (e) evidence.push(e);
  }
  for (const h of hits.iocs) {
    const e = iocEvidence(h, catalog);
    if (e) evidence.push(e);
  }
  for (const a of hits.anomalies ?? []) {
    const e = anomalyEvidence(a, catalog);
    if (e) evidence.push(e);
  }
  if (evidence.length === 0) return null;

  const perFamily = new Map<FamilyRecord, Evidence[]>();
  for (const e of evidence) {
    const list = perFamily.get(e.family) ?? [];
    list.push(e);
    perFamily.set(e.family, list);
  }
  const scored = [...perFamily.entries()].map(([family, list]) => {
    const sorted = [...list].sort((a, b) => b.weight - a.weight);
    const score = Math.min(100, sorted[0]!.weight + CORROBORATION_BONUS * (sorted.length - 1));
    return { family, list: sorted, score };
  });
  scored.sort((a, b) => b.score - a.score || b.list.length - a.list.length || (a.family.id < b.family.id ? -1 : 1));
  const best = scored[0]!;
  const variant = best.list.find((e) => e.variant !== undefined)?.variant;
  const head = variant ? `${best.family.name} ${variant}` : best.family.name;
  const phrase = relationPhrase(best.family, catalog);

  const why = best.list.slice(0, MAX_WHY_LINES).map((e) => e.text);
  if (best.list.length > MAX_WHY_LINES) why.push(`and ${best.list.length - MAX_WHY_LINES} more hits`);
  for (const other of scored.slice(1)) {
    why.push(`also matched ${other.family.name} (score ${other.score}, ${other.list.length} hit${other.list.length > 1 ? 's' : ''})`);
  }
  const verdict: FamilyVerdict = {
    name: best.family.name,
    score: best.score,
    summary: phrase ? `${head}, ${phrase}` : head,
    why,
  };
  if (variant) verdict.variant = variant;
  if (best.family.relations.length) {
    verdict.relations = best.family.relations.map((r) => ({
      relation: r.type,
      family: catalog.find(r.family)?.name ?? r.family,
    }));
  }
  return verdict;
}
