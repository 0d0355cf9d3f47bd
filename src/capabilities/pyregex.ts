// Translates the Python regular expressions capa rules are written in (`/pattern/i`) into JavaScript RegExps.

/**
 * capa compiles rule regexes with Python's `re` and DOTALL, and searches anywhere in the string. JavaScript's
 * syntax is close; the differences that occur in rules are named groups `(?P<n>...)`, backreferences `(?P=n)`,
 * `\A`/`\Z`, and leading inline flags `(?i)`/`(?s)`. Anything JavaScript still rejects throws, and the rule is
 * reported as not loaded with the reason.
 */
export function compilePythonRegex(source: string, ignoreCase: boolean): RegExp {
  let flags = 's';
  if (ignoreCase) flags += 'i';
  let pattern = source;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(pattern);
  if (inline) {
    for (const f of inline[1]!) {
      if (f === 'i' && !flags.includes('i')) flags += 'i';
      else if (f === 'm' && !flags.includes('m')) flags += 'm';
      else if (f === 'x') throw new Error('verbose regular expressions (?x) are not supported');
    }
    pattern = pattern.slice(inline[0].length);
  }
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[i + 1]!;
      if (n === 'A') out += '^';
      else if (n === 'Z') out += '$';
      else out += c + n;
      i++;
      continue;
    }
    if (c === '(' && pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && pattern.startsWith('(?P=', i)) {
      const end = pattern.indexOf(')', i);
      if (end < 0) throw new Error('unterminated (?P= backreference');
      out += `\\k<${pattern.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    out += c;
  }
  return new RegExp(out, flags);
}
