import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hexShape, lintMeta, lintPerformance, regexShape, FIREBREAK_REQUIRED_META } from './lint.js';
import { readRuleSource } from './source.js';

function rule(text: string) {
  return readRuleSource(text).rules[0]!;
}

const GOOD_META = `
    family = "miniFlame"
    aliases = "SPE, John"
    description = "d"
    reference = "r"
    confidence = "medium"
    attack = "T1105, T1071.001"
    date = "2026-11-25"
    author = "Firebreak"`;

test('a rule with the Firebreak meta passes; each missing or bad value is an error on its line', () => {
  const ok = rule(`rule A {\n  meta:${GOOD_META}\n  condition: true\n}`);
  assert.deepEqual(lintMeta(ok, 'a.yar', { requiredMeta: FIREBREAK_REQUIRED_META }), []);
  const bad = rule(`rule B {
  meta:
    family = "Nobody"
    confidence = "certain"
    attack = "T1105, S0143"
    date = "2026-02-30"
    author = ""
  condition: true
}`);
  const found = lintMeta(bad, 'b.yar', { requiredMeta: FIREBREAK_REQUIRED_META, families: (k) => k === 'miniflame' });
  const byCode = found.map((d) => `${d.line}:${d.code}:${d.message.replace(/^rule B: /, '')}`).sort();
  assert.deepEqual(byCode, [
    "1:meta-missing:missing meta 'aliases'",
    "1:meta-missing:missing meta 'description'",
    "1:meta-missing:missing meta 'reference'",
    "3:unknown-family:family 'Nobody' is not declared in the pack's families folder",
    "4:meta-value:confidence 'certain' is not one of high, medium, low",
    "5:meta-value:'S0143' is not an ATT&CK technique ID (T1234 or T1234.001)",
    "6:meta-value:date '2026-02-30' is not a YYYY-MM-DD date",
    "7:meta-value:meta 'author' is empty",
  ]);
  assert.ok(found.every((d) => d.severity === 'error' && d.path === 'b.yar'));
  assert.deepEqual(lintMeta(rule('private rule P { condition: true }'), 'p.yar', { requiredMeta: FIREBREAK_REQUIRED_META }), []);
  assert.deepEqual(lintMeta(bad, 'b.yar', { requiredMeta: [] }), []);
  assert.deepEqual(lintMeta(bad, 'b.yar', { requiredMeta: ['date'] }).map((d) => `${d.line}:${d.code}`), ['6:meta-value']);
});

test('hex and regex shapes: the longest fixed run and unbounded repetition', () => {
  assert.deepEqual(hexShape('{ 41 42 ?? 43 44 45 [2-4] 46 }'), { longestRun: 3, unboundedJump: false });
  assert.deepEqual(hexShape('{ 41 ( 42 43 44 45 | 46 ) [-] 47 }'), { longestRun: 1, unboundedJump: true });
  assert.deepEqual(hexShape('{ 4? 42 [10-] 43 }'), { longestRun: 1, unboundedJump: true });
  assert.deepEqual(regexShape('/abc.*def/'), { longestRun: 3, unbounded: true });
  assert.deepEqual(regexShape('/a\\.b\\.c[0-9]{2,}/i'), { longestRun: 5, unbounded: false });
  assert.deepEqual(regexShape('/ab?[^x]+/'), { longestRun: 1, unbounded: true });
  assert.deepEqual(regexShape('/\\w{3,}\\d+/'), { longestRun: 0, unbounded: true });
});

test('slow patterns and loops over filesize are warnings on the pattern line', () => {
  const r = rule(`rule S {
  strings:
    $short = "ab" ascii wide
    $fine = "abcd"
    $hex = { 41 ?? 42 ?? 43 }
    $jump = { 41 42 43 [-] 44 45 46 }
    $re = /foo.*bar/
    $b64 = "xy" base64
  condition:
    any of them and for any i in (0..filesize) : (uint8(i) == 0)
}`);
  const found = lintPerformance(r, 's.yar').map((d) => `${d.line}:${d.code}`);
  assert.deepEqual(found, ['3:short-atom', '5:short-atom', '6:unbounded-jump', '7:unbounded-regex', '10:filesize-loop']);
});

test('fuzz: the shape readers take any pattern text without throwing', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (s) => {
      const h = hexShape(`{ ${s} }`);
      const r = regexShape(`/${s}/`);
      assert.ok(h.longestRun >= 0 && r.longestRun >= 0);
    }),
    { numRuns: Number(process.env.FIREBREAK_FUZZ_RUNS ?? 2000), seed: 5 },
  );
});
