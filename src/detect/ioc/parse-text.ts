// Parses Firebreak's own IOC text format: `type:VALUE[;score][;description]`, one a line, `#` comment lines.

import { FirebreakError } from '../../core/errors.js';
import type { IocType } from '../../core/findings.js';
import type { Indicator, IocList } from './types.js';
import { checkValue, normalDomain, normalIp } from './values.js';

export const IOC_TYPES: readonly IocType[] = [
  'sha256',
  'sha1',
  'md5',
  'filename',
  'path',
  'string',
  'domain',
  'ip',
  'regkey',
  'regvalue',
];

/** Score of an indicator whose line gives none. */
export const DEFAULT_SCORE = 75;
/** Lines read from one list at most. */
export const MAX_LIST_LINES = 1_000_000;

const LINE = /^\s*([A-Za-z0-9]+)\s*:(.*)$/;
const REGEX_TYPES = new Set<IocType>(['filename', 'path']);

/** Splits on `;` not preceded by a backslash; `\;` stays in the field as written. */
export function splitFields(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ';') {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** The lines of a list with their 1-based numbers; a BOM and CR line ends are dropped. */
export function listLines(text: string, name: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines.length > MAX_LIST_LINES) {
    throw new FirebreakError('E_LIMIT', `IOC list has more than ${MAX_LIST_LINES} lines`, { input: name });
  }
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Whether a line of the Firebreak format is blank or a comment. */
export function isCommentLine(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

function syntax(name: string, line: number, message: string): FirebreakError {
  return new FirebreakError('E_IOC_SYNTAX', message, { input: name, line });
}

/**
 * Reads a list in the Firebreak format. A bad line is an error (E_IOC_SYNTAX naming the list and line): these
 * are lists a responder writes, and a typo that silently drops an indicator would be worse than stopping.
 */
export function parseFirebreakList(text: string, name: string): IocList {
  const indicators: Indicator[] = [];
  const lines = listLines(text, name);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (isCommentLine(raw)) continue;
    const lineNo = i + 1;
    const m = LINE.exec(raw);
    const type = m?.[1]!.toLowerCase() as IocType | undefined;
    if (!m || !type || !IOC_TYPES.includes(type)) {
      throw syntax(name, lineNo, `expected TYPE:VALUE with TYPE one of ${IOC_TYPES.join(', ')}`);
    }
    const [rawValue, ...rest] = splitFields(m[2]!);
    let value = rawValue!.trim();
    if (!REGEX_TYPES.has(type) && type !== 'string' && type !== 'regvalue') value = value.replace(/\\;/g, ';');
    if (value === '') throw syntax(name, lineNo, `empty ${type} indicator`);
    const problem = checkValue(type, type === 'string' ? decodeStringIndicator(value).text : value);
    if (problem) throw syntax(name, lineNo, `${type}:${value}: ${problem}`);
    if (type === 'md5' || type === 'sha1' || type === 'sha256') value = value.toLowerCase();
    if (type === 'domain') value = normalDomain(value)!;
    if (type === 'ip') value = normalIp(value)!;
    let score = DEFAULT_SCORE;
    let descriptionFields = rest;
    if (rest.length > 0 && /^\s*-?\d+\s*$/.test(rest[0]!)) {
      score = Number(rest[0]);
      if (score < 0 || score > 100) throw syntax(name, lineNo, `score ${score} is outside 0..100`);
      descriptionFields = rest.slice(1);
    }
    const description = descriptionFields.join(';').replace(/\\;/g, ';').trim();
    const ind: Indicator = { type, value, score, list: name, line: lineNo };
    if (description) ind.description = description;
    indicators.push(ind);
  }
  return { name, format: 'firebreak', indicators, warnings: [] };
}

/**
 * The text and byte forms a `string:` indicator stands for. Escapes: `\;`, `\\`, `\n`, `\r`, `\t`, `\xHH` (a raw
 * byte in the ASCII form, the code unit 00HH in the UTF-16LE form).
 */
export function decodeStringIndicator(value: string): { text: string; ascii: Uint8Array; utf16: Uint8Array } {
  const ascii: number[] = [];
  const utf16: number[] = [];
  let text = '';
  const pushChar = (ch: string): void => {
    text += ch;
    for (const b of Buffer.from(ch, 'utf8')) ascii.push(b);
    for (const b of Buffer.from(ch, 'utf16le')) utf16.push(b);
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '\\' || i + 1 >= value.length) {
      pushChar(c);
      continue;
    }
    const e = value[++i]!;
    if (e === 'n') pushChar('\n');
    else if (e === 'r') pushChar('\r');
    else if (e === 't') pushChar('\t');
    else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      const b = Number.parseInt(value.slice(i + 1, i + 3), 16);
      text += String.fromCharCode(b);
      ascii.push(b);
      utf16.push(b, 0);
      i += 2;
    } else pushChar(e);
  }
  return { text, ascii: Uint8Array.from(ascii), utf16: Uint8Array.from(utf16) };
}
