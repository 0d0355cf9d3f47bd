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
