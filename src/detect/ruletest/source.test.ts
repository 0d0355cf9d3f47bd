import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { outlineRules } from '../rules/outline.js';
import { loadEngine } from '../load-engine.js';
import { readRuleSource, standaloneRuleText } from './source.js';
import { ANCHORS_DIR, PROJECT_ROOT } from '../../../test/helpers/paths.js';

const PACK_YARA = join(PROJECT_ROOT, 'rules', 'yara');
/** Fixed mutation count in CI; the long run (FIREBREAK_FUZZ_RUNS=1000000) is done by hand. */
const FUZZ_RUNS = Number(process.env.FIREBREAK_FUZZ_RUNS ?? 2000);

const SAMPLE = `import "pe"
// a comment with rule fake { }
private rule Base { condition: uint16(0) == 0x5A4D }
global rule Small { condition: filesize < 10MB }
rule Other { strings: $ = "zzzz" condition: all of them }
rule Uses : tag1 tag2 {
  meta:
    family = "X"
    score = -5
    flag = true
  strings:
    $a = "a\\"b{c}" ascii wide nocase
    $h = { 41 [2-4] ( 42 | 43 ) ?? 44 }
    $r = /ab+c\\/d/is
    $x = "xxxx" xor(1-255)
    $y = "yyyy" base64("!@#$%^&*(){}[].,|ABCDEFGHIJ;LMNOPQRSTUVWXYZabcdefghijklmnopqrstu")
  condition:
    Base and any of them and pe.is_dll() and not Other
}
`;

test('rule blocks carry names, lines, spans, meta, patterns and the identifiers of their conditions', () => {
  const o = readRuleSource(SAMPLE);
  assert.deepEqual(o.preamble, ['import "pe"']);
  assert.deepEqual(o.rules.map((r) => [r.name, r.line, r.isPrivate, r.isGlobal]), [
    ['Base', 3, true, false],
    ['Small', 4, false, true],
    ['Other', 5, false, false],
    ['Uses', 6, false, false],
  ]);
  const uses = o.rules[3]!;
  assert.deepEqual(uses.tags, ['tag1', 'tag2']);
  assert.deepEqual(uses.meta.map((m) => [m.key, m.value, m.line]), [['family', 'X', 8], ['score', -5, 9], ['flag', true, 10]]);
  assert.deepEqual(uses.patterns.map((p) => [p.id, p.kind, p.line, p.modifiers.join(' ')]), [
    ['$a', 'text', 12, 'ascii wide nocase'],
    ['$h', 'hex', 13, ''],
    ['$r', 'regex', 14, ''],
    ['$x', 'text', 15, 'xor'],
    ['$y', 'text', 16, 'base64'],
  ]);
  assert.equal(uses.patterns[2]!.literal, '/ab+c\\/d/is');
  assert.ok(SAMPLE.slice(uses.start, uses.end).startsWith('rule Uses') && SAMPLE.slice(uses.start, uses.end).endsWith('}'));
  assert.ok(uses.identifiers.has('Base') && uses.identifiers.has('Other'));
  assert.equal(o.rules[0]!.start, SAMPLE.indexOf('private rule Base'));
  assert.equal(uses.conditionLine, 18);
});

test('a rule alone carries the imports, the global rules and the rules it names, and compiles', async () => {
  const o = readRuleSource(SAMPLE);
  const text = standaloneRuleText(SAMPLE, o, o.rules[3]!);
  assert.match(text, /^import "pe"\n/);
  for (const name of ['Base', 'Small', 'Uses', 'Other']) assert.match(text, new RegExp(`rule ${name}\\b`));
  const engine = await loadEngine();
  const set = engine.compile([{ path: 'sample.yar', namespace: 'sample', text }]);
  assert.equal(set.ruleCount, 4);
  set.dispose();
  const alone = standaloneRuleText(SAMPLE, o, o.rules[2]!);
  assert.doesNotMatch(alone, /rule Uses|rule Base/);
  assert.match(alone, /global rule Small/);
});

test('on the bundled pack and on signature-base the reader finds the same rules and meta as the engines outline', () => {
  const files = readdirSync(PACK_YARA).map((f) => join(PACK_YARA, f));
  const sigbase = join(ANCHORS_DIR, 'signature-base', 'yara');
  files.push(...readdirSync(sigbase).filter((f) => f.endsWith('.yar')).map((f) => join(sigbase, f)));
  let rules = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const mine = readRuleSource(text).rules;
    const theirs = outlineRules(text);
    assert.deepEqual(mine.map((r) => [r.name, r.line]), theirs.map((r) => [r.name, r.line]), file);
    for (const [i, r] of mine.entries()) {
      assert.deepEqual(r.meta.map((m) => [m.key, m.value]), theirs[i]!.meta, `${file}: ${r.name}`);
    }
    rules += mine.length;
  }
  assert.ok(rules > 5000, `${rules} rules read`);
});

test('every rule of the bundled pack compiles alone', async () => {
  const engine = await loadEngine();
  for (const f of readdirSync(PACK_YARA)) {
    const text = readFileSync(join(PACK_YARA, f), 'utf8');
    const o = readRuleSource(text);
    for (const r of o.rules) {
      const set = engine.compile([{ path: f, namespace: 'x', text: standaloneRuleText(text, o, r) }]);
      assert.equal(set.ruleCount, 1, `${f}: ${r.name}`);
      set.dispose();
    }
  }
});

test('fuzz: mutated rule text never makes the reader throw, and spans stay inside the text', () => {
  const seeds = [SAMPLE, ...readdirSync(PACK_YARA).map((f) => readFileSync(join(PACK_YARA, f), 'utf8'))];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: seeds.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 8 })), { maxLength: 6 }),
      (seed, edits) => {
        let s = seeds[seed]!;
        for (const [at, del, ins] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + ins + s.slice(i + del);
        }
        const o = readRuleSource(s);
        for (const r of o.rules) {
          assert.ok(r.start >= 0 && r.start <= r.end && r.end <= s.length);
          standaloneRuleText(s, o, r);
        }
      },
    ),
    { numRuns: FUZZ_RUNS, seed: 7 },
  );
});
