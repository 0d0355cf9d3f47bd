// Per-function code hashes: unchanged functions keep their hash when everything moves; a changed constant changes it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePe, isPeFile } from '../formats/pe/index.js';
import { functionHashes, MIN_FUNCTION_INSNS } from './codehash.js';
import { compileC, type Arch } from '../../test/helpers/mingw.js';
import { PROJECT_ROOT } from '../../test/helpers/paths.js';

const C = join(PROJECT_ROOT, 'test', 'similarity', 'c');
const PLATFORM = ['plat_buf.c', 'plat_map.c', 'plat_log.c', 'plat_file.c', 'plat_str.c'].map((f) => join(C, 'platform', f));

function hashesOf(path: string): Map<string, number[]> {
  const pe = parsePe(readFileSync(path));
  assert.ok(isPeFile(pe));
  const m = new Map<string, number[]>();
  for (const f of functionHashes(pe)) m.set(f.hash, [...(m.get(f.hash) ?? []), f.rva]);
  return m;
}

for (const arch of ['x86', 'x64'] as Arch[]) {
  test(`${arch}: every function survives relinking at other addresses with its hash`, () => {
    const sources = [join(C, 'iniconf', 'iniconf.c'), ...PLATFORM];
    const plain = hashesOf(compileC(sources, { arch, flags: ['-O2', '-s'] }));
    const moved = hashesOf(compileC([join(C, 'relink', 'padding.c'), ...sources], { arch, flags: ['-O2', '-s'] }));
    assert.ok(plain.size >= 20, `only ${plain.size} functions`);
    let kept = 0;
    let relocated = 0;
    for (const [hash, rvas] of plain) {
      const there = moved.get(hash);
      if (!there) continue;
      kept++;
      if (there[0] !== rvas[0]) relocated++;
    }
    // The runtime's own start-up code may differ by the extra object; the program's functions must all be kept.
    assert.ok(kept >= plain.size - 2, `${kept} of ${plain.size} hashes kept`);
    assert.ok(relocated >= kept * 0.8, `only ${relocated} of ${kept} functions moved: the test moved nothing`);
  });
}

test('a changed constant changes the hash of the function using it, and only of functions using it', () => {
  const source = [join(C, 'wordfreq', 'wordfreq.c')];
  const a = hashesOf(compileC(source, { arch: 'x64', flags: ['-O0', '-s'] }));
  const b = hashesOf(compileC(source, { arch: 'x64', flags: ['-O0', '-s', '-DWF_TABLE=2039'] }));
  const onlyA = [...a.keys()].filter((h) => !b.has(h));
  const onlyB = [...b.keys()].filter((h) => !a.has(h));
  // wf_hash, wf_add, wf_print_top's table walk and wf_free_table use the table size; nothing else does.
  assert.ok(onlyA.length >= 1 && onlyA.length <= 5, `${onlyA.length} hashes changed`);
  // Usually one for one; a changed function may also come to equal another one, or be recovered differently.
  assert.ok(onlyB.length >= 1 && onlyB.length <= 5, `${onlyB.length} new hashes`);
  assert.ok(a.size - onlyA.length >= 10);
});

test('thunks and functions under the minimum size are left out; the rest are in address order', () => {
  const pe = parsePe(readFileSync(compileC([join(C, 'negatives', 'sieve.c')], { arch: 'x86', flags: ['-O0', '-s'] })));
  assert.ok(isPeFile(pe));
  const fns = functionHashes(pe);
  assert.ok(fns.length > 0);
  for (const f of fns) assert.ok(f.insns >= MIN_FUNCTION_INSNS);
  for (let i = 1; i < fns.length; i++) assert.ok(fns[i]!.rva > fns[i - 1]!.rva);
  assert.ok(fns.every((f) => /^[0-9a-f]{16}$/.test(f.hash)));
});
