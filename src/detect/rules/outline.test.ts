// The rule outline: names, lines, modifiers, tags and meta read from YARA source without compiling it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ANCHORS_DIR, SHARED_DIR } from '../../../test/helpers/paths.js';
import { decodeStringLiteral, metaText, outlineRules, MAX_RULES_PER_SOURCE } from './outline.js';

const TRICKY = `import "pe"
/* rule commented_out { condition: true } */
// rule also_commented { condition: true }
private global rule first : t1 T_2 {
  meta:
    s = "brace { and \\" quote and // not a comment"
    n = -42
    h = 0x1F
    b = false
    f = 2.5
  strings:
    $a = "}{"
    $re = /a{2}\\/}[}]/ nocase
    $h = { 4D 5A // comment } inside hex
           [2-4] ( 00 | FF ) }
  condition:
    $a and $re and $h and filesize \\ 2 > 1
}

rule
  second { condition: true }
rule third:x{condition:false}
`;

describe('outlineRules', () => {
  it('reads rule names, lines, modifiers, tags and meta past comments, strings, regexes and hex strings', () => {
    const rules = outlineRules(TRICKY);
    assert.deepEqual(
      rules.map((r) => [r.name, r.line, r.isPrivate, r.isGlobal, r.tags]),
      [
        ['first', 4, true, true, ['t1', 'T_2']],
        ['second', 20, false, false, []],
        ['third', 22, false, false, ['x']],
      ],
    );
    assert.deepEqual(rules[0]!.meta, [
      ['s', 'brace { and " quote and // not a comment'],
      ['n', -42],
      ['h', 31],
      ['b', false],
      ['f', 2.5],
    ]);
  });

  it('finds every rule of bench.yar, one a line there', () => {
    const text = readFileSync(join(SHARED_DIR, 'corpus', 'bench.yar'), 'utf8');
    const byLine = [...text.matchAll(/^rule\s+(\w+)/gm)].map((m) => m[1]);
    assert.deepEqual(outlineRules(text).map((r) => r.name), byLine);
  });

  it('finds signature-base rules outside comments: line-start declarations, minus those in comment blocks', () => {
    const dir = join(ANCHORS_DIR, 'signature-base', 'yara');
    let total = 0;
    for (const f of readdirSync(dir).sort()) {
      const text = readFileSync(join(dir, f), 'utf8');
      const outlined = outlineRules(text);
      // Strings and comments taken in one left-to-right pass, so `"*/*"` or `"https://..."` is not a comment.
      const stripped = text.replace(/"(?:[^"\\\n]|\\.)*"|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) =>
        c.startsWith('"') ? '""' : c.replace(/[^\n]/g, ' '),
      );
      const declared = [...stripped.matchAll(/^\s*(?:(?:private|global)\s+)*rule\s+(\w+)/gm)].map((m) => m[1]);
      assert.deepEqual(outlined.map((r) => r.name), declared, f);
      total += outlined.length;
    }
    assert.ok(total > 5000, `${total} rules`);
  });

  it('decodes string escapes and renders non-UTF-8 meta bytes the same way for both engines', () => {
    assert.deepEqual([...decodeStringLiteral('"a\\x41\\n\\t\\\\\\"z"')], [0x61, 0x41, 0x0a, 0x09, 0x5c, 0x22, 0x7a]);
    assert.equal(metaText(Uint8Array.from([0x61, 0xff, 0x00, 0x5c])), 'a\\xff\\x00\\x5c');
    assert.equal(metaText(Uint8Array.from(Buffer.from('naïve'))), 'naïve');
  });

  it('never throws and stays bounded on mutated real rule text', () => {
    const seeds = [TRICKY, readFileSync(join(SHARED_DIR, 'corpus', 'bench.yar'), 'utf8').slice(0, 3000)];
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 8 }), ins: fc.string({ maxLength: 8 }) });
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(edit, { maxLength: 12 }), (seed, edits) => {
        let t = seed;
        for (const e of edits) {
          const at = e.at % (t.length + 1);
          t = t.slice(0, at) + e.ins + t.slice(at + e.del);
        }
        const rules = outlineRules(t);
        assert.ok(rules.length <= MAX_RULES_PER_SOURCE);
        for (const r of rules) assert.ok(r.line >= 1 && r.name.length > 0);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
  });
});
