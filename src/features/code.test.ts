// Code-scope features on hand-assembled code: numbers, offsets, strings, bytes and every capa characteristic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeImage, ImportRef } from '../code/image.js';
import { recoverProgram } from '../code/recover.js';
import { CodeFeatures } from './code.js';
import { featureText } from './feature.js';
import { carveEmbeddedPe, fileStrings } from './filescan.js';
import { extractFileFeatures, type FileFacts } from './file.js';
import { fileOffsetAddress } from './featureset.js';

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

function image(bitness: 32 | 64, code: number[], data: number[], imports: [number, ImportRef][] = []): CodeImage {
  const base = bitness === 32 ? 0x400000 : 0x140000000;
  return {
    bitness,
    imageBase: base,
    sizeOfImage: 0x5000,
    headers: new Uint8Array(0x400),
    sections: [
      { name: '.text', va: base + 0x1000, virtualSize: 0x1000, data: Uint8Array.from(code), executable: true, writable: false },
      { name: '.data', va: base + 0x2000, virtualSize: 0x1000, data: Uint8Array.from(data), executable: false, writable: true },
      { name: '.text2', va: base + 0x3000, virtualSize: 0x1000, data: Uint8Array.from([0xc3]), executable: true, writable: false },
    ],
    entryPoints: [{ va: base + 0x1000, kind: 'entry' }],
    imports: new Map(imports),
    relocatedSlots: null,
  };
}

/** Every feature of every function, as `text@address` lines. */
function features(img: CodeImage): Set<string> {
  const p = recoverProgram(img);
  const cf = new CodeFeatures(p);
  const out = new Set<string>();
  const sink = (f: Parameters<Parameters<CodeFeatures['function']>[1]>[0], a?: number) => out.add(`${featureText(f)}@${a?.toString(16)}`);
  for (const f of p.functions.values()) {
    cf.function(f, sink);
    for (const bb of f.blocks) {
      cf.basicBlock(f, bb, sink);
      for (const i of bb.insns) cf.instruction(f, bb, i, sink);
    }
  }
  return out;
}

test('x86: numbers, operand numbers, offsets, strings and bytes as capa extracts them', () => {
  const code = [
    0x68, ...le32(0x402000), // 401000 push offset "CreateFile path"      -> string, not a number (an address)
    0x68, ...le32(0x00000104), // 401005 push 104h                       -> number, operand[0].number
    0x8b, 0x46, 0x3c, // 40100a mov eax, [esi+3Ch]                        -> offset 0x3c, operand[1].offset
    0x8b, 0x45, 0xfc, // 40100d mov eax, [ebp-4]                          -> no offset (frame pointer)
    0x83, 0xc0, 0x10, // 401010 add eax, 10h                              -> number and offset 0x10
    0x83, 0xc4, 0x08, // 401013 add esp, 8                                -> nothing (stack adjust)
    0xb9, ...le32(0x402020), // 401016 mov ecx, offset table               -> bytes
    0x8d, 0x48, 0x05, // 40101b lea ecx, [eax+5]                          -> offset 5 and number 5
    0xc3,
  ];
  const data = [...Buffer.from('C:\\Windows\\notepad.exe\0', 'latin1')];
  while (data.length < 0x20) data.push(0);
  data.push(0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5); // AES S-box start: not a string
  const f = features(image(32, code, data));
  for (const want of [
    'string("C:\\\\Windows\\\\notepad.exe")@401000',
    'number(0x104)@401005',
    'operand[0].number(0x104)@401005',
    'offset(0x3c)@40100a',
    'operand[1].offset(0x3c)@40100a',
    'number(0x10)@401010',
    'offset(0x10)@401010',
    'bytes(637c777bf26b6fc5)@401016',
    'offset(0x5)@40101b',
    'number(0x5)@40101b',
    'operand[1].number(0x5)@40101b',
  ]) {
    assert.ok(f.has(want), `missing ${want}`);
  }
  assert.ok(![...f].some((x) => x.startsWith('number(0x402000)')), 'an address is not a number');
  assert.ok(![...f].some((x) => x.endsWith('@40100d') && x.startsWith('offset')), 'frame offsets are not structure offsets');
  assert.ok(![...f].some((x) => x.endsWith('@401013') && x.startsWith('number')), 'add esp is not a number');
});

test('characteristics: nzxor, tight loop, peb/fs/gs access, indirect call, call $+5, calls from/to, recursive call, cross section flow', () => {
  const code = [
    0x64, 0xa1, ...le32(0x30), // 401000 mov eax, fs:[30h]            -> peb access, fs access
    0x31, 0xc0, // 401006 xor eax, eax                                -> zeroing: no nzxor
    0x31, 0xd8, // 401008 L: xor eax, ebx                             -> nzxor (after the first block)
    0x49, // 40100a dec ecx
    0x75, 0xfb, // 40100b jne L                                       -> tight loop
    0xff, 0xd0, // 40100d call eax                                    -> indirect call
    0xe8, 0x00, 0x00, 0x00, 0x00, // 40100f call $+5                  -> call $+5
    0xe8, ...le32(0x401030 - 0x401019), // 401014 call 401030         -> calls from @401030
    0xe8, ...le32(0x403000 - 0x40101e), // 401019 call 403000 (other section) -> cross section flow
    0xc3, // 40101e
  ];
  while (code.length < 0x30) code.push(0xcc);
  code.push(0x85, 0xc0, 0x74, 0x05, 0xe8, ...le32(0x401030 - 0x401039), 0xc3); // 401030 recursive function
  const f = features(image(32, code, []));
  for (const want of [
    'characteristic(peb access)@401000',
    'characteristic(fs access)@401000',
    'characteristic(nzxor)@401008',
    'characteristic(tight loop)@401008',
    'characteristic(indirect call)@40100d',
    'characteristic(call $+5)@40100f',
    'characteristic(calls from)@401030',
    'characteristic(calls to)@401014',
    'characteristic(recursive call)@401030',
    'characteristic(cross section flow)@401019',
    'basic block@401008',
  ]) {
    assert.ok(f.has(want), `missing ${want}`);
  }
  assert.ok(!f.has('characteristic(nzxor)@401006'));
});

test('stack strings: the characteristic, and the string itself', () => {
  // mov dword [ebp-10h], 'kern'; mov dword [ebp-0Ch], 'el32'; mov dword [ebp-8], '.dll'; mov byte [ebp-4], 0; ret
  const code = [
    0xc7, 0x45, 0xf0, ...Buffer.from('kern'),
    0xc7, 0x45, 0xf4, ...Buffer.from('el32'),
    0xc7, 0x45, 0xf8, ...Buffer.from('.dll'),
    0xc6, 0x45, 0xfc, 0x00,
    0xc3,
  ];
  const f = features(image(32, code, []));
  assert.ok(f.has('characteristic(stack string)@401000'));
  assert.ok(f.has('string("kernel32.dll")@401000'));
});

test('x64: gs:[60h] is PEB access; RIP-relative strings and API names with and without A/W', () => {
  const code = [
    0x65, 0x48, 0x8b, 0x04, 0x25, ...le32(0x60), // mov rax, gs:[60h]
    0x48, 0x8d, 0x0d, ...le32(0x140002000 - 0x140001010), // lea rcx, [rip+str]
    0xff, 0x15, ...le32(0x140002100 - 0x140001016), // call [rip+iat]
    0xc3,
  ];
  const data = [...Buffer.from('S\0e\0r\0v\0i\0c\0e\0D\0l\0l\0\0\0', 'latin1')];
  while (data.length < 0x100) data.push(0);
  const f = features(image(64, code, data, [[0x140002100, { dll: 'ADVAPI32.dll', name: 'RegSetValueExW', ordinal: null }]]));
  for (const want of ['characteristic(peb access)@140001000', 'characteristic(gs access)@140001000', 'string("ServiceDll")@140001009', 'api(RegSetValueExW)@140001010', 'api(RegSetValueEx)@140001010']) {
    assert.ok(f.has(want), `missing ${want}`);
  }
});

test('file scope: imports with and without module, exports, forwarded exports, sections, strings, embedded PE', () => {
  const inner = new Uint8Array(0x100);
  inner.set([0x4d, 0x5a]);
  inner.set(le32(0x80), 0x3c);
  inner.set([0x50, 0x45, 0, 0], 0x80);
  const bytes = new Uint8Array(0x400);
  bytes.set(Buffer.from('This program cannot be run\0'), 0x40);
  bytes.set(inner.map((b) => b ^ 0x5a), 0x200); // an embedded PE XOR-ed with 0x5a
  const facts: FileFacts = {
    bytes,
    bitness: 32,
    offsetToVa: (o) => 0x400000 + o,
    imports: [
      { dll: 'KERNEL32.dll', name: 'CreateFileW', ordinal: null, iatVa: 0x402000 },
      { dll: 'WS2_32.dll', name: null, ordinal: 23, iatVa: 0x402004 },
    ],
    exports: [
      { name: 'Start', va: 0x401000, forwarder: null },
      { name: 'Fwd', va: 0x401100, forwarder: 'NTDLL.RtlAllocateHeap' },
    ],
    sections: [{ name: '.text', va: 0x401000 }],
    isDotNet: false,
  };
  const out = new Set<string>();
  extractFileFeatures(facts, (f, a) => out.add(`${featureText(f)}@${a?.toString(16)}`));
  for (const want of [
    'import(kernel32.CreateFileW)@402000',
    'import(CreateFileW)@402000',
    'import(kernel32.CreateFile)@402000',
    'import(CreateFile)@402000',
    'import(ws2_32.#23)@402004',
    'export(Start)@401000',
    'export(ntdll.RtlAllocateHeap)@401100',
    'characteristic(forwarded export)@401100',
    'section(.text)@401000',
    'string("This program cannot be run")@400040',
    `characteristic(embedded pe)@${fileOffsetAddress(0x200).toString(16)}`,
  ]) {
    assert.ok(out.has(want), `missing ${want}`);
  }
  assert.deepEqual(carveEmbeddedPe(bytes), [0x200]);
  assert.deepEqual(
    fileStrings(Uint8Array.from(Buffer.from('ab\0abcd\0\0\0w\0i\0d\0e\0\0', 'latin1'))).map((s) => [s.value, s.offset]),
    [['abcd', 3], ['wide', 10]],
  );
});
