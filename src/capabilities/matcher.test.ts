// The reference evaluator and the indexed matcher must agree on every rule and every sample; and the evaluator's semantics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { codeImageFromPe } from '../code/pe-image.js';
import { recoverProgram } from '../code/recover.js';
import { isPeFile, parsePe } from '../formats/pe/index.js';
import { FeatureSet } from '../features/featureset.js';
import { fileFactsFromPe } from '../features/pe-facts.js';
import { PeFeatureExtractor } from '../features/pe-extractor.js';
import { ANCHORS_DIR, PROJECT_ROOT } from '../../test/helpers/paths.js';
import { wineCorpusFiles } from '../../test/helpers/corpus.js';
import { ARCHES, PROGRAMS, build } from '../../test/capa/programs.js';
import { JOINED_SCAN_THRESHOLD, evaluate } from './evaluate.js';
import { findCapabilities } from './find.js';
import { loadRules } from './load.js';
import { IndexedMatcher, ReferenceMatcher } from './matcher.js';
import { parseRule } from './parse.js';
import { RuleSet } from './ruleset.js';

const rules = loadRules([
  { path: join(PROJECT_ROOT, 'rules', 'capabilities'), ruleSet: 'firebreak' },
  { path: join(ANCHORS_DIR, 'capa-rules'), ruleSet: 'capa' },
]).rules;

/** rule name -> sorted distinct match addresses */
function matchMap(m: Map<string, { address: number }[]>): Map<string, string> {
  return new Map([...m].map(([k, l]) => [k, [...new Set(l.map((x) => x.address))].sort((a, b) => a - b).join(',')]));
}

function samples(): string[] {
  const out: string[] = [];
  for (const p of PROGRAMS) for (const arch of ARCHES) out.push(build(p, arch));
  // A few small real DLLs: the reference matcher evaluates every rule at every instruction, so size matters.
  const small = wineCorpusFiles().filter((f) => f.endsWith('.dll') && statSync(f).size < 120_000);
  for (let i = 0; i < small.length && i < 60; i += 20) out.push(small[i]!);
  return out;
}

test('reference and indexed matchers agree on every rule and sample', () => {
  const indexed = new IndexedMatcher(rules);
  const reference = new ReferenceMatcher(rules);
  let compared = 0;
  for (const path of samples()) {
    const pe = parsePe(new Uint8Array(readFileSync(path)));
    assert.ok(isPeFile(pe), path);
    const program = recoverProgram(codeImageFromPe(pe)!);
    const ex = new PeFeatureExtractor(program, fileFactsFromPe(pe));
    const a = matchMap(findCapabilities(ex, indexed).matches);
    const b = matchMap(findCapabilities(ex, reference).matches);
    assert.deepEqual(a, b, path);
    assert.ok(a.size > 0, `${path}: nothing matched at all`);
    compared++;
  }
  assert.ok(compared >= PROGRAMS.length * 2);
});

function ruleOf(features: string, scope = 'function'): RuleSet {
  const text = `rule:\n  meta:\n    name: t\n    namespace: a/b\n    scopes:\n      static: ${scope}\n      dynamic: unsupported\n  features:\n${features}\n`;
  return new RuleSet([parseRule(text, 't.yml')]);
}

function fsWith(entries: [Parameters<FeatureSet['add']>[0], number?][]): FeatureSet {
  const fs = new FeatureSet();
  for (const [f, a] of entries) fs.add(f, a);
  return fs;
}

test('count ranges, not, optional and N or more follow capa', () => {
  const fs = fsWith([
    [{ type: 'mnemonic', value: 'xor' }, 1],
    [{ type: 'mnemonic', value: 'xor' }, 2],
    [{ type: 'mnemonic', value: 'xor' }, 2],
    [{ type: 'api', value: 'CreateFileA' }, 3],
  ]);
  const ok = (features: string) => evaluate(ruleOf(features).get('t')!.node, fs).success;
  assert.equal(ok('    - count(mnemonic(xor)): 2'), true, 'two distinct addresses');
  assert.equal(ok('    - count(mnemonic(xor)): 3 or more'), false);
  assert.equal(ok('    - count(mnemonic(xor)): (1, 2)'), true);
  assert.equal(ok('    - count(mnemonic(shl)): 0'), true, 'count 0 of an absent feature');
  assert.equal(ok('    - count(mnemonic(xor)): 1 or fewer'), false);
  assert.equal(ok('    - not:\n      - api: DeleteFileA'), true);
  assert.equal(ok('    - and:\n      - api: CreateFile\n      - optional:\n        - api: WriteFile'), false, 'no A/W-less name without an extractor');
  assert.equal(ok('    - and:\n      - api: kernel32.CreateFileA\n      - optional:\n        - api: WriteFile'), true);
  assert.equal(ok('    - 2 or more:\n      - api: CreateFileA\n      - mnemonic: xor\n      - mnemonic: shl'), true);
  assert.equal(ok('    - 2 or more:\n      - api: CreateFileA\n      - api: CreateFileA\n      - mnemonic: shl'), false, 'duplicate children count once');
});

test('match by rule name and by namespace prefix', () => {
  const fs = new FeatureSet();
  fs.addMatch('create mutex', 'host-interaction/mutex/create', [0x401000]);
  // A RuleSet drops rules whose dependency is missing, so the node is evaluated directly.
  const node = (features: string) => parseRule(`rule:\n  meta:\n    name: t\n    scopes:\n      static: function\n      dynamic: unsupported\n  features:\n${features}\n`, 't.yml').node;
  assert.equal(evaluate(node('    - match: create mutex'), fs).success, true);
  assert.equal(evaluate(node('    - match: host-interaction/mutex'), fs).success, true);
  assert.equal(evaluate(node('    - match: host-interaction'), fs).success, true);
  assert.equal(evaluate(node('    - match: host-interaction/file-system'), fs).success, false);
});

test('substring and regex scans over many strings give the per-string answer', () => {
  const strings = Array.from({ length: JOINED_SCAN_THRESHOLD * 3 }, (_, i) => `str${i}\\Software\\Vendor${i % 97}`);
  strings[700] = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
  strings[1200] = 'line one\nline two CurrentVersion';
  const many = new FeatureSet();
  strings.forEach((s, i) => many.add({ type: 'string', value: s }, i));
  for (const [features, expect] of [
    ['    - substring: "CurrentVersion"', [700, 1200]],
    ['    - string: /currentversion\\\\run$/i', [700]],
    ['    - string: /^line two/', []],
    ['    - string: /one.line/', [1200]],
    ['    - string: /Vendor96$/', strings.map((s, i) => (s.endsWith('Vendor96') ? i : -1)).filter((i) => i >= 0)],
  ] as [string, number[]][]) {
    const r = evaluate(ruleOf(features).get('t')!.node, many, false);
    assert.deepEqual([...r.locations].sort((a, b) => a - b), expect, features);
  }
});
