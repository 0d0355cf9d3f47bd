// Small parts of similarity/: MinHash estimates, band keys, string extraction and the score formula's bounds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandKeys, estimateJaccard, LSH_BANDS, minhash } from './minhash.js';
import { extractStrings, looksMeaningful } from './strings.js';
import { compare, prepare, NOTHING_COMMON, WEIGHTS } from './score.js';
import { fnv64Hex } from './hash64.js';
import type { SampleFeatures } from './features.js';

test('MinHash estimates the Jaccard index within sampling error', () => {
  const a = Array.from({ length: 400 }, (_, i) => i * 7919);
  for (const overlap of [0, 100, 200, 300, 400]) {
    const b = [...a.slice(0, overlap), ...Array.from({ length: 400 - overlap }, (_, i) => 1_000_000 + i)];
    const truth = overlap / (800 - overlap);
    const est = estimateJaccard(minhash(a), minhash(b));
    assert.ok(Math.abs(est - truth) < 0.2, `overlap ${overlap}: estimate ${est}, truth ${truth}`);
  }
  assert.deepEqual(minhash(a), minhash([...a].reverse()));
  assert.equal(bandKeys(minhash(a)).length, LSH_BANDS);
  assert.deepEqual(bandKeys(minhash([])), []);
});

test('strings: ASCII and UTF-16LE runs, de-duplicated, without binary noise', () => {
  const enc = new TextEncoder();
  const utf16 = (s: string): Uint8Array => Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0), 0]));
  const parts = [
    enc.encode('\x01\x02config file not found\x00\x00\x00'),
    utf16('Software\\Example\\Settings'),
    enc.encode('\x00\x00AAAAAAAA\x00\x01@@@@@@@\x02%d:%d:%d\x00'),
    enc.encode('config file not found\x00'),
  ];
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  assert.deepEqual(extractStrings(data), ['config file not found', 'Software\\Example\\Settings']);
  assert.equal(looksMeaningful('%d:%d:%d'), false);
  assert.equal(looksMeaningful('@@@@@@@@'), false);
  assert.equal(looksMeaningful('usage: tool FILE'), true);
});

function sample(name: string, functions: [string, number][], strings: string[]): SampleFeatures {
  return {
    version: 1, name, size: 1000, sha256: fnv64Hex(name).repeat(4), md5: fnv64Hex(name).repeat(2), format: 'pe32', tlsh: null, ssdeep: null,
    imphash: null, importCount: 0, richHash: null, sections: [],
    functions: functions.map(([h, n], i) => ({ hash: fnv64Hex(h), rva: 0x1000 + i * 0x40, insns: n })), strings,
  };
}

test('score: identical content scores the code weight, disjoint content 0, code weighted by instructions', () => {
  const a = sample('a', [['f1', 100], ['f2', 10]], ['alpha string', 'beta string']);
  const same = compare(prepare(a, NOTHING_COMMON), prepare({ ...a, name: 'b' }, NOTHING_COMMON));
  assert.equal(same.score, WEIGHTS.code);
  assert.equal(same.components.code, 1);
  const other = sample('c', [['g1', 50]], ['gamma string']);
  assert.equal(compare(prepare(a, NOTHING_COMMON), prepare(other, NOTHING_COMMON)).score, 0);
  const half = sample('d', [['f1', 100], ['h1', 10]], []);
  const e = compare(prepare(a, NOTHING_COMMON), prepare(half, NOTHING_COMMON), { details: true });
  assert.equal(e.components.code, Math.round((100 / 120) * 1000) / 1000);
  assert.deepEqual(e.sharedFunctions.map((f) => [f.hash, f.a, f.b]), [[fnv64Hex('f1'), ['0x1000'], ['0x1000']]]);
  const common = { isCommon: () => true };
  assert.equal(compare(prepare(a, common), prepare({ ...a, name: 'b' }, common)).score, 0);
});
