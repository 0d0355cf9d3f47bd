// Python-to-JS regex translation never fails with anything but RegexTranslationError, and keeps plain patterns.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RegexTranslationError, translatePythonRegex } from './pyregex.js';

describe('translatePythonRegex', () => {
  it('leaves patterns both dialects read alike as they are', () => {
    for (const p of ['\\\\Windows\\\\System32\\\\[a-z]{3,8}\\.dll$', '(a|b)+?c', '[^\\\\/"]{1,64}', '(?<=x)y(?!z)']) {
      assert.deepEqual(translatePythonRegex(p), { source: p, flags: '' });
    }
  });

  it('maps flags, and refuses what Node 20 cannot express', () => {
    assert.equal(translatePythonRegex('(?ims)x').flags, 'ims');
    assert.equal(translatePythonRegex('a(?i)b').flags, 'i', 'a later global flag applies to the whole pattern, as in Python < 3.11');
    assert.equal(translatePythonRegex('\\a\\U00000041').source, '\\x07\\u0041');
    for (const bad of ['(?L)x', '(?i:x)', '(?>x)', '(?(1)a|b)', '\\N{DASH}', '\\U0001F600', 'a**', 'x\\']) {
      assert.throws(() => translatePythonRegex(bad), RegexTranslationError, bad);
    }
  });

  it('never throws anything but RegexTranslationError, and what it returns compiles', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom('(?i)', '(?P<n>', '(?P=n)', '(?#c)', '\\A', '\\Z', '{,3}', '[', ']', '(', ')', '\\', '(?x)', '#', ' ', '\n'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        try {
          const t = translatePythonRegex(parts.join(''));
          new RegExp(t.source, t.flags);
        } catch (e) {
          if (!(e instanceof RegexTranslationError)) throw e;
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
  });
});
