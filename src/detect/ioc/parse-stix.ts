// Reads STIX 2.1 bundles: indicators whose STIX patterns compare file hashes, file names, domains or IPs.
//
// Supported pattern shape: one or more `[...]` observation expressions joined by OR, each holding comparisons
// joined by OR, of the form `file:hashes.'SHA-256' = '...'` (MD5, SHA-1, SHA-256), `file:name = '...'`,
// `file:name MATCHES '...'` or `LIKE '...'`, `domain-name:value = '...'`, `ipv4-addr:value`/`ipv6-addr:value = '...'`.
// Anything else (AND, qualifiers, other objects) leaves that indicator out with a warning.

import { FirebreakError } from '../../core/errors.js';
import type { IocType } from '../../core/findings.js';
import { DEFAULT_SCORE } from './parse-text.js';
import type { Indicator, IocList, IocWarning } from './types.js';
import { checkValue, hashTypeOf, normalDomain, normalIp } from './values.js';

/** Objects read from one bundle at most. */
export const MAX_STIX_OBJECTS = 1_000_000;
/** Comparisons read from one pattern at most. */
export const MAX_PATTERN_TERMS = 10_000;

interface StixIndicator {
  type: 'indicator';
  id?: string;
  name?: string;
  description?: string;
  pattern?: string;
  pattern_type?: string;
  confidence?: number;
  revoked?: boolean;
}

interface Term {
  type: IocType;
  value: string;
}

const COMPARISON =
  /^\s*([a-z0-9-]+):((?:[A-Za-z0-9_]+|'[^']*')(?:\.(?:[A-Za-z0-9_]+|'[^']*'))*)\s*(=|MATCHES|LIKE)\s*'((?:[^'\\]|\\.)*)'\s*/;

/** SQL LIKE (`%`, `_`) as an anchored regex. */
function likeToRegex(like: string): string {
  let out = '^';
  for (const c of like) out += c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return `${out}$`;
}

function term(object: string, path: string, op: string, value: string): Term | string {
  const prop = path.replace(/'/g, '');
  if (object === 'file' && prop.toLowerCase().startsWith('hashes.') && op === '=') {
    const algo = prop.slice('hashes.'.length).toUpperCase().replace(/-/g, '');
    const type = algo === 'MD5' ? 'md5' : algo === 'SHA1' ? 'sha1' : algo === 'SHA256' ? 'sha256' : undefined;
    if (!type) return `hash algorithm ${prop.slice(7)} is not supported (MD5, SHA-1, SHA-256)`;
    if (hashTypeOf(value) !== type) return `'${value}' is not a ${type}`;
    return { type, value: value.toLowerCase() };
  }
  if (object === 'file' && prop === 'name') {
    if (op === '=') return { type: 'filename', value: `^${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$` };
    const regex = op === 'LIKE' ? likeToRegex(value) : value;
    const problem = checkValue('filename', regex);
    return problem ? `file:name ${op} '${value}': ${problem}` : { type: 'filename', value: regex };
  }
  if (object === 'domain-name' && prop === 'value' && op === '=') {
    const d = normalDomain(value);
    return d ? { type: 'domain', value: d } : `'${value}' is not a domain name`;
  }
  if ((object === 'ipv4-addr' || object === 'ipv6-addr') && prop === 'value' && op === '=') {
    const ip = normalIp(value);
    return ip ? { type: 'ip', value: ip } : `'${value}' is not an IP address (CIDR ranges are not supported)`;
  }
  return `${object}:${path} ${op} is not a supported comparison`;
}

/** The terms of a pattern made only of OR-ed comparisons in OR-ed observations, or why it is not one. */
export function parsePattern(pattern: string): Term[] | string {
  const terms: Term[] = [];
  let rest = pattern.trim();
  for (let n = 0; rest.length > 0; n++) {
    if (n > MAX_PATTERN_TERMS) return `more than ${MAX_PATTERN_TERMS} comparisons`;
    if (n > 0) {
      const or = /^OR\s*/.exec(rest);
      if (!or) return `expected OR between observations at '${rest.slice(0, 30)}'`;
      rest = rest.slice(or[0].length);
    }
    if (!rest.startsWith('[')) return `expected '[' at '${rest.slice(0, 30)}'`;
    rest = rest.slice(1);
    for (let k = 0; ; k++) {
      if (k > MAX_PATTERN_TERMS) return `more than ${MAX_PATTERN_TERMS} comparisons`;
      const m = COMPARISON.exec(rest);
      if (!m) return `unsupported comparison at '${rest.slice(0, 40)}'`;
      const value = m[4]!.replace(/\\(.)/g, '$1');
      const t = term(m[1]!, m[2]!, m[3]!, value);
      if (typeof t === 'string') return t;
      terms.push(t);
      rest = rest.slice(m[0].length);
      if (rest.startsWith(']')) {
        rest = rest.slice(1).trimStart();
        break;
      }
      const or = /^OR\s+/.exec(rest);
      if (!or) return /^AND\b/.test(rest) ? 'AND is not supported (only OR-ed comparisons)' : `unexpected '${rest.slice(0, 30)}'`;
      rest = rest.slice(or[0].length);
    }
  }
  return terms.length > 0 ? terms : 'empty pattern';
}

function lineOf(text: string, needle: string | undefined): number {
  if (!needle) return 1;
  const at = text.indexOf(`"${needle}"`);
  if (at < 0) return 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Reads a STIX 2.1 bundle. Malformed JSON or a non-bundle is E_IOC_SYNTAX; an unusable indicator is a warning. */
export function parseStixBundle(text: string, name: string): IocList {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    const line = pos === undefined ? undefined : text.slice(0, Number(pos)).split('\n').length;
    throw new FirebreakError('E_IOC_SYNTAX', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { input: name, line, cause: e });
  }
  const bundle = doc as { type?: unknown; objects?: unknown };
  if (typeof doc !== 'object' || doc === null || bundle.type !== 'bundle') {
    throw new FirebreakError('E_IOC_SYNTAX', 'JSON but not a STIX 2.1 bundle (no "type": "bundle")', { input: name, line: 1 });
  }
  const objects = Array.isArray(bundle.objects) ? bundle.objects : [];
  if (objects.length > MAX_STIX_OBJECTS) {
    throw new FirebreakError('E_LIMIT', `bundle has more than ${MAX_STIX_OBJECTS} objects`, { input: name });
  }
  const indicators: Indicator[] = [];
  const warnings: IocWarning[] = [];
  for (const o of objects as StixIndicator[]) {
    if (typeof o !== 'object' || o === null || o.type !== 'indicator') continue;
    const line = lineOf(text, o.id);
    const id = o.id ?? '(indicator without id)';
    if (o.revoked === true) {
      warnings.push({ list: name, line, message: `${id} is revoked; left out` });
      continue;
    }
    if (o.pattern_type !== 'stix' || typeof o.pattern !== 'string') {
      warnings.push({ list: name, line, message: `${id}: pattern_type '${String(o.pattern_type)}' is not supported (stix only); left out` });
      continue;
    }
    const terms = parsePattern(o.pattern);
    if (typeof terms === 'string') {
      warnings.push({ list: name, line, message: `${id}: ${terms}; left out` });
      continue;
    }
    const score = typeof o.confidence === 'number' && o.confidence >= 0 && o.confidence <= 100 ? o.confidence : DEFAULT_SCORE;
    const description = [o.name, o.description].filter((x) => typeof x === 'string' && x).join(': ');
    for (const t of terms) {
      const ind: Indicator = { type: t.type, value: t.value, score, list: name, line };
      if (description) ind.description = description;
      indicators.push(ind);
    }
  }
  return { name, format: 'stix', indicators, warnings };
}
