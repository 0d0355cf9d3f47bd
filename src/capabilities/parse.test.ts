// Rule parsing: capa's syntax (descriptions, counts, subscopes, operands, COM, regexes) and its rejections.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRule, RuleLoadError } from './parse.js';
import type { Node } from './rule.js';

function rule(features: string, scopes = 'static: function\n      dynamic: unsupported'): string {
  return `rule:\n  meta:\n    name: test rule\n    namespace: a/b\n    scopes:\n      ${scopes}\n    att&ck:\n      - Collection::Screen Capture [T1113]\n  features:\n${features}\n`;
}

test('parses logic, inline descriptions and numbers as 64-bit values', () => {
  const r = parseRule(
    rule(`    - and:
      - description: the core
      - api: kernel32.CreateFileA = open it
      - number: 0xFFFFFFFFFFFFFFFF
      - offset: -0x30 = negative
      - operand[1].number: 0x10
      - count(basic blocks): 4 or more
      - count(mnemonic(xor)): (2, 10)
      - 2 or more:
        - string: "a = b"
        - substring: "xyz"
        - string: /Hardware\\\\Description/i
      - optional:
        - mnemonic: shl`),
    'x.yml',
  );
  assert.equal(r.name, 'test rule');
  assert.deepEqual(r.attack[0], { text: 'Collection::Screen Capture [T1113]', parts: ['Collection', 'Screen Capture'], id: 'T1113' });
  const and = r.node as Extract<Node, { kind: 'and' }>;
  assert.equal(and.kind, 'and');
  assert.equal(and.description, 'the core');
  const [api, num, off, opn, bbs, xors, some, opt] = and.children;
  assert.deepEqual(api, { kind: 'feature', feature: { type: 'api', value: 'CreateFileA' }, key: 'api\u0000CreateFileA', description: 'open it' });
  assert.equal((num as { key: string }).key, 'number\u00000xffffffffffffffff');
  assert.equal((off as { key: string }).key, 'offset\u0000-0x30');
  assert.equal((opn as { key: string }).key, 'operand-number[1]\u00000x10');
  assert.deepEqual({ ...(bbs as object), child: undefined }, { kind: 'range', child: undefined, min: 4, max: Number.MAX_SAFE_INTEGER });
  assert.equal((xors as { min: number; max: number }).min, 2);
  assert.equal((xors as { min: number; max: number }).max, 10);
  const s = some as Extract<Node, { kind: 'some' }>;
  assert.equal(s.count, 2);
  assert.equal((s.children[0] as { feature: { value: string } }).feature.value, 'a = b', 'strings keep " = " verbatim');
  const re = (s.children[2] as { feature: { type: string; re: RegExp } }).feature;
  assert.equal(re.type, 'regex');
  assert.ok(re.re.test('SYSTEM\\hardware\\description\\x'));
  assert.equal((opt as { count: number }).count, 0);
});

test('instruction subscopes take an implied and; com features become GUID string or bytes', () => {
  const r = parseRule(
    rule(`    - and:
      - instruction:
        - mnemonic: cmp
        - number: 0xCC
      - com/class: WbemLocator`),
    'x.yml',
  );
  const and = r.node as Extract<Node, { kind: 'and' }>;
  const sub = and.children[0] as Extract<Node, { kind: 'subscope' }>;
  assert.equal(sub.scope, 'instruction');
  assert.equal(sub.child.kind, 'and');
  const com = and.children[1] as Extract<Node, { kind: 'or' }>;
  assert.equal((com.children[0] as { feature: { value: string } }).feature.value, '4590F811-1D3A-11D0-891F-00AA004B2E24');
  const bytes = (com.children[1] as { feature: { value: Uint8Array } }).feature.value;
  assert.deepEqual([...bytes.subarray(0, 4)], [0x11, 0xf8, 0x90, 0x45]);
});

test('rejects what capa rejects, with the reason', () => {
  const bad: [string, RegExp, string?][] = [
    ['    - export: Foo', /not supported for scopes/],
    ['    - characteristic: tight loop', /not supported for scopes/, 'static: instruction\n      dynamic: unsupported'],
    ['    - number: "10 = "', /description cannot be empty/],
    ['    - bytes: 0G', /valid hex/],
    ['    - string: /a(/', /invalid regular expression/],
    ['    - not:\n      - api: A\n      - api: B', /exactly one child/],
    ['    - and:\n      - function:\n        - api: A', /subscope not supported/, 'static: basic block\n      dynamic: unsupported'],
    ['    - com/class: NoSuchThing', /not in the bundled COM table/],
    ['    - and:\n      - frobnicate: 1', /unexpected statement/],
    ['    - string: yes', /ambiguous string value/],
  ];
  for (const [features, reason, scopes] of bad) {
    assert.throws(() => parseRule(rule(features, scopes), 'x.yml'), (e: unknown) => e instanceof RuleLoadError && reason.test(e.message), features);
  }
});
