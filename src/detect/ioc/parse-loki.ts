// Parses Loki/signature-base IOC lists as they are: hash-iocs (`HASH;description`), filename-iocs
// (`REGEX;SCORE[;FALSE-POSITIVE-REGEX]`) and c2-iocs (`DOMAIN-OR-IP[;SCORE]`).
//
// These lists come from elsewhere and carry Python regexes, so a line that cannot be used is left out with a
// one-line warning naming list and line, never an error: one odd line must not cost the other four thousand.

import type { Indicator, IocList, IocWarning } from './types.js';
import { isCommentLine, listLines } from './parse-text.js';
import { translatePythonRegex, RegexTranslationError } from '../../core/pyregex.js';
import { hashTypeOf, normalDomain, normalIp } from './values.js';

/** Loki scores a hash match 100. */
export const LOKI_HASH_SCORE = 100;
/** A C2 address inside a file is weaker evidence than the file's hash; used when the line gives no score. */
export const LOKI_C2_SCORE = 80;
/** Loki's default when a filename line has no usable score. */
export const LOKI_FILENAME_SCORE = 75;

/** Loki gives each entry the text of the last comment line above it as its description. */
function commentText(line: string): string {
  return line.trim().replace(/^#+\s*/, '').trim();
}

/** Calls `visit` for each entry line with its number and the last comment line above it. */
function forEachEntry(text: string, name: string, visit: (raw: string, line: number, lastComment: string) => void): void {
  let lastComment = '';
  listLines(text, name).forEach((raw, i) => {
    if (raw.trim().startsWith('#')) {
      const c = commentText(raw);
      if (c) lastComment = c;
    } else if (!isCommentLine(raw)) visit(raw, i + 1, lastComment);
  });
}

function warn(warnings: IocWarning[], list: string, line: number, message: string): void {
  warnings.push({ list, line, message });
}

export function parseLokiHashList(text: string, name: string): IocList {
  const indicators: Indicator[] = [];
  const warnings: IocWarning[] = [];
  listLines(text, name).forEach((raw, i) => {
    if (isCommentLine(raw)) return;
    const [hash, ...rest] = raw.split(';');
    const h = hash!.trim();
    const type = hashTypeOf(h);
    if (!type) {
      warn(warnings, name, i + 1, `'${h.slice(0, 80)}' is not an MD5, SHA-1 or SHA-256 hash; line left out`);
      return;
    }
    const ind: Indicator = { type, value: h.toLowerCase(), score: LOKI_HASH_SCORE, list: name, line: i + 1 };
    const description = rest.join(';').trim();
    if (description) ind.description = description;
    indicators.push(ind);
  });
  return { name, format: 'loki-hash', indicators, warnings };
}

/**
 * Loki matches these regexes against the whole file path, so they become `path` indicators (matched against the
 * display path with separators normalised to `\`), not `filename` ones.
 */
export function parseLokiFilenameList(text: string, name: string): IocList {
  const indicators: Indicator[] = [];
  const warnings: IocWarning[] = [];
  forEachEntry(text, name, (raw, line, lastComment) => {
    const fields = raw.split(';');
    const regex = fields[0]!;
    let score = LOKI_FILENAME_SCORE;
    if (fields.length >= 2) {
      const s = fields[1]!.trim();
      if (!/^-?\d+$/.test(s)) {
        warn(warnings, name, line, `score '${s.slice(0, 40)}' is not a number; line left out`);
        return;
      }
      score = Number(s);
    }
    const fp = fields.length >= 3 ? fields.slice(2).join(';') : undefined;
    for (const [what, pattern] of [['regex', regex], ['false-positive regex', fp]] as const) {
      if (pattern === undefined) continue;
      try {
        translatePythonRegex(pattern);
      } catch (e) {
        const why = e instanceof RegexTranslationError ? e.message : String(e);
        warn(warnings, name, line, `${what} cannot be used: ${why}; line left out`);
        return;
      }
    }
    const ind: Indicator = { type: 'path', value: regex, score, list: name, line };
    if (lastComment) ind.description = lastComment;
    if (fp !== undefined && fp.trim() !== '') ind.falsePositive = fp;
    indicators.push(ind);
  });
  return { name, format: 'loki-filename', indicators, warnings };
}

export function parseLokiC2List(text: string, name: string): IocList {
  const indicators: Indicator[] = [];
  const warnings: IocWarning[] = [];
  forEachEntry(text, name, (raw, line, lastComment) => {
    const [value, scoreField, ...rest] = raw.split(';');
    const ip = normalIp(value!);
    const domain = ip === undefined ? normalDomain(value!) : undefined;
    if (ip === undefined && domain === undefined) {
      warn(warnings, name, line, `'${value!.trim().slice(0, 80)}' is neither a domain nor an IP address; line left out`);
      return;
    }
    let score = LOKI_C2_SCORE;
    let description = lastComment;
    if (scoreField !== undefined && /^\s*\d+\s*$/.test(scoreField)) score = Math.min(100, Number(scoreField));
    else if (scoreField !== undefined && scoreField.trim()) description = [scoreField, ...rest].join(';').trim();
    const ind: Indicator = ip !== undefined
      ? { type: 'ip', value: ip, score, list: name, line }
      : { type: 'domain', value: domain!, score, list: name, line };
    if (description) ind.description = description;
    indicators.push(ind);
  });
  return { name, format: 'loki-c2', indicators, warnings };
}
