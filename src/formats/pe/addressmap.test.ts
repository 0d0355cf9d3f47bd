// The RVA map follows the loader's rules for odd alignments, raw sizes and zero-filled tails.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressMap, MAX_ZERO_FILL } from './addressmap.js';

const file = new Uint8Array(0x4000).map((_, i) => (i * 7 + 1) & 0xff);
const sec = (virtualAddress: number, virtualSize: number, pointerToRawData: number, sizeOfRawData: number) => ({ virtualAddress, virtualSize, pointerToRawData, sizeOfRawData });

test('headers map 1:1 below SizeOfHeaders, then nothing until the first section', () => {
  const m = new AddressMap(file.length, [sec(0x1000, 0x100, 0x400, 0x200)], 0x1000, 0x200, 0x400);
  assert.equal(m.rvaToOffset(0), 0);
  assert.equal(m.rvaToOffset(0x3ff), 0x3ff);
  assert.equal(m.rvaToOffset(0x400), null);
  assert.equal(m.isMapped(0x800), false);
  assert.equal(m.rvaToOffset(0x1010), 0x410);
});

test('PointerToRawData is rounded down to 0x200 and SizeOfRawData up to FileAlignment', () => {
  const m = new AddressMap(file.length, [sec(0x1000, 0x1000, 0x401, 0x10)], 0x1000, 0x200, 0x400);
  assert.equal(m.rvaToOffset(0x1000), 0x400);
  assert.equal(m.rvaToOffset(0x11ff), 0x5ff, 'raw size rounded up to 0x200');
  assert.equal(m.rvaToOffset(0x1200), null, 'past the raw data: zeros');
  assert.ok(m.isMapped(0x1fff));
  assert.deepEqual([...m.read(file, 0x11fe, 4)!], [file[0x5fe], file[0x5ff], 0, 0]);
});

test('a small FileAlignment leaves PointerToRawData as it is', () => {
  const m = new AddressMap(file.length, [sec(0x1000, 0x100, 0x401, 0x100)], 0x1000, 0x10, 0x400);
  assert.equal(m.rvaToOffset(0x1000), 0x401);
});

test('an unaligned VirtualAddress is rounded down to SectionAlignment', () => {
  const m = new AddressMap(file.length, [sec(0x1234, 0x100, 0x400, 0x200)], 0x1000, 0x200, 0x400);
  assert.equal(m.rvaToOffset(0x1000), 0x400);
});

test('raw data beyond the virtual size is not mapped; VirtualSize 0 means SizeOfRawData', () => {
  const m = new AddressMap(file.length, [sec(0x1000, 0x10, 0x400, 0x2000), sec(0x3000, 0, 0x2400, 0x200)], 0x1000, 0x200, 0x400);
  assert.equal(m.rvaToOffset(0x1fff), 0x13ff, 'mapped up to the aligned virtual size');
  assert.equal(m.isMapped(0x2000), false);
  assert.equal(m.rvaToOffset(0x3100), 0x2500);
  assert.ok(m.isMapped(0x3fff));
});

test('a section cut short by the end of the file reads zeros and says so', () => {
  const m = new AddressMap(0x500, [sec(0x1000, 0x1000, 0x400, 0x400)], 0x1000, 0x200, 0x400);
  assert.equal(m.rvaToOffset(0x10ff), 0x4ff);
  assert.equal(m.rvaToOffset(0x1100), null);
  assert.equal(m.cutOff(0x10f0, 0x20), true);
  assert.equal(m.cutOff(0x1000, 0x10), false);
  assert.equal(m.cutOff(0x1500, 0x10), false, 'past the declared raw size it is just zeros');
});

test('low alignment maps the file flat', () => {
  const m = new AddressMap(file.length, [sec(0x200, 0x100, 0x300, 0x100)], 0x200, 0x200, 0x200);
  assert.ok(m.flat);
  assert.equal(m.rvaToOffset(0x250), 0x250);
  assert.equal(m.rvaToOffset(file.length), null);
});

test('offsetToRva inverts rvaToOffset for section bytes and headers', () => {
  const m = new AddressMap(file.length, [sec(0x1000, 0x300, 0x400, 0x400), sec(0x2000, 0x100, 0x800, 0x200)], 0x1000, 0x200, 0x400);
  for (const rva of [0, 0x10, 0x1000, 0x12ff, 0x2000, 0x20ff]) assert.equal(m.offsetToRva(m.rvaToOffset(rva)!), rva);
  assert.equal(m.offsetToRva(0x3000), null);
});

test('a read crossing into the next section stitches both; unmapped start gives null', () => {
  const m = new AddressMap(file.length, [sec(0x1000, 0x1000, 0x400, 0x1000), sec(0x2000, 0x1000, 0x1400, 0x1000)], 0x1000, 0x200, 0x400);
  const b = m.read(file, 0x1ffe, 4)!;
  assert.deepEqual([...b], [file[0x13fe], file[0x13ff], file[0x1400], file[0x1401]]);
  assert.equal(m.read(file, 0x9000, 4), null);
});

test('zero fill is capped however large the virtual size', () => {
  const m = new AddressMap(file.length, [sec(0x1000, 0xf0000000, 0x400, 0x200)], 0x1000, 0x200, 0x400);
  const b = m.read(file, 0x1000, 0x80000000)!;
  assert.equal(b.length, 0x200 + MAX_ZERO_FILL);
});

test('overlapping sections: a lookup gives the same region whatever was looked up before', () => {
  // [0x1000, 0x3000) from 0x400 and [0x2000, 0x3000) from 0x2400: RVA 0x2100 is in both; the later one wins.
  const secs = [sec(0x1000, 0x2000, 0x400, 0x2000), sec(0x2000, 0x1000, 0x2400, 0x1000)];
  const fresh = (): AddressMap => new AddressMap(file.length, secs, 0x1000, 0x200, 0x400);
  const direct = fresh().rvaToOffset(0x2100);
  assert.equal(direct, 0x2500);
  const m = fresh();
  assert.equal(m.rvaToOffset(0x1100), 0x500, 'a lookup that finds the first section');
  assert.equal(m.rvaToOffset(0x2100), direct, 'not answered from the region the previous lookup found');
  assert.equal(m.regionOf(0x2100)?.section, 1);
});
