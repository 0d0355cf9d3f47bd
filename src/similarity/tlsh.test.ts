// TLSH against the reference tool: digests over a corpus sample and edge cases, and distances both ways.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { formatTlsh, lCapturing, parseTlsh, tlsh, tlshDistance, tlshHex, TlshHasher, TLSH_MIN_LENGTH } from './tlsh.js';
import { corpusSample, largeInput, pseudoRandomBytes, refTlsh, refTlshXref } from '../../test/similarity/reference.js';
import { execFileSync } from 'node:child_process';

const work = mkdtempSync(join(tmpdir(), 'fb-tlsh-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** `tlsh -r DIR` over a folder: digest by base name (files it cannot hash are absent). */
function refTlshDir(dir: string): Map<string, string> {
  const out = execFileSync('tlsh', ['-r', dir], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [d, f] = line.split('\t');
    if (d && f) m.set(basename(f), d);
  }
  return m;
}

test('digests equal the tlsh tool on a sample of the Wine corpus', () => {
  const files = corpusSample(9);
  const dir = mkdtempSync(join(work, 'corpus-'));
  for (const f of files) writeFileSync(join(dir, basename(f)), readFileSync(f));
  const ref = refTlshDir(dir);
  assert.ok(files.length > 50);
  for (const f of files) {
    assert.equal(tlshHex(readFileSync(f)), ref.get(basename(f)) ?? null, basename(f));
  }
});

test('distances equal tlsh -xref, with and without the length term', () => {
  const files = corpusSample(23);
  const entries: [string, string][] = files.map((f) => [basename(f), tlshHex(readFileSync(f))!]);
  for (const lengthDiff of [true, false]) {
    const ref = refTlshXref(entries, lengthDiff);
    assert.equal(ref.size, (entries.length * (entries.length - 1)) / 2);
    for (const [key, expected] of ref) {
      const [a, b] = key.split('\t') as [string, string];
      const da = parseTlsh(entries.find((e) => e[0] === a)![1])!;
      const db = parseTlsh(entries.find((e) => e[0] === b)![1])!;
      assert.equal(tlshDistance(da, db, { lengthDiff }), expected, key);
      assert.equal(tlshDistance(db, da, { lengthDiff }), expected, key);
    }
  }
});

test('length code steps where the tool steps (every boundary up to 1 MiB)', () => {
  const lengths = new Set<number>([TLSH_MIN_LENGTH - 1, TLSH_MIN_LENGTH]);
  let prev = lCapturing(TLSH_MIN_LENGTH);
  for (let n = TLSH_MIN_LENGTH + 1; n <= 1 << 20; n++) {
    const l = lCapturing(n);
    if (l !== prev) {
      lengths.add(n - 1);
      lengths.add(n);
      prev = l;
    }
  }
  assert.ok(lengths.size > 100);
  const data = pseudoRandomBytes(1 << 20);
  const dir = mkdtempSync(join(work, 'lengths-'));
  for (const n of lengths) writeFileSync(join(dir, `len-${n}`), data.subarray(0, n));
  const ref = refTlshDir(dir);
  for (const n of lengths) assert.equal(tlshHex(data.subarray(0, n)), ref.get(`len-${n}`) ?? null, `length ${n}`);
});

test('no digest where the tool gives none: under 256 bytes, or too little variety', () => {
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['tiny-4', pseudoRandomBytes(4)],
    ['short-255', pseudoRandomBytes(255)],
    ['zeros-4096', new Uint8Array(4096)],
    ['ab-4096', Uint8Array.from({ length: 4096 }, (_, i) => (i % 2 ? 0x41 : 0x42))],
    ['exact-256', pseudoRandomBytes(256, 7)],
  ];
  for (const [name, bytes] of cases) {
    const path = join(work, name);
    writeFileSync(path, bytes);
    assert.equal(tlshHex(bytes), refTlsh(path), name);
  }
  assert.equal(tlshHex(new Uint8Array(4096)), null);
  assert.notEqual(tlshHex(pseudoRandomBytes(256, 7)), null);
});

test('a large input (over 48 MiB) hashes as the tool does, in one piece or in chunks', () => {
  const big = largeInput(corpusSample(5), 48 << 20, (f) => readFileSync(f));
  const path = join(work, 'large.bin');
  writeFileSync(path, big);
  const whole = tlshHex(big);
  assert.equal(whole, refTlsh(path));
  const h = new TlshHasher();
  for (let off = 0; off < big.length; off += 1_000_003) h.update(big.subarray(off, off + 1_000_003));
  assert.equal(formatTlsh(h.digest()!), whole);
});

test('the T1 form: printed with its prefix, parsed in either form, distance 0 to itself', () => {
  const bytes = readFileSync(corpusSample(50)[1]!);
  const d = tlsh(bytes)!;
  const plain = formatTlsh(d);
  const t1 = formatTlsh(d, { version: true });
  assert.equal(t1, `T1${plain}`);
  assert.equal(formatTlsh(parseTlsh(t1)!), plain);
  assert.equal(formatTlsh(parseTlsh(plain.toLowerCase())!), plain);
  assert.equal(tlshDistance(parseTlsh(t1)!, d), 0);
  assert.equal(parseTlsh('T2' + plain), null);
  assert.equal(parseTlsh(plain.slice(1)), null);
});
