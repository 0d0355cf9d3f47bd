// The image checksum against a word-by-word reference with folding after every add (CheckSumMappedFile's way).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peChecksum } from './checksum.js';

function reference(d: Uint8Array, field: number): number {
  const b = Uint8Array.from(d);
  for (let i = 0; i < 4; i++) if (field + i < b.length) b[field + i] = 0;
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) {
    sum += b[i]! | ((i + 1 < b.length ? b[i + 1]! : 0) << 8);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum & 0xffff) + b.length;
}

test('peChecksum matches the reference on random data of many lengths and field offsets', () => {
  let x = 7;
  for (let n = 0; n < 600; n += 7) {
    const d = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x = (x * 1664525 + 1013904223) >>> 0;
      d[i] = x >>> 24;
    }
    for (const field of [0, 0x40, 0xd8, 0xd9, n - 2]) assert.equal(peChecksum(d, field), reference(d, field), `n=${n} field=${field}`);
  }
});

test('peChecksum does not depend on the stored value', () => {
  const d = new Uint8Array(4096).fill(0xab);
  const a = peChecksum(d, 0xd8);
  d.set([1, 2, 3, 4], 0xd8);
  assert.equal(peChecksum(d, 0xd8), a);
});

test('all-0xff data folds to 0xffff per word', () => {
  const d = new Uint8Array(1 << 20).fill(0xff);
  assert.equal(peChecksum(d, 0x1000), reference(d, 0x1000));
});

test('word sums that are multiples of 0xFFFF fold to 0xFFFF, and only an all-zero file to 0', () => {
  const cases: number[][] = [[0xff, 0xff], [0xff, 0xff, 0xff, 0xff], [0xfe, 0xff, 0x01, 0x00], [1, 0, 0xfe, 0xff, 0, 0, 0, 0, 0], [], [0, 0, 0, 0, 0, 0, 0]];
  for (const c of cases) {
    const d = Uint8Array.from(c);
    for (const field of [0, 2, 100]) assert.equal(peChecksum(d, field), reference(d, field), `${JSON.stringify(c)} field=${field}`);
  }
  assert.equal(peChecksum(Uint8Array.from([0xff, 0xff]), 100), 0xffff + 2);
  assert.equal(peChecksum(new Uint8Array(8), 0), 8);
});

test('views that start at any byte of their buffer, and files longer than the 16 MiB blocks of the word loop', () => {
  let x = 99;
  const big = new Uint8Array((40 << 20) + 4109);
  for (let i = 0; i < big.length; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    big[i] = x >>> 24;
  }
  for (const off of [0, 1, 2, 3]) {
    const view = big.subarray(off, off + 70_001);
    assert.equal(peChecksum(view, 0x80), reference(view, 0x80), `offset ${off}`);
  }
  assert.equal(peChecksum(big, 0xd8), reference(big, 0xd8));
  big.fill(0xff);
  assert.equal(peChecksum(big, 0xd8), reference(big, 0xd8), 'the largest words, whose sum passes 2^53 (where doubles stop being exact) but for the blocks');
});
