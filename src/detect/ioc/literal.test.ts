// The path-regex prefilter: the literal it requires is in every match, and filtering never changes the hits.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { ANCHORS_DIR } from '../../../test/helpers/paths.js';
import { requiredLiteral } from './literal.js';
import { loadIocLists } from './parse.js';
import { compilePathRegex, createIocSet, windowsPath } from './set.js';

describe('requiredLiteral', () => {
  it('takes the longest run every match must contain', () => {
    const cases: [string, string | undefined][] = [
      ['\\\\Windows\\\\System32\\\\icsvnt32\\.dll', '\\windows\\system32\\icsvnt32.dll'],
      ['x[abc]yyyy', 'yyyy'],
      ['abcd+e', 'abcd'],
      ['ab?cde', 'cde'],
      ['abc{2}de', 'abc'],
      ['zzabc{0,2}', 'zzab'],
      ['(abc)defg', 'defg'],
      ['\\d\\d\\dxyz', 'xyz'],
      ['foo|barbaz', undefined],
      ['(?:a|b)cdef', 'cdef'],
      ['^evil\\.exe$', 'evil.exe'],
      ['a.b.c', undefined],
      ['\\{12CD-AB\\}', '{12cd-ab}'],
    ];
    for (const [src, want] of cases) assert.equal(requiredLiteral(src), want, src);
  });

  it('every string a regex matches contains its literal (property)', () => {
    const atom = fc.constantFrom('a', 'b', 'c', 'ab', '\\.', '.', '[ab]', '(a|c)', '\\d', 'A', '(?:bc)');
    const quant = fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{0,2}', '{1,3}', '+?');
    const regex = fc.array(fc.tuple(atom, quant), { minLength: 1, maxLength: 8 }).map((p) => p.map(([a, q]) => a + q).join(''));
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'A', 'B', '.', '1', 'x'), { maxLength: 24 }).map((a) => a.join(''));
    fc.assert(
      fc.property(regex, fc.array(text, { minLength: 1, maxLength: 10 }), fc.boolean(), (src, texts, ci) => {
        const lit = requiredLiteral(src);
        if (lit === undefined) return;
        const re = new RegExp(src, ci ? 'i' : '');
        for (const t of texts) if (re.test(t)) assert.ok(t.toLowerCase().includes(lit), `${src} matched ${t} without ${lit}`);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });

  it('on the real filename-iocs.txt, the prefiltered set finds exactly what running every regex finds', async () => {
    const [list] = await loadIocLists([join(ANCHORS_DIR, 'signature-base', 'iocs', 'filename-iocs.txt')]);
    const set = createIocSet([list!]);
    const regexes = list!.indicators.map((i) => ({
      line: i.line,
      re: compilePathRegex(i.value),
      fp: i.falsePositive ? compilePathRegex(i.falsePositive) : undefined,
    }));
    // Paths that hold each pattern's fixed text (every 12th pattern), so many regexes are candidates and some hit.
    const paths: string[] = [];
    list!.indicators.forEach((ind, k) => {
      if (k % 12 !== 0) return;
      const lit = requiredLiteral(compilePathRegex(ind.value).source) ?? 'x';
      paths.push(`/cases/h1/Users/a/AppData/Local/Temp${lit.startsWith('\\') ? '' : '/'}${lit}`);
      paths.push(`C:\\Windows\\System32${lit.startsWith('\\') ? '' : '\\'}${lit.toUpperCase()}`);
    });
    let hits = 0;
    for (const p of paths) {
      const w = windowsPath(p);
      const want = regexes.filter((r) => r.re.test(w) && !r.fp?.test(w)).map((r) => r.line);
      const got = set.match({ path: p, md5: '', sha1: '', sha256: '' }).map((h) => h.line);
      assert.deepEqual(got, want, p);
      hits += got.length;
    }
    assert.ok(hits > paths.length / 4, `only ${hits} hits over ${paths.length} paths: the test is not exercising matches`);
  });
});
