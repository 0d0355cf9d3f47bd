// Reads YARA source into rule blocks with their text spans, meta lines, patterns and condition identifiers.
//
// Hand-written because no npm library parses YARA. detect/rules/outline.ts lists rules and meta for the engines;
// `rules check|test|profile` need more: where each rule's text starts and ends (to compile a rule alone), every
// pattern with its line and modifiers (to judge slow patterns), and which rules a condition names (to carry them
// along). Malformed source never throws: what can be read is returned, and the engine reports the syntax error.

import type { MetaValue } from '../../core/findings.js';
import { decodeStringLiteral, metaText } from '../rules/outline.js';

/** Tokens read from one source at most, so a hostile file cannot keep the reader busy forever. */
export const MAX_TOKENS_PER_SOURCE = 5_000_000;
/** Rules read from one source at most. */
export const MAX_RULES_PER_SOURCE = 200_000;

export type PatternKind = 'text' | 'hex' | 'regex';

export interface PatternInfo {
  /** `$name`, or `$` for an anonymous pattern. */
  id: string;
  line: number;
  kind: PatternKind;
  /** The literal as written, delimiters included: `"abc"`, `{ 41 42 }`, `/ab+c/i`. */
  literal: string;
  /** Modifier names in order: `ascii`, `wide`, `nocase`, `fullword`, `xor`, `base64`... */
  modifiers: string[];
}

export interface MetaEntry {
  key: string;
  value: MetaValue;
  line: number;
}

export interface RuleBlock {
  name: string;
  /** 1-based line of the `rule` keyword. */
  line: number;
  /** Offsets of the rule's text in the source: from its first modifier (`private`, `global`) to its closing brace. */
  start: number;
  end: number;
  isPrivate: boolean;
  isGlobal: boolean;
  tags: string[];
  meta: MetaEntry[];
  patterns: PatternInfo[];
  /** The condition as written (trimmed), and the line its text starts on. */
  condition: string;
  conditionLine: number;
  /** Every identifier the condition uses (rule names among them). */
  identifiers: Set<string>;
}

export interface SourceOutline {
  /** The `import "x"` and `include "y"` lines, verbatim, to prefix a rule compiled alone. */
  preamble: string[];
  rules: RuleBlock[];
}

type Kind = 'ident' | 'string' | 'regex' | 'hex' | 'number' | 'punct' | 'end';

interface Token {
  kind: Kind;
  text: string;
  line: number;
  start: number;
  end: number;
}

class Lexer {
  pos = 0;
  line = 1;
  count = 0;
  constructor(private readonly src: string) {}

  private skipBlank(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 10) {
        this.line++;
        this.pos++;
      } else if (c === 32 || c === 9 || c === 13 || c === 11 || c === 12) {
        this.pos++;
      } else if (c === 47 && s.charCodeAt(this.pos + 1) === 47) {
        while (this.pos < s.length && s.charCodeAt(this.pos) !== 10) this.pos++;
      } else if (c === 47 && s.charCodeAt(this.pos + 1) === 42) {
        const close = s.indexOf('*/', this.pos + 2);
        const stop = close < 0 ? s.length : close + 2;
        this.countLines(this.pos, stop);
        this.pos = stop;
      } else return;
    }
  }

  private countLines(from: number, to: number): void {
    for (let i = from; i < to; i++) if (this.src.charCodeAt(i) === 10) this.line++;
  }

  /** The next token; `hexAllowed` reads `{ ... }` as one hex-pattern token (right after `$x =`). */
  next(hexAllowed = false): Token {
    this.skipBlank();
    const s = this.src;
    const line = this.line;
    const start = this.pos;
    if (++this.count > MAX_TOKENS_PER_SOURCE || start >= s.length) return { kind: 'end', text: '', line, start, end: start };
    const c = s[start]!;
    if (hexAllowed && c === '{') {
      const close = s.indexOf('}', start + 1);
      const stop = close < 0 ? s.length : close + 1;
      this.countLines(start, stop);
      this.pos = stop;
      return { kind: 'hex', text: s.slice(start, stop), line, start, end: stop };
    }
    if (c === '"' || c === '/') {
      let i = start + 1;
      while (i < s.length) {
        const d = s[i]!;
        if (d === '\\') i += 2;
        else if (d === '\n') break;
        else if (d === c) {
          i++;
          break;
        } else i++;
      }
      if (c === '/') while (i < s.length && /[is]/.test(s[i]!)) i++; // regexp flags
      this.pos = Math.min(i, s.length);
      return { kind: c === '"' ? 'string' : 'regex', text: s.slice(start, this.pos), line, start, end: this.pos };
    }
    if (/[A-Za-z_$#@!]/.test(c)) {
      let i = start + 1;
      while (i < s.length && /[A-Za-z0-9_*]/.test(s[i]!)) i++;
      this.pos = i;
      return { kind: 'ident', text: s.slice(start, i), line, start, end: i };
    }
    if (c >= '0' && c <= '9') {
      let i = start + 1;
      while (i < s.length && (/[A-Za-z0-9_]/.test(s[i]!) || (s[i] === '.' && s[i + 1] !== '.'))) i++;
      this.pos = i;
      return { kind: 'number', text: s.slice(start, i), line, start, end: i };
    }
    this.pos = start + 1;
    return { kind: 'punct', text: c, line, start, end: start + 1 };
  }
}

const is = (t: Token, kind: Kind, text?: string): boolean => t.kind === kind && (text === undefined || t.text === text);

function metaValue(tokens: Token[]): MetaValue | undefined {
  const [a, b] = tokens;
  if (!a) return undefined;
  if (a.kind === 'string') return metaText(decodeStringLiteral(a.text));
  if (a.kind === 'ident' && (a.text === 'true' || a.text === 'false')) return a.text === 'true';
  const negative = is(a, 'punct', '-');
  const num = negative ? b : a;
  if (!num || num.kind !== 'number') return undefined;
  const v = /^0x/i.test(num.text) ? Number.parseInt(num.text.slice(2), 16) : Number(num.text.replace(/(KB|MB)$/i, ''));
  return Number.isNaN(v) ? undefined : negative ? -v : v;
}

/** Reads one rule's body after its `{`; returns at the closing brace (or the end). */
function readBody(lx: Lexer, src: string, rule: RuleBlock): void {
  let section = 'none' as 'none' | 'meta' | 'strings' | 'condition';
  let t = lx.next();
  let conditionStart = -1;
  while (t.kind !== 'end') {
    if (is(t, 'punct', '}')) {
      if (conditionStart >= 0) rule.condition = src.slice(conditionStart, t.start).trim();
      rule.end = t.end;
      return;
    }
    if (t.kind === 'ident' && (t.text === 'meta' || t.text === 'strings' || t.text === 'condition')) {
      const save = { pos: lx.pos, line: lx.line };
      const colon = lx.next();
      if (is(colon, 'punct', ':')) {
        section = t.text as typeof section;
        t = lx.next();
        if (section === 'condition') {
          conditionStart = colon.end;
          rule.conditionLine = t.line;
        }
        continue;
      }
      lx.pos = save.pos;
      lx.line = save.line;
    }
    if (section === 'meta' && t.kind === 'ident') {
      const eq = lx.next();
      if (!is(eq, 'punct', '=')) {
        t = eq;
        continue;
      }
      const first = lx.next();
      const valueTokens = [first];
      if (is(first, 'punct', '-')) valueTokens.push(lx.next());
      const value = metaValue(valueTokens);
      if (value !== undefined) rule.meta.push({ key: t.text, value, line: t.line });
      t = lx.next();
      continue;
    }
    if (section === 'strings' && t.kind === 'ident' && t.text.startsWith('$')) {
      const eq = lx.next();
      if (!is(eq, 'punct', '=')) {
        t = eq;
        continue;
      }
      const lit = lx.next(true);
      const kind: PatternKind = lit.kind === 'hex' ? 'hex' : lit.kind === 'regex' ? 'regex' : 'text';
      const pattern: PatternInfo = { id: t.text, line: t.line, kind, literal: lit.text, modifiers: [] };
      rule.patterns.push(pattern);
      t = lx.next();
      // Modifiers, with optional arguments: xor(1-255), base64("alphabet").
      while (t.kind === 'ident' && !t.text.startsWith('$') && t.text !== 'condition' && t.text !== 'meta') {
        pattern.modifiers.push(t.text);
        t = lx.next();
        if (is(t, 'punct', '(')) {
          for (let depth = 1, n = 0; depth > 0 && t.kind !== 'end' && n < 10_000; n++) {
            t = lx.next();
            if (is(t, 'punct', '(')) depth++;
            else if (is(t, 'punct', ')')) depth--;
          }
          t = lx.next();
        }
      }
      continue;
    }
    if (section === 'condition' && t.kind === 'ident') rule.identifiers.add(t.text);
    t = lx.next();
  }
  if (conditionStart >= 0) rule.condition = src.slice(conditionStart).trim();
  rule.end = src.length;
}

/** Every rule in `src`, in order, with the file's import and include lines. Never throws on malformed source. */
export function readRuleSource(src: string): SourceOutline {
  const lx = new Lexer(src);
  const out: SourceOutline = { preamble: [], rules: [] };
  let modifiers: Token[] = [];
  let t = lx.next();
  while (t.kind !== 'end' && out.rules.length < MAX_RULES_PER_SOURCE) {
    if (t.kind === 'ident' && (t.text === 'import' || t.text === 'include')) {
      const arg = lx.next();
      if (arg.kind === 'string') out.preamble.push(`${t.text} ${arg.text}`);
      t = lx.next();
      continue;
    }
    if (t.kind === 'ident' && (t.text === 'private' || t.text === 'global')) {
      modifiers.push(t);
      t = lx.next();
      continue;
    }
    if (!(t.kind === 'ident' && t.text === 'rule')) {
      modifiers = [];
      t = lx.next();
      continue;
    }
    const name = lx.next();
    if (name.kind !== 'ident') {
      modifiers = [];
      t = name;
      continue;
    }
    const rule: RuleBlock = {
      name: name.text,
      line: t.line,
      start: modifiers[0]?.start ?? t.start,
      end: src.length,
      isPrivate: modifiers.some((m) => m.text === 'private'),
      isGlobal: modifiers.some((m) => m.text === 'global'),
      tags: [],
      meta: [],
      patterns: [],
      condition: '',
      conditionLine: t.line,
      identifiers: new Set(),
    };
    modifiers = [];
    out.rules.push(rule);
    t = lx.next();
    if (is(t, 'punct', ':')) {
      t = lx.next();
      while (t.kind === 'ident') {
        rule.tags.push(t.text);
        t = lx.next();
      }
    }
    if (!is(t, 'punct', '{')) continue;
    readBody(lx, src, rule);
    t = lx.next();
  }
  return out;
}

/**
 * The text that compiles `rule` on its own: the file's imports and includes, its global rules, the rules its
 * condition names (transitively, in file order), then the rule itself.
 */
export function standaloneRuleText(src: string, outline: SourceOutline, rule: RuleBlock): string {
  const byName = new Map(outline.rules.map((r) => [r.name, r]));
  const needed = new Set<RuleBlock>([rule]);
  const queue = [rule, ...outline.rules.filter((r) => r.isGlobal)];
  for (const r of outline.rules) if (r.isGlobal) needed.add(r);
  for (let i = 0; i < queue.length && i < MAX_RULES_PER_SOURCE; i++) {
    for (const id of queue[i]!.identifiers) {
      const dep = byName.get(id);
      if (dep && !needed.has(dep)) {
        needed.add(dep);
        queue.push(dep);
      }
    }
  }
  const parts = outline.rules.filter((r) => needed.has(r)).map((r) => src.slice(r.start, r.end));
  return [...outline.preamble, ...parts].join('\n') + '\n';
}
