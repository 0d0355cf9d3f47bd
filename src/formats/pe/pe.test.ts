// parsePe on non-PE input and on the MinGW test programs: headers, parts, address reads, summary and JSON.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildFixtures } from '../../../test/pe/build.js';
import { withBoundImports, withClrHeader, withLoadConfig } from '../../../test/pe/malform.js';
import {
  offsetToRva,
  parsePe,
  peSummary,
  peToJson,
  readAtRva,
  readStringAtRva,
  readUtf16AtRva,
  relocationTargets,
  rvaToVa,
  rvaToOffset,
  sectionAt,
  vaToRva,
  type PeFile,
} from './index.js';

const fx = buildFixtures();

function load(path: string): PeFile {
  const pe = parsePe(readFileSync(path));
  assert.ok(pe.isPe);
  return pe;
}

test('non-PE input gives isPe false with a reason', () => {
  const mz = new Uint8Array(256);
  mz.set([0x4d, 0x5a]);
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(0), /no MZ/],
    [Uint8Array.from([0x4d, 0x5a, 0, 0]), /shorter than a DOS header/],
    [new Uint8Array(64), /no MZ/],
    [Uint8Array.from([0x5a, 0x4d, ...new Uint8Array(100)]), /ZM/],
    [mz, /no PE signature/],
  ];
  const ne = Uint8Array.from(mz);
  ne[0x3c] = 0x80;
  ne.set([0x4e, 0x45], 0x80);
  cases.push([ne, /NE executable/]);
  const far = Uint8Array.from(mz);
  new DataView(far.buffer).setUint32(0x3c, 0xfffffff0, true);
  cases.push([far, /past the end/]);
  for (const [bytes, reason] of cases) {
    const r = parsePe(bytes);
    assert.equal(r.isPe, false);
    if (!r.isPe) assert.match(r.reason, reason);
  }
});

for (const arch of ['x86', 'x64'] as const) {
  const is64 = arch === 'x64';

  test(`${arch}: headers and sections of the test program`, () => {
    const pe = load(fx[arch].features);
    assert.equal(pe.is64, is64);
    assert.equal(pe.coff.machineName, is64 ? 'AMD64' : 'I386');
    assert.equal(pe.optional.subsystemName, 'WINDOWS_CUI');
    assert.equal(pe.isDll, false);
    assert.equal(pe.dataDirectories.length, 16);
    const text = pe.sections.find((s) => s.name === '.text')!;
    assert.ok(text.flags.includes('MEM_EXECUTE') && text.flags.includes('CNT_CODE'));
    assert.equal(pe.entryPoint.section, text.index);
    assert.equal(pe.entryPoint.va, pe.imageBase + BigInt(pe.optional.addressOfEntryPoint));
    assert.ok(pe.sections.some((s) => s.name.startsWith('/') && s.longName?.startsWith('.debug_')), 'long section names resolved');
  });

  test(`${arch}: optional parts parse on first use`, () => {
    const pe = load(fx[arch].features);
    assert.deepEqual(pe.parsedParts, []);
    void pe.exports;
    assert.deepEqual(pe.parsedParts, ['exports']);
    void pe.anomalies;
    assert.ok(pe.parsedParts.length >= 13);
  });

  test(`${arch}: each import's IAT slot holds its lookup entry, and names read back at their RVAs`, () => {
    const pe = load(fx[arch].features);
    const width = is64 ? 8 : 4;
    let n = 0;
    for (const dll of pe.imports) {
      for (const f of dll.functions) {
        const slot = readAtRva(pe, f.iatRva, width)!;
        const entry = readAtRva(pe, f.thunkRva, width)!;
        assert.deepEqual([...slot], [...entry], `${dll.dll}!${f.name}`);
        if (!f.byOrdinal) {
          const nameRva = new DataView(entry.buffer, entry.byteOffset).getUint32(0, true);
          assert.equal(readStringAtRva(pe, nameRva + 2), f.name);
        }
        n++;
      }
    }
    assert.ok(n > 20);
    const ws = pe.imports.find((d) => d.dll === 'ws2_32.dll')!;
    assert.deepEqual(
      ws.functions.map((f) => [f.ordinal, f.name]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [3, 'closesocket'],
        [23, 'socket'],
        [115, 'WSAStartup'],
        [499, 'ord499'],
      ],
    );
    const ole = pe.imports.find((d) => d.dll === 'oleaut32.dll')!;
    assert.deepEqual(ole.functions.map((f) => f.name), ['SysAllocString', 'VariantInit']);
  });

  test(`${arch}: delay imports, TLS callbacks, version info, manifest, CodeView`, () => {
    const pe = load(fx[arch].features);
    assert.deepEqual(pe.delayImports.map((d) => [d.dll, d.functions.map((f) => f.name)]), [['shlwapi.dll', ['PathFileExistsA', 'PathIsRelativeA']]]);
    const cbs = pe.tls!.callbacks;
    assert.ok(cbs.length >= 2);
    for (const cb of cbs) assert.equal(sectionAt(pe, cb.rva!)?.name, '.text');
    const v = pe.versionInfo[0]!;
    assert.equal(v.fixed?.fileVersion, '1.2.3.4');
    const strings = Object.fromEntries(v.stringTables[0]!.entries);
    assert.equal(strings.CompanyName, 'Firebreak test fixtures');
    assert.equal(strings.Comments, 'Unicode: été über Ω');
    assert.deepEqual(v.translations, [{ language: 0x409, codePage: 1200 }]);
    assert.match(pe.manifest ?? '', /<assemblyIdentity type="win32" name="Firebreak.Test.Features"/);
    assert.equal(pe.codeView?.format, 'RSDS');
    assert.equal(pe.codeView?.pdbPath, `features-${arch}.pdb`);
    assert.match(pe.codeView?.guid ?? '', /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  test(`${arch}: exports by name, by ordinal only, aliases and forwarders`, () => {
    const pe = load(fx[arch].exports);
    assert.equal(pe.isDll, true);
    const exp = pe.exports!;
    assert.equal(exp.name, 'exports.dll');
    const byName = new Map(exp.symbols.map((s) => [s.name, s]));
    assert.equal(byName.get('fb_mul')?.ordinal, 5);
    assert.equal(byName.get('fb_alias')?.rva, byName.get('fb_alias_target')?.rva);
    assert.equal(byName.get('fb_forward')?.forwarder, 'kernel32.GetTickCount');
    const hidden = exp.symbols.find((s) => s.ordinal === 7)!;
    assert.equal(hidden.name, null);
    assert.equal(sectionAt(pe, hidden.rva)?.name, '.text');
  });

  test(`${arch}: address conversions agree with each other and with objdump's section table`, () => {
    const pe = load(fx[arch].features);
    const tool = `${is64 ? 'x86_64' : 'i686'}-w64-mingw32-objdump`;
    const table = execFileSync(tool, ['-h', fx[arch].features], { encoding: 'utf8' });
    for (const s of pe.sections) {
      const label = s.longName ?? s.name;
      const line = table.split('\n').find((l) => l.trim().split(/\s+/)[1] === label);
      assert.ok(line, `objdump lists ${label}`);
      const [, , size, vma, , fileOff] = line.trim().split(/\s+/);
      assert.equal(BigInt(`0x${vma}`), pe.imageBase + BigInt(s.virtualAddress), `${label} VMA`);
      assert.equal(parseInt(size!, 16), s.virtualSize || s.sizeOfRawData, `${label} size`);
      if (s.sizeOfRawData > 0) {
        assert.equal(rvaToOffset(pe, s.virtualAddress), parseInt(fileOff!, 16));
        assert.equal(offsetToRva(pe, parseInt(fileOff!, 16)), s.virtualAddress);
      }
    }
    assert.equal(vaToRva(pe, pe.entryPoint.va), pe.entryPoint.rva);
    assert.equal(rvaToVa(pe, pe.entryPoint.rva), pe.entryPoint.va);
    const version = pe.resourceList.find((r) => r.type === 16)!;
    assert.equal(readUtf16AtRva(pe, version.rva + 6), 'VS_VERSION_INFO');
    assert.equal(readUtf16AtRva(pe, 0x7fffffff), null);
    assert.equal(vaToRva(pe, pe.imageBase - 1n), null);
  });

  test(`${arch}: relocations and exception directory`, () => {
    const pe = load(fx[arch].exports);
    const rel = pe.relocations!;
    assert.ok(rel.entryCount > 0);
    const targets = relocationTargets(pe);
    assert.ok(targets.length > 0);
    assert.ok(targets.every((t) => t.type === (is64 ? 10 : 3)));
    const ex = pe.exceptions;
    if (is64) {
      assert.ok(ex.length > 0);
      assert.ok(ex.every((f) => f.beginRva < f.endRva && sectionAt(pe, f.beginRva)?.name === '.text'));
    } else {
      assert.deepEqual(ex, []);
    }
  });

  test(`${arch}: summary and JSON`, () => {
    const pe = load(fx[arch].features);
    const s = peSummary(pe);
    assert.equal(s.machine, is64 ? 'AMD64' : 'I386');
    assert.equal(s.isDll, false);
    assert.equal(s.is64, is64);
    assert.equal(s.compileTime, new Date(pe.coff.timeDateStamp * 1000).toISOString());
    assert.equal(s.imphash, pe.imphash);
    assert.match(s.imphash ?? '', /^[0-9a-f]{32}$/);
    assert.equal(s.pdbPath, `features-${arch}.pdb`);
    assert.equal(s.signer, null);
    assert.deepEqual(s.anomalies, []);
    const j = JSON.parse(JSON.stringify(peToJson(pe))) as Record<string, any>;
    assert.equal(j.optional.imageBase, `0x${pe.imageBase.toString(16)}`);
    assert.equal(j.imports[0].functions[0].iatRva, `0x${pe.imports[0]!.functions[0]!.iatRva.toString(16)}`);
    assert.equal(j.sections.length, pe.sections.length);
  });

  test(`${arch}: a load configuration with security cookie and Control Flow Guard, and bound imports`, () => {
    const plain = load(fx[arch].hello);
    assert.equal(plain.loadConfig, null);
    assert.deepEqual(plain.boundImports, []);
    const pe = parsePe(withBoundImports(withLoadConfig(readFileSync(fx[arch].hello))));
    assert.ok(pe.isPe);
    const lc = pe.loadConfig!;
    const data = pe.sections.find((s) => s.name === '.data')!;
    assert.equal(lc.size, is64 ? 148 : 92);
    assert.equal(lc.securityCookie, pe.imageBase + BigInt(data.virtualAddress + 0x10));
    assert.deepEqual(lc.guardFlagNames, ['CF_INSTRUMENTED', 'CF_FUNCTION_TABLE_PRESENT', 'CF_LONGJUMP_TABLE_PRESENT']);
    assert.equal(lc.cfgEnabled, true);
    assert.deepEqual(
      pe.boundImports.map((b) => [b.name, b.timeDateStamp, b.forwarders.map((f) => f.name)]),
      [
        ['KERNEL32.dll', 0x5ea1b2c3, ['NTDLL.DLL']],
        ['msvcrt.dll', 0x5ea1b2c5, []],
      ],
    );
    assert.deepEqual(pe.anomalies, []);
  });

  test(`${arch}: a .NET CLR header and its runtime version`, () => {
    const pe = parsePe(withClrHeader(readFileSync(fx[arch].hello), 'v4.0.30319', 0x3));
    assert.ok(pe.isPe);
    assert.equal(pe.clr?.runtimeVersion, 'v4.0.30319');
    assert.deepEqual(pe.clr?.flagNames, ['ILONLY', '32BITREQUIRED']);
    assert.equal(`${pe.clr?.majorRuntimeVersion}.${pe.clr?.minorRuntimeVersion}`, '2.5');
    assert.equal(load(fx[arch].hello).clr, null);
  });
}
