// imphash follows pefile's get_imphash: library names, ordinal lookups, and the imports pefile leaves out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { imphash, imphashParts } from './imphash.js';
import type { ImportedDll, ImportedFunction } from './types.js';

const byName = (name: string): ImportedFunction => ({ name, ordinal: null, byOrdinal: false, hint: 0, iatRva: 0, thunkRva: 0, bound: null });
const byOrdinal = (ordinal: number, name: string | null = null): ImportedFunction => ({ name, ordinal, byOrdinal: true, hint: null, iatRva: 0, thunkRva: 0, bound: null });
const dll = (name: string, functions: ImportedFunction[]): ImportedDll => ({
  dll: name,
  descriptorRva: 0,
  originalFirstThunk: 0,
  timeDateStamp: 0,
  forwarderChain: 0,
  nameRva: 0,
  firstThunk: 0,
  functions,
});

test('library names lose .dll/.ocx/.sys and are lower-cased; function names are lower-cased', () => {
  const parts = imphashParts([
    dll('KERNEL32.dll', [byName('CreateFileA'), byName('ExitProcess')]),
    dll('Ctl.OCX', [byName('DllGetClassObject')]),
    dll('drv.sys', [byName('Io')]),
    dll('tool.exe', [byName('Run')]),
    dll('noext', [byName('F')]),
  ]);
  assert.deepEqual(parts, ['kernel32.createfilea', 'kernel32.exitprocess', 'ctl.dllgetclassobject', 'drv.io', 'tool.exe.run', 'noext.f']);
});

test('ordinals: the known table for ws2_32/wsock32/oleaut32, ord<N> otherwise, ordinal 0 left out', () => {
  const parts = imphashParts([
    dll('WS2_32.dll', [byOrdinal(23, 'socket'), byOrdinal(499, 'ord499')]),
    dll('wsock32.dll', [byOrdinal(3, 'closesocket')]),
    dll('user32.dll', [byOrdinal(5), byOrdinal(0)]),
  ]);
  assert.deepEqual(parts, ['ws2_32.socket', 'ws2_32.ord499', 'wsock32.closesocket', 'user32.ord5']);
});

test('names pefile does not list are left out; a DLL name with other characters is *invalid*', () => {
  const parts = imphashParts([
    dll('my lib.dll', [byName('Good'), byName('bad-name'), byName(''), byName('?Mangled@@YAXXZ')]),
    dll('', [byName('Lost')]),
  ]);
  assert.deepEqual(parts, ['*invalid*.good', '*invalid*.?mangled@@yaxxz']);
});

test('imphash is the md5 of the joined parts, or null with nothing pefile would list', () => {
  const imports = [dll('KERNEL32.dll', [byName('CreateFileA')]), dll('ws2_32.dll', [byOrdinal(23, 'socket')])];
  assert.equal(imphash(imports), createHash('md5').update('kernel32.createfilea,ws2_32.socket').digest('hex'));
  assert.equal(imphash([]), null);
  assert.equal(imphash([dll('a.dll', [byName('x-y')])]), null);
});
