// Judges one rule's text without compiling it: required meta, meta values, and patterns or loops that scan slowly.

import { decodeStringLiteral } from '../rules/outline.js';
import type { PatternInfo, RuleBlock } from './source.js';

export type Severity = 'error' | 'warning';

/** One finding of `rules check`, pointing at a file and line. */
export interface PackDiagnostic {
  path: string;
  line?: number;
  column?: number;
  severity: Severity;
  /** Stable code: `meta-missing`, `short-atom`, `compile`... */
  code: string;
  message: string;
  rule?: string;
}

/** The meta every Firebreak rule carries (docs/pack.md). `variant` is optional: only where it is known. */
export const FIREBREAK_REQUIRED_META = ['family', 'aliases', 'description', 'reference', 'confidence', 'attack', 'date', 'author'];
export const CONFIDENCE_LEVELS = ['high', 'medium', 'low'];

/** Text patterns shorter than this give the engine atoms so common that the pattern search slows down. */
export const MIN_TEXT_ATOM = 4;
/** Hex patterns need a run of at least this many fixed bytes outside alternatives. */
export const MIN_HEX_ATOM = 3;
/** Regexps need a run of at least this many literal characters. */
export const MIN_REGEX_ATOM = 3;

const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface LintOptions {
  requiredMeta: string[];
  /** Known family names and aliases (lower case); undefined when the pack has no families folder. */
  families?: (name: string) => boolean;
}

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** Meta problems of one rule: missing required keys, bad confidence, ATT&CK IDs, date, unknown family. */
export function lintMeta(rule: RuleBlock, path: string, options: LintOptions): PackDiagnostic[] {
  const out: PackDiagnostic[] = [];
  const err = (line: number, code: string, message: string): void => {
    out.push({ path, line, severity: 'error', code, message: `rule ${rule.name}: ${message}`, rule: rule.name });
  };
  if (rule.isPrivate) return out; // private rules are building blocks, never reported, so they need no meta
  const byKey = new Map<string, { value: unknown; line: number }>();
  for (const m of rule.meta) {
    if (byKey.has(m.key) && options.requiredMeta.includes(m.key)) err(m.line, 'meta-duplicate', `meta '${m.key}' is given twice`);
    if (!byKey.has(m.key)) byKey.set(m.key, { value: m.value, line: m.line });
  }
  for (const key of options.requiredMeta) {
    if (!byKey.has(key)) err(rule.line, 'meta-missing', `missing meta '${key}'`);
  }
  // Only the keys a pack requires are judged: another pack's `date` or `confidence` may follow other conventions.
  const text = (key: string): { value: string; line: number } | undefined => {
    if (!options.requiredMeta.includes(key)) return undefined;
    const e = byKey.get(key);
    if (!e) return undefined;
    if (typeof e.value !== 'string') {
      err(e.line, 'meta-value', `meta '${key}' must be a string`);
      return undefined;
    }
    return { value: e.value, line: e.line };
  };
  for (const key of ['description', 'reference', 'author', 'family']) {
    const v = text(key);
    if (v && v.value.trim() === '') err(v.line, 'meta-value', `meta '${key}' is empty`);
  }
  const confidence = text('confidence');
  if (confidence && !CONFIDENCE_LEVELS.includes(confidence.value)) {
    err(confidence.line, 'meta-value', `confidence '${confidence.value}' is not one of ${CONFIDENCE_LEVELS.join(', ')}`);
  }
  const attack = text('attack');
  if (attack) {
    const ids = attack.value.split(/[\s,]+/).filter(Boolean);
    if (ids.length === 0) err(attack.line, 'meta-value', "meta 'attack' names no technique");
    for (const id of ids) if (!ATTACK_ID.test(id)) err(attack.line, 'meta-value', `'${id}' is not an ATT&CK technique ID (T1234 or T1234.001)`);
  }
  const date = text('date');
  if (date && !validDate(date.value)) err(date.line, 'meta-value', `date '${date.value}' is not a YYYY-MM-DD date`);
  const family = text('family');
  if (family && family.value.trim() && options.families && !options.families(family.value.trim().toLowerCase())) {
    err(family.line, 'unknown-family', `family '${family.value}' is not declared in the pack's families folder`);
  }
  return out;
}

/** Longest run of fixed bytes in a hex pattern, outside alternatives; and whether it has an unbounded jump. */
export function hexShape(literal: string): { longestRun: number; unboundedJump: boolean } {
  const body = literal.replace(/^\{|\}$/g, '').replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  let longest = 0;
  let run = 0;
  let depth = 0;
  let unbounded = false;
  const tokens = body.match(/\[[^\]]*\]|\(|\)|\||~?[0-9A-Fa-f?]{2}/g) ?? [];
  for (const t of tokens) {
    if (t === '(') depth++;
    else if (t === ')') depth = Math.max(0, depth - 1);
    if (t.startsWith('[')) {
      if (/^\[\s*-\s*\]$|^\[\s*\d+\s*-\s*\]$/.test(t)) unbounded = true;
      run = 0;
    } else if (depth === 0 && /^[0-9A-Fa-f]{2}$/.test(t)) {
      run++;
      longest = Math.max(longest, run);
    } else {
      run = 0;
    }
  }
  return { longestRun: longest, unboundedJump: unbounded };
}

/** Longest run of literal characters in a regexp, and whether it repeats "anything" without bound. */
export function regexShape(literal: string): { longestRun: number; unbounded: boolean } {
  const body = literal.replace(/^\//, '').replace(/\/[is]*$/, '');
  let longest = 0;
  let run = 0;
  let unbounded = false;
  let prevWasAny = false;
  let prevWasLiteral = false;
  // A run is committed once the next character shows the last item is not quantified; a quantifier ends the run,
  // keeping the item only if it must occur at least once.
  const commit = (n: number): void => {
    longest = Math.max(longest, n);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let atLeastOnce = c === '+';
      let open = c === '*' || c === '+';
      if (c === '{') {
        const close = body.indexOf('}', i);
        const q = close < 0 ? '' : body.slice(i + 1, close);
        atLeastOnce = /^[1-9]/.test(q);
        open = /^\d*,$/.test(q);
        i = close < 0 ? body.length : close;
      }
      if (open && prevWasAny) unbounded = true;
      if (prevWasLiteral) commit(atLeastOnce ? run : run - 1);
      if (body[i + 1] === '?') i++; // lazy quantifier
      run = 0;
      prevWasAny = prevWasLiteral = false;
      continue;
    }
    let isLiteral = false;
    let isAny = false;
    if (c === '\\') {
      const e = body[i + 1] ?? '';
      i++;
      isAny = e !== '' && 'SWDswd'.includes(e);
      isLiteral = !isAny && !/[bBnrtfvx0-9]/.test(e);
      if (e === 'x') i += 2;
    } else if (c === '[') {
      const close = body.indexOf(']', i + 2);
      isAny = body[i + 1] === '^';
      i = close < 0 ? body.length : close;
    } else if (c === '.') {
      isAny = true;
    } else {
      isLiteral = !'()|^$'.includes(c);
    }
    if (prevWasLiteral && !isLiteral) commit(run);
    if (isLiteral) run++;
    else run = 0;
    prevWasAny = isAny;
    prevWasLiteral = isLiteral;
  }
  if (prevWasLiteral) commit(run);
  return { longestRun: longest, unbounded };
}

function lintPattern(rule: RuleBlock, p: PatternInfo, path: string): PackDiagnostic[] {
  const warn = (code: string, message: string): PackDiagnostic => ({
    path,
    line: p.line,
    severity: 'warning',
    code,
    message: `rule ${rule.name}: ${p.id} ${message}`,
    rule: rule.name,
  });
  const out: PackDiagnostic[] = [];
  if (p.kind === 'text') {
    if (p.modifiers.some((m) => m.startsWith('base64'))) return out;
    const n = decodeStringLiteral(p.literal).length;
    if (n < MIN_TEXT_ATOM) out.push(warn('short-atom', `is ${n} byte${n === 1 ? '' : 's'} long; patterns under ${MIN_TEXT_ATOM} bytes slow every scan`));
  } else if (p.kind === 'hex') {
    const s = hexShape(p.literal);
    if (s.longestRun < MIN_HEX_ATOM) out.push(warn('short-atom', `has no run of ${MIN_HEX_ATOM} fixed bytes to search for`));
    if (s.unboundedJump) out.push(warn('unbounded-jump', 'has an unbounded jump ([-] or [n-])'));
  } else {
    const s = regexShape(p.literal);
    if (s.longestRun < MIN_REGEX_ATOM) out.push(warn('short-atom', `has no run of ${MIN_REGEX_ATOM} literal characters to search for`));
    if (s.unbounded) out.push(warn('unbounded-regex', 'repeats any character without bound (.*, .+, .{n,})'));
  }
  return out;
}

/** Slow patterns and loops of one rule. */
export function lintPerformance(rule: RuleBlock, path: string): PackDiagnostic[] {
  const out = rule.patterns.flatMap((p) => lintPattern(rule, p, path));
  const loop = /\(\s*[^()]*\.\.\s*filesize\s*\)/.exec(rule.condition);
  if (loop) {
    out.push({
      path,
      line: rule.conditionLine + (rule.condition.slice(0, loop.index).match(/\n/g)?.length ?? 0),
      severity: 'warning',
      code: 'filesize-loop',
      message: `rule ${rule.name}: a loop runs over every offset up to filesize`,
      rule: rule.name,
    });
  }
  return out;
}
