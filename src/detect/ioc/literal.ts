// Finds the text every match of a regex must contain, so thousands of path regexes need not all run on each path.
//
// signature-base's filename-iocs.txt has 3,828 path regexes; running each on every file's path costs about
// 0.4 ms a file. Almost every one of them names a fixed piece (`icsvnt32.dll`, `\mimikatz`), so one pass of an
// automaton over the path finds the few regexes worth running.

/** Shortest required text worth filtering on. */
export const MIN_LITERAL = 3;

const CLASS_ESCAPES = new Set('dDwWsSbBnrtfv0123456789xucfk');

/** Index just past the class that opens at `i` (`s[i] === '['`). */
function skipClass(s: string, i: number): number {
  let j = i + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++;
  for (; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === ']') return j + 1;
  }
  return s.length;
}

/** Index just past the group that opens at `i` (`s[i] === '('`), or -1 when it never closes. */
function skipGroup(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(s, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/**
 * The longest run of plain characters outside groups and classes that every match of a JS regex `source` must
 * contain, in lower case, or undefined when there is none of MIN_LITERAL characters (or a top-level `|` makes
 * any piece optional). Only ASCII is kept, so a case-insensitive search for it is never stricter than the regex.
 */
export function requiredLiteral(source: string): string | undefined {
  let best = '';
  let run = '';
  const end = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '|') return undefined;
    if (c === '\\') {
      const e = source[i + 1];
      i++;
      if (e === undefined || CLASS_ESCAPES.has(e) || e.charCodeAt(0) > 0x7f) end();
      else run += e.toLowerCase();
      continue;
    }
    if (c === '[') {
      end();
      i = skipClass(source, i) - 1;
      continue;
    }
    if (c === '(') {
      end();
      const j = skipGroup(source, i);
      if (j < 0) return undefined;
      i = j - 1;
      continue;
    }
    const q = c === '{' ? /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i)) : null;
    if (c === '?' || c === '*' || (q && Number(q[1]) === 0)) {
      // The character before is optional: it cannot be part of a required run.
      run = run.slice(0, -1);
      end();
      if (q) i += q[0].length - 1;
      else if (source[i + 1] === '?') i++;
      continue;
    }
    if (c === '+' || q) {
      end();
      if (q) i += q[0].length - 1;
      if (source[i + 1] === '?') i++;
      continue;
    }
    if (c === '.' || c === '^' || c === '$' || c === ')' || c.charCodeAt(0) > 0x7f) {
      end();
      continue;
    }
    run += c.toLowerCase();
  }
  end();
  return best.length >= MIN_LITERAL ? best : undefined;
}
