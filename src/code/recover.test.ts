// Code recovery on hand-assembled images: function discovery, blocks, API resolution in every form, tables, budgets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hasLoop } from './graph.js';
import { DataRefs } from './data.js';
import type { CodeImage, ImportRef } from './image.js';
import { recoverProgram } from './recover.js';
import { isPeFile, parsePe } from '../formats/pe/index.js';
import { codeImageFromPe } from './pe-image.js';
import { wineCorpusFiles } from '../../test/helpers/corpus.js';

/** Little-endian bytes of a 32-bit value. */
function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** A tiny assembler: bytes at addresses, with rel32 calls and jumps computed from the target. */
class Asm {
  readonly bytes: number[] = [];
  constructor(readonly base: number) {}
  get here(): number {
    return this.base + this.bytes.length;
  }
  at(va: number, pad = 0xcc): this {
    while (this.here < va) this.bytes.push(pad);
    return this;
  }
  raw(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  rel32(op: number[], target: number): this {
    const end = this.here + op.length + 4;
    return this.raw(...op, ...le32((target - end) | 0));
  }
  call(target: number): this {
    return this.rel32([0xe8], target);
  }
}

const IMPORTS: [number, ImportRef][] = [
  [0x402000, { dll: 'KERNEL32.dll', name: 'CreateFileA', ordinal: null }],
  [0x402004, { dll: 'KERNEL32.dll', name: 'ExitProcess', ordinal: null }],
  [0x402008, { dll: 'USER32.dll', name: 'GetDC', ordinal: null }],
  [0x40200c, { dll: 'KERNEL32.dll', name: 'WriteFile', ordinal: null }],
  [0x402010, { dll: 'KERNEL32.dll', name: 'Sleep', ordinal: null }],
];

function image32(code: number[], data: number[] = [], extra: Partial<CodeImage> = {}): CodeImage {
  return {
    bitness: 32,
    imageBase: 0x400000,
    sizeOfImage: 0x4000,
    headers: new Uint8Array(0x400),
    sections: [
      { name: '.text', va: 0x401000, virtualSize: 0x1000, data: Uint8Array.from(code), executable: true, writable: false },
      { name: '.idata', va: 0x402000, virtualSize: 0x1000, data: new Uint8Array(0x40), executable: false, writable: true },
      { name: '.rdata', va: 0x403000, virtualSize: 0x1000, data: Uint8Array.from(data), executable: false, writable: false },
    ],
    entryPoints: [{ va: 0x401000, kind: 'entry' }],
    imports: new Map(IMPORTS),
    relocatedSlots: null,
    ...extra,
  };
}

test('resolves call [iat], jmp thunks, mov reg,[iat]; call reg, and wrappers; stops after a no-return call', () => {
  const a = new Asm(0x401000);
  a.raw(0xff, 0x15, ...le32(0x402000)); // call [CreateFileA]
  const callThunk = a.here;
  a.call(0x401040); // call thunk -> WriteFile
  a.raw(0x8b, 0x35, ...le32(0x402008)); // mov esi, [GetDC]
  const callReg = a.here;
  a.raw(0xff, 0xd6); // call esi
  const callWrapper = a.here;
  a.call(0x401050); // call wrapper -> Sleep
  a.raw(0x6a, 0x00); // push 0
  a.raw(0xff, 0x15, ...le32(0x402004)); // call [ExitProcess]
  a.raw(0x0f, 0x0b, 0xff, 0xff); // never reached: must not be decoded as part of the entry function
  a.at(0x401040).raw(0xff, 0x25, ...le32(0x40200c)); // thunk: jmp [WriteFile]
  // wrapper: push ebp; mov ebp, esp; push [ebp+8]; call [Sleep]; pop ebp; ret 4
  a.at(0x401050).raw(0x55, 0x89, 0xe5, 0xff, 0x75, 0x08, 0xff, 0x15, ...le32(0x402010), 0x5d, 0xc2, 0x04, 0x00);
  const p = recoverProgram(image32(a.bytes));
  // The thunk is resolved where it is called; a lone `jmp [iat]` is not a function of its own (as in capa).
  assert.deepEqual([...p.functions.keys()], [0x401000, 0x401050]);
  const name = (va: number) => p.apiCalls.get(va)?.name;
  assert.equal(name(0x401000), 'CreateFileA');
  assert.equal(name(callThunk), 'WriteFile');
  assert.equal(name(callReg), 'GetDC');
  assert.equal(name(callWrapper), 'Sleep');
  assert.equal(p.functions.get(0x401050)!.wrapperOf?.name, 'Sleep');
  const entry = p.functions.get(0x401000)!;
  const last = entry.blocks.flatMap((b) => b.insns).pop()!;
  assert.equal(last.mnem, 'call', 'decoding stops after ExitProcess');
  assert.equal(entry.noReturn, true);
  assert.deepEqual(p.functions.get(0x401050)!.callers, [callWrapper]);
  assert.equal(p.partial, false);
});

test('splits blocks at branch targets and links the CFG; finds loops', () => {
  const a = new Asm(0x401000);
  // xor ecx, ecx; L: inc ecx; cmp ecx, 10; jne L; ret
  a.raw(0x31, 0xc9, 0x41, 0x83, 0xf9, 0x0a, 0x75, 0xfa, 0xc3);
  const p = recoverProgram(image32(a.bytes));
  const f = p.functions.get(0x401000)!;
  assert.deepEqual(f.blocks.map((b) => b.va), [0x401000, 0x401002, 0x401008]);
  assert.deepEqual(f.blocks[1]!.succs.sort(), [0x401002, 0x401008]);
  assert.equal(hasLoop(f.blocks), false, 'a block that jumps to itself is a tight loop, not a loop');
  const b = new Asm(0x401000);
  // L1: inc ecx; cmp ecx, 10; je out; jmp L1; out: ret   (two blocks in a cycle)
  b.raw(0x41, 0x83, 0xf9, 0x0a, 0x74, 0x02, 0xeb, 0xf8, 0xc3);
  const q = recoverProgram(image32(b.bytes));
  assert.equal(hasLoop(q.functions.get(0x401000)!.blocks), true);
});

test('follows a bounded jump table and nothing past its bound', () => {
  const a = new Asm(0x401000);
  // cmp eax, 2; ja default; jmp [eax*4 + 0x403000]
  a.raw(0x83, 0xf8, 0x02, 0x77, 0x07, 0xff, 0x24, 0x85, ...le32(0x403000));
  a.at(0x40100c).raw(0xc3); // default
  a.at(0x401010).raw(0x31, 0xc0, 0xc3);
  a.at(0x401020).raw(0x31, 0xdb, 0xc3);
  a.at(0x401030).raw(0x31, 0xc9, 0xc3);
  a.at(0x401040).raw(0x31, 0xd2, 0xc3); // a fourth target the table lists past its bound
  const table = [...le32(0x401010), ...le32(0x401020), ...le32(0x401030), ...le32(0x401040)];
  const p = recoverProgram(image32(a.bytes, table));
  const f = p.functions.get(0x401000)!;
  const starts = f.blocks.map((b) => b.va);
  for (const t of [0x401010, 0x401020, 0x401030]) assert.ok(starts.includes(t), `case 0x${t.toString(16)}`);
  assert.ok(!starts.includes(0x401040), 'entry past the cmp bound');
  const jmpBlock = f.blocks.find((b) => b.insns.some((i) => i.flow === 'jmp-indirect'))!;
  assert.deepEqual(jmpBlock.succs.sort(), [0x401010, 0x401020, 0x401030]);
});

test('x64: RIP-relative imports, strings through pointers, callbacks passed as code pointers', () => {
  const base = 0x140001000;
  const a = new Asm(base);
  // lea rcx, [rip+str]; call [rip+iat]; lea rdx, [rip+callback]; call [rip+iat]; ret
  const lea = (reg: number, target: number) => a.rel32([0x48, 0x8d, reg], target);
  lea(0x0d, 0x140003000);
  a.rel32([0xff, 0x15], 0x140002000);
  lea(0x15, 0x140001040);
  a.rel32([0xff, 0x15], 0x140002008);
  a.raw(0xc3);
  a.at(0x140001040).raw(0x48, 0x83, 0xec, 0x28, 0x31, 0xc0, 0x48, 0x83, 0xc4, 0x28, 0xc3); // sub rsp,28h; xor eax,eax; add rsp,28h; ret
  const rdata = Array.from(Buffer.from('Global\\Example\0', 'latin1'));
  const img: CodeImage = {
    bitness: 64,
    imageBase: 0x140000000,
    sizeOfImage: 0x4000,
    headers: new Uint8Array(0x400),
    sections: [
      { name: '.text', va: base, virtualSize: 0x1000, data: Uint8Array.from(a.bytes), executable: true, writable: false },
      { name: '.idata', va: 0x140002000, virtualSize: 0x1000, data: new Uint8Array(0x20), executable: false, writable: true },
      { name: '.rdata', va: 0x140003000, virtualSize: 0x1000, data: Uint8Array.from(rdata), executable: false, writable: false },
    ],
    entryPoints: [{ va: base, kind: 'entry' }],
    imports: new Map<number, ImportRef>([
      [0x140002000, { dll: 'KERNEL32.dll', name: 'CreateMutexA', ordinal: null }],
      [0x140002008, { dll: 'KERNEL32.dll', name: 'CreateThread', ordinal: null }],
    ]),
    relocatedSlots: null,
  };
  const p = recoverProgram(img);
  assert.equal(p.apiCalls.get(base + 7)?.name, 'CreateMutexA');
  assert.ok(p.functions.has(0x140001040), 'thread start found through lea of a code address');
  assert.equal(p.functions.get(0x140001040)!.source, 'code-pointer');
  assert.equal(new DataRefs(p.view).stringAt(0x140003000), 'Global\\Example');
});

test('a budget in the past gives a partial result, never a hang or a throw', () => {
  const a = new Asm(0x401000);
  for (let i = 0; i < 3000; i++) a.raw(0x90);
  a.raw(0xc3);
  let t = 0;
  const p = recoverProgram(image32(a.bytes), { deadline: 0, now: () => (t += 5) });
  assert.equal(p.partial, true);
  assert.match(p.partialReason ?? '', /time budget/);
  const q = recoverProgram(image32(a.bytes), { maxInstructions: 100 });
  assert.equal(q.partial, true);
  assert.match(q.partialReason ?? '', /instruction budget/);
});

test('on real x64 DLLs every .pdata function start is recovered', () => {
  const files = wineCorpusFiles().filter((f) => /\/(acledit|kernel32|advapi32)\.dll$/.test(f));
  assert.equal(files.length, 3);
  for (const f of files) {
    const pe = parsePe(new Uint8Array(readFileSync(f)));
    assert.ok(isPeFile(pe));
    const img = codeImageFromPe(pe)!;
    const p = recoverProgram(img);
    const pdata = img.entryPoints.filter((e) => e.kind === 'pdata');
    assert.ok(pdata.length > 0);
    const missing = pdata.filter((e) => !p.functions.has(e.va));
    assert.deepEqual(missing.map((e) => e.va.toString(16)), [], f);
    // Every import call site resolves to an import the file really has.
    const names = new Set([...img.imports.values()].map((i) => i.name));
    for (const imp of p.apiCalls.values()) assert.ok(names.has(imp.name), imp.name ?? '');
    assert.ok(p.apiCalls.size > 10, `${f}: ${p.apiCalls.size} API calls`);
  }
});
