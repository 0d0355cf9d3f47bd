// md5Hex against node:crypto over every length around the padding boundaries and a large buffer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { md5Hex, md5Utf8 } from './md5.js';

const ref = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

test('md5 of the RFC 1321 test suite', () => {
  const cases: [string, string][] = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
  ];
  for (const [text, digest] of cases) assert.equal(md5Utf8(text), digest, text);
});

test('md5 matches node:crypto for lengths 0..300 and unaligned views', () => {
  const big = new Uint8Array(1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 131 + 7) & 0xff;
  for (let n = 0; n <= 300; n++) {
    const view = big.subarray(3, 3 + n);
    assert.equal(md5Hex(view), ref(view), `length ${n}`);
  }
});

test('md5 matches node:crypto on a 5 MiB buffer', () => {
  const b = new Uint8Array(5 * 1024 * 1024 + 13);
  let x = 1;
  for (let i = 0; i < b.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  assert.equal(md5Hex(b), ref(b));
});
