// The word-at-a-time scans of Scratch agree with a plain byte loop, at every alignment.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesSource } from '../partition/byte-source.js';
import { Scratch } from './scratch.js';

const naiveFirst = (b: Uint8Array, from: number, to: number): number => {
  for (let i = from; i < to; i++) if (b[i] !== 0) return i;
  return -1;
};
const naiveLast = (b: Uint8Array, from: number, to: number): number => {
  for (let i = to - 1; i >= from; i--) if (b[i] !== 0) return i;
  return -1;
};

test('firstNonZero, lastNonZero and firstDifference agree with byte loops', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 200 }),
      fc.array(fc.tuple(fc.nat(199), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
      fc.nat(200),
      fc.nat(200),
      (length, nonZero, a, b) => {
        const data = new Uint8Array(length);
        for (const [at, v] of nonZero) if (at < length) data[at] = v;
        const s = new Scratch(16, 1024);
        assert.equal(s.read(bytesSource(data), 0, length), length);
        const from = Math.min(a, b, length);
        const to = Math.min(Math.max(a, b), length);
        assert.equal(s.firstNonZero(from, to), naiveFirst(data, from, to));
        assert.equal(s.lastNonZero(from, to), naiveLast(data, from, to));
        assert.equal(s.firstNonZero(to, from), -1);
        const zeros = new Uint8Array(length);
        assert.equal(s.firstDifference(zeros, length), naiveFirst(data, 0, length));
        // A copy equal but for one byte: high bytes of 0xff make words negative as Int32, which must not matter.
        const copy = data.map((x) => x | 0x80);
        s.read(bytesSource(copy), 0, length);
        const other = copy.slice();
        if (length > 0) other[a % length] = copy[a % length]! ^ 1;
        assert.equal(s.firstDifference(copy, length), -1);
        assert.equal(s.firstDifference(other, length), length > 0 ? a % length : -1);
      },
    ),
    { numRuns: 2000, seed: 3 },
  );
});
