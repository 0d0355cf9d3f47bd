// A light reader of YARA source that finds each rule's name, line, modifiers, tags and meta, without compiling.
//
// Hand-written because no npm library parses YARA; the engines compile rules but do not list them. Firebreak needs
// the list to count rules, to give every rule its namespace when the native binding compiles many files as one
// (it has no namespaces), and to recover meta values that binding drops (booleans and non-UTF-8 strings).

import type { MetaValue } from '../../core/findings.js';

export interface RuleOutline {
  name: string;
  /** 1-based line of the `rule` keyword. */
  line: number;
  isPrivate: boolean;
  isGlobal: boolean;
  tags: string[];
  meta: [string, MetaValue][];
}

/** Rules read from one source at most; a source with more is not a rule file anyone wrote by hand. */
export const MAX_RULES_PER_SOURCE = 200_000;
/** Meta entries read per rule at most. */
export const MAX_META_PER_RULE = 1000;

type TokenKind = 'ident' | 'string' | 'regex' | 'number' | 'punct' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  line: number;
}

/** Splits YARA source into the tokens the outline needs. Comments are dropped; malformed input never throws. */
class Lexer {
  private pos = 0;
  private line = 1;
  constructor(private readonly src: string) {}

  next(): Token {
    const s = this.src;
    for (;;) {
      if (this.pos >= s.length) return { kind: 'end', text: '', line: this.line };
      const c = s[this.pos]!;
      if (c === '\n') {
        this.line++;
        this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
        this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '/') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        const stop = end < 0 ? s.length : end + 2;
        for (let i = this.pos; i < stop; i++) if (s.charCodeAt(i) === 10) this.line++;
        this.pos = stop;
      } else {
        break;
      }
    }
    const start = this.pos;
    const line = this.line;
    const c = s[start]!;
    if (c === '"' || c === '/') {
      // Strings and regexps end at the next unescaped delimiter on the same line. In YARA `/` only ever opens a
      // regexp outside comments: division is `\`.
      this.pos++;
      while (this.pos < s.length) {
        const d = s[this.pos]!;
        if (d === '\\') this.pos += 2;
        else if (d === '\n') break;
        else if (d === c) {
          this.pos++;
          break;
        } else this.pos++;
      }
      return { kind: c === '"' ? 'string' : 'regex', text: s.slice(start, Math.min(this.pos, s.length)), line };
    }
    if (isIdentStart(c)) {
      this.pos++;
      while (this.pos < s.length && isIdentPart(s[this.pos]!)) this.pos++;
      return { kind: 'ident', text: s.slice(start, this.pos), line };
    }
    if (c >= '0' && c <= '9') {
      this.pos++;
      while (this.pos < s.length && (isIdentPart(s[this.pos]!) || (s[this.pos] === '.' && s[this.pos + 1] !== '.'))) {
        this.pos++;
      }
      return { kind: 'number', text: s.slice(start, this.pos), line };
    }
    this.pos++;
    return { kind: 'punct', text: c, line };
  }
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

/** The bytes a YARA string literal (with its quotes) stands for. */
export function decodeStringLiteral(literal: string): Uint8Array {
  const body = literal.length >= 2 && literal.endsWith('"') ? literal.slice(1, -1) : literal.slice(1);
  const utf8 = new TextEncoder().encode(body);
  const out: number[] = [];
  for (let i = 0; i < utf8.length; i++) {
    const b = utf8[i]!;
    if (b !== 0x5c || i + 1 >= utf8.length) {
      out.push(b);
      continue;
    }
    const e = utf8[++i]!;
    if (e === 0x6e) out.push(0x0a);
    else if (e === 0x74) out.push(0x09);
    else if (e === 0x72) out.push(0x0d);
    else if (e === 0x78 && i + 2 < utf8.length && isHex(utf8[i + 1]!) && isHex(utf8[i + 2]!)) {
      out.push(Number.parseInt(String.fromCharCode(utf8[i + 1]!, utf8[i + 2]!), 16));
      i += 2;
    } else out.push(e);
  }
  return Uint8Array.from(out);
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

/**
 * A meta string as the report carries it: the text when the bytes are UTF-8, otherwise printable ASCII kept and
 * every other byte written `\xHH`, so both engines render the same value.
 */
export function metaText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let s = '';
    for (const b of bytes) {
      s += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    }
    return s;
  }
}

function parseNumber(text: string, negative: boolean): number | undefined {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(text)) v = Number.parseInt(text.slice(2), 16);
  else if (/^0o[0-7]+$/i.test(text)) v = Number.parseInt(text.slice(2), 8);
  else if (/^[0-9]+(\.[0-9]+)?$/.test(text)) v = Number(text);
  else return undefined;
  return negative ? -v : v;
}

/** Reads `key = value` pairs after `meta:` until the next section or the end of the rule. */
function readMeta(lx: Lexer, out: [string, MetaValue][]): Token {
  let t = lx.next();
  for (let n = 0; n < MAX_META_PER_RULE * 4 && t.kind !== 'end'; n++) {
    if (t.kind === 'punct' && t.text === '}') return t;
    if (t.kind !== 'ident') return t;
    const key = t;
    const eq = lx.next();
    if (eq.kind === 'punct' && eq.text === ':') return key; // next section (strings:, condition:)
    if (!(eq.kind === 'punct' && eq.text === '=')) return eq;
    let v = lx.next();
    let negative = false;
    if (v.kind === 'punct' && v.text === '-') {
      negative = true;
      v = lx.next();
    }
    let value: MetaValue | undefined;
    if (v.kind === 'string') value = metaText(decodeStringLiteral(v.text));
    else if (v.kind === 'number') value = parseNumber(v.text, negative);
    else if (v.kind === 'ident' && (v.text === 'true' || v.text === 'false')) value = v.text === 'true';
    if (value !== undefined && out.length < MAX_META_PER_RULE) out.push([key.text, value]);
    t = lx.next();
  }
  return t;
}

/** Every rule declared in `source`, in order. Tolerates malformed source: it reads what it can. */
export function outlineRules(source: string): RuleOutline[] {
  const lx = new Lexer(source);
  const rules: RuleOutline[] = [];
  let isPrivate = false;
  let isGlobal = false;
  let t = lx.next();
  while (t.kind !== 'end' && rules.length < MAX_RULES_PER_SOURCE) {
    if (t.kind === 'ident' && (t.text === 'import' || t.text === 'include')) {
      lx.next();
      t = lx.next();
      continue;
    }
    if (t.kind === 'ident' && t.text === 'private') {
      isPrivate = true;
      t = lx.next();
      continue;
    }
    if (t.kind === 'ident' && t.text === 'global') {
      isGlobal = true;
      t = lx.next();
      continue;
    }
    if (!(t.kind === 'ident' && t.text === 'rule')) {
      isPrivate = isGlobal = false;
      t = lx.next();
      continue;
    }
    const line = t.line;
    const name = lx.next();
    if (name.kind !== 'ident') {
      isPrivate = isGlobal = false;
      t = name;
      continue;
    }
    const rule: RuleOutline = { name: name.text, line, isPrivate, isGlobal, tags: [], meta: [] };
    isPrivate = isGlobal = false;
    rules.push(rule);
    t = lx.next();
    if (t.kind === 'punct' && t.text === ':') {
      t = lx.next();
      while (t.kind === 'ident') {
        rule.tags.push(t.text);
        t = lx.next();
      }
    }
    if (!(t.kind === 'punct' && t.text === '{')) continue;
    // The body: skip to the matching brace (hex strings nest one level), reading the meta section on the way.
    let depth = 1;
    t = lx.next();
    while (t.kind !== 'end' && depth > 0) {
      if (depth === 1 && t.kind === 'ident' && t.text === 'meta') {
        const colon = lx.next();
        t = colon.kind === 'punct' && colon.text === ':' ? readMeta(lx, rule.meta) : colon;
        continue;
      }
      if (t.kind === 'punct' && t.text === '{') depth++;
      else if (t.kind === 'punct' && t.text === '}') depth--;
      t = lx.next();
    }
  }
  return rules;
}
