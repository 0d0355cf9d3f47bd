// ssdeep against the reference tool: signatures over a corpus sample and edge cases, and comparison scores.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ssdeep, ssdeepCompare, SsdeepHasher } from './ssdeep.js';
import { corpusSample, largeInput, pseudoRandomBytes, refSsdeep, refSsdeepScores } from '../../test/similarity/reference.js';

const work = mkdtempSync(join(tmpdir(), 'fb-ssdeep-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('signatures equal ssdeep -b on a sample of the Wine corpus', () => {
  const files = corpusSample(9);
  const ref = refSsdeep(files);
  assert.ok(files.length > 70);
  for (const f of files) assert.equal(ssdeep(readFileSync(f)), ref.get(basename(f)), basename(f));
});

test('signatures equal ssdeep on edge cases: empty, tiny, one repeated byte, periodic, large', () => {
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['one', Uint8Array.of(0x41)],
    ['seven', pseudoRandomBytes(7)],
    ['random-100', pseudoRandomBytes(100)],
    ['random-5000', pseudoRandomBytes(5000, 3)],
    ['zeros-100000', new Uint8Array(100000)],
    ['period-3-20000', Uint8Array.from({ length: 20000 }, (_, i) => i % 3)],
    ['large', largeInput(corpusSample(11), 40 << 20, (f) => readFileSync(f))],
  ];
  const paths = cases.map(([name, bytes]) => {
    const p = join(work, name);
    writeFileSync(p, bytes);
    return p;
  });
  const ref = refSsdeep(paths);
  for (const [name, bytes] of cases) assert.equal(ssdeep(bytes), ref.get(name), name);
  const [, big] = cases[cases.length - 1]!;
  const h = new SsdeepHasher(big.length);
  for (let off = 0; off < big.length; off += 65_537) h.update(big.subarray(off, off + 65_537));
  assert.equal(h.digest(), ref.get('large'));
});

test('comparison scores equal ssdeep -a -x over every pair of a corpus sample and of edited variants', () => {
  const files = corpusSample(4);
  const entries: [string, string][] = files.map((f) => [basename(f), ssdeep(readFileSync(f))]);
  // Edited copies score between 0 and 100, which unrelated corpus files rarely do.
  const base = readFileSync(files[10]!);
  for (let k = 1; k <= 6; k++) {
    const copy = Uint8Array.from(base);
    const step = Math.floor(copy.length / (k * 8));
    for (let off = step; off < copy.length; off += step) copy[off] ^= 0x5a;
    entries.push([`edited-${k}`, ssdeep(copy)]);
  }
  const sigs = new Map(entries);
  const ref = refSsdeepScores(entries);
  // The tool prints each pair in both orders.
  assert.equal(ref.size, entries.length * (entries.length - 1));
  let between = 0;
  for (const [key, expected] of ref) {
    const [a, b] = key.split('\t') as [string, string];
    assert.equal(ssdeepCompare(sigs.get(a)!, sigs.get(b)!), expected, key);
    if (expected > 0 && expected < 100) between++;
  }
  assert.ok(between >= 10, `only ${between} pairs scored between 0 and 100`);
});

test('malformed signatures compare as null; identical ones as 100', () => {
  assert.equal(ssdeepCompare('abc', '3:abc:def'), null);
  assert.equal(ssdeepCompare('3:abc', '3:abc:def'), null);
  assert.equal(ssdeepCompare(`3:${'A'.repeat(10)}${'Bc'.repeat(40)}:x`, '3:abc:def'), null);
  const s = ssdeep(pseudoRandomBytes(3000));
  assert.equal(ssdeepCompare(s, `${s},"name"`), 100);
  assert.equal(ssdeepCompare('3:abcdefgh:x', '12:abcdefgh:x'), 0);
});
