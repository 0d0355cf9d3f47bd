import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayName, fsName, joinPath } from './display.js';

test('valid UTF-8 names are shown as they are', () => {
  assert.equal(displayName(Buffer.from('Grüße \\ 日本.txt')), 'Grüße \\ 日本.txt');
  assert.equal(fsName(Buffer.from('plain.exe')), 'plain.exe');
});

test('invalid bytes are escaped as \\xNN, valid sequences kept, and backslashes doubled', () => {
  const raw = Buffer.concat([Buffer.from('a'), Buffer.from([0xff]), Buffer.from('é\\'), Buffer.from([0xc3]), Buffer.from('b')]);
  assert.equal(displayName(raw), 'a\\xffé\\\\\\xc3b');
  // Overlong encodings and surrogates are not valid UTF-8 either.
  assert.equal(displayName(Buffer.from([0xc0, 0xaf])), '\\xc0\\xaf');
  assert.equal(displayName(Buffer.from([0xed, 0xa0, 0x80])), '\\xed\\xa0\\x80');
});

test('a name that is not UTF-8 stays bytes, and joins into a bytes path', () => {
  const name = fsName(Buffer.from([0x66, 0xfe]));
  assert.ok(Buffer.isBuffer(name));
  const p = joinPath('/tmp/dir/', name);
  assert.deepEqual(p, Buffer.from([...Buffer.from('/tmp/dir/'), 0x66, 0xfe]));
  assert.equal(joinPath('/a', 'b'), '/a/b');
});
