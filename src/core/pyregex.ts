// Translates the Python `re` syntax of Loki IOC lists into JavaScript RegExp, or says what cannot be translated.
//
// Hand-written: no library converts between the two dialects. Most Loki patterns are valid JS as they stand; what
// differs is inline flags (`(?i)` at the front, 26 times in signature-base's filename-iocs.txt), `(?P<name>...)`,
// `(?P=name)`, `(?#...)`, `\A`, `\Z`, `\a`, `{,n}` and verbose mode. Scoped flags `(?i:...)`, atomic groups and
// conditionals have no JS (Node 20) form and are reported instead of being guessed at.

/** A pattern JS cannot express, with the reason in words for the list's warning line. */
export class RegexTranslationError extends Error {
  override name = 'RegexTranslationError';
}

export interface JsRegex {
  source: string;
  flags: string;
}

/** Longest pattern translated; Loki's longest is a few hundred characters. */
export const MAX_PATTERN_LENGTH = 8192;

const GLOBAL_FLAGS = /^\(\?([aiLmsux]+)\)/;

/** Drops whitespace and `#` comments outside classes, as Python's verbose mode reads them. */
function stripVerbose(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += `\\${p[++i]}`;
    } else if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

function addFlags(letters: string, flags: Set<string>): void {
  for (const f of letters) {
    if (f === 'i' || f === 'm' || f === 's') flags.add(f);
    else if (f === 'x') flags.add('x');
    else if (f === 'L') throw new RegexTranslationError('locale-dependent matching (?L) has no JavaScript form');
    // `a` (ASCII classes) is what JS does already; `u` is Python 3's default.
  }
}

/** The JS source and flags for a Python pattern. Throws RegexTranslationError naming the construct JS lacks. */
export function translatePythonRegex(pattern: string): JsRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new RegexTranslationError(`longer than ${MAX_PATTERN_LENGTH} characters`);
  const flags = new Set<string>();
  let p = pattern;
  for (let m = GLOBAL_FLAGS.exec(p); m; m = GLOBAL_FLAGS.exec(p)) {
    addFlags(m[1]!, flags);
    p = p.slice(m[0].length);
  }
  // Python before 3.11 also applied flags written later in the pattern to the whole of it; find those first.
  for (const m of p.matchAll(/(?<!\\)\(\?([aiLmsux]+)\)/g)) addFlags(m[1]!, flags);
  if (flags.has('x')) p = stripVerbose(p);
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const e = p[i + 1];
      i++;
      if (e === undefined) throw new RegexTranslationError('pattern ends with a lone backslash');
      if (!inClass && e === 'A') out += '^';
      else if (!inClass && e === 'Z') out += '$';
      else if (e === 'a') out += '\\x07';
      else if (e === 'N') throw new RegexTranslationError('named Unicode escapes \\N{...} have no JavaScript form');
      else if (e === 'U') {
        const hex = p.slice(i + 1, i + 9);
        if (!/^[0-9a-fA-F]{8}$/.test(hex) || Number.parseInt(hex, 16) > 0xffff) {
          throw new RegexTranslationError(`\\U${hex} is outside what a non-Unicode JavaScript regex can hold`);
        }
        out += `\\u${hex.slice(4)}`;
        i += 8;
      } else out += `\\${e}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      // Python takes a `]` right after `[` or `[^` as a literal; JS would end the class there.
      if (p[i + 1] === ']') out += `\\${p[++i]}`;
      continue;
    }
    if (c === '{' && p[i + 1] === ',') {
      const m = /^\{,(\d+)\}/.exec(p.slice(i));
      if (m) {
        out += `{0,${m[1]}}`;
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === '(' && p[i + 1] === '?') {
      const rest = p.slice(i + 2);
      let m: RegExpExecArray | null;
      if ((m = /^P<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest))) {
        out += `(?<${m[1]}>`;
        i += 1 + m[0].length;
        continue;
      }
      if ((m = /^P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest))) {
        out += `\\k<${m[1]}>`;
        i += 1 + m[0].length;
        continue;
      }
      if (rest.startsWith('#')) {
        const end = p.indexOf(')', i);
        if (end < 0) throw new RegexTranslationError('unterminated (?#...) comment');
        i = end;
        continue;
      }
      if ((m = /^[aiLmsux]+\)/.exec(rest))) {
        i += 1 + m[0].length; // already applied as a global flag
        continue;
      }
      if (/^-?[aiLmsux-]+:/.test(rest)) throw new RegexTranslationError('scoped inline flags (?i:...) have no JavaScript form in Node 20');
      if (rest.startsWith('>')) throw new RegexTranslationError('atomic groups (?>...) have no JavaScript form');
      if (rest.startsWith('(')) throw new RegexTranslationError('conditional groups (?(...)...) have no JavaScript form');
    }
    out += c;
  }
  const jsFlags = ['i', 'm', 's'].filter((f) => flags.has(f)).join('');
  try {
    new RegExp(out, jsFlags);
  } catch (e) {
    throw new RegexTranslationError(`not a valid regex: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { source: out, flags: jsFlags };
}

/** The compiled RegExp for a Python pattern (see translatePythonRegex). */
export function compilePythonRegex(pattern: string): RegExp {
  const t = translatePythonRegex(pattern);
  return new RegExp(t.source, t.flags);
}
