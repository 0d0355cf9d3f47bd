import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSize } from './size.js';
import { progressLine } from './progress.js';

test('sizes take K, M, G suffixes (binary) and plain bytes', () => {
  assert.equal(parseSize('100'), 100);
  assert.equal(parseSize('512K'), 512 * 1024);
  assert.equal(parseSize('64m'), 64 * 1024 * 1024);
  assert.equal(parseSize('2G'), 2 * 1024 ** 3);
  assert.equal(parseSize('1.5MiB'), 1.5 * 1024 * 1024);
  assert.throws(() => parseSize('lots', '--max-size'), /--max-size 'lots' is not a size/);
  assert.throws(() => parseSize('-1'), /not a size/);
});

test('the progress line says files done of found, findings, rate and ETA', () => {
  const p = { found: 100, done: 25, withFindings: 2, bytesFound: 400 * 1048576, bytesDone: 100 * 1048576, elapsedMs: 1000, walking: false };
  assert.equal(progressLine(p), '25/100 files, 2 with findings, 100.0 MiB/s, ETA 0:03');
  assert.equal(progressLine({ ...p, walking: true }), '25/100+ files, 2 with findings, 100.0 MiB/s, ETA ?');
  // No forecast from the first second, nor from the first hundredth of the bytes.
  assert.equal(progressLine({ ...p, elapsedMs: 500, bytesDone: 50 * 1048576 }), '25/100 files, 2 with findings, 100.0 MiB/s, ETA ?');
  assert.equal(progressLine({ ...p, elapsedMs: 2000, bytesDone: 2 * 1048576 }), '25/100 files, 2 with findings, 1.0 MiB/s, ETA ?');
});
