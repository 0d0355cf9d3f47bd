// Every anomaly code, from a malformed copy of a clean MinGW-built program made by test/pe/malform.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildFixtures } from '../../../test/pe/build.js';
import { overlappingSections } from '../../../test/pe/adversarial.js';
import { PeEditor, noise, withRichHeader, zerosAndEven } from '../../../test/pe/malform.js';
import { peChecksum } from './checksum.js';
import { entropy } from './entropy.js';
import { planCount, provingCount } from './entropybound.js';
import { HIGH_ENTROPY_THRESHOLD, parsePe, type PeFile } from './index.js';
import type { ParsePeOptions } from './types.js';

const fx = buildFixtures();
/** The real clock: the fixtures carry their build time, which must not count as the future. */
const NOW = Date.now();

function parse(bytes: Uint8Array, options: ParsePeOptions = {}): PeFile {
  const pe = parsePe(bytes, { now: NOW, ...options });
  assert.ok(pe.isPe, 'still a PE file');
  return pe;
}

function codes(pe: PeFile): string[] {
  return pe.anomalies.map((a) => a.code);
}

/** Asserts `code` is absent from the clean file and present in the edited one, with an offset when `withOffset`. */
function expectAnomaly(clean: Uint8Array, edited: Uint8Array, code: string, withOffset = true, options: ParsePeOptions = {}): void {
  assert.ok(!codes(parse(clean)).includes(code), `${code} is not raised on the clean file`);
  const pe = parse(edited, options);
  const hits = pe.anomalies.filter((a) => a.code === code);
  assert.ok(hits.length > 0, `${code} expected, got ${JSON.stringify(codes(pe))}`);
  if (withOffset) assert.ok(hits.some((a) => typeof a.offset === 'number' && a.offset >= 0), `${code} carries an offset`);
  assert.ok(!codes(pe).includes('PE_PARSER_ERROR'), 'no parser error');
}

for (const arch of ['x86', 'x64'] as const) {
  const exe = readFileSync(fx[arch].features);
  const dll = readFileSync(fx[arch].exports);
  const ed = (b: Uint8Array = exe): PeEditor => new PeEditor(b);

  test(`${arch}: the clean test programs have no anomalies`, () => {
    assert.deepEqual(codes(parse(exe)), []);
    assert.deepEqual(codes(parse(dll)), []);
  });

  test(`${arch}: entry point outside every section`, () => {
    const e = ed();
    expectAnomaly(exe, e.entryPoint(e.outsideRva()).bytes, 'PE_EP_OUTSIDE_SECTIONS');
  });

  test(`${arch}: entry point in a writable section`, () => {
    const e = ed();
    expectAnomaly(exe, e.entryPoint(e.pe.sections[e.sectionIndex('.data')]!.virtualAddress + 0x10).bytes, 'PE_EP_IN_WRITABLE_SECTION');
  });

  test(`${arch}: overlapping sections`, () => {
    const e = ed();
    const rdata = e.sectionIndex('.rdata');
    expectAnomaly(exe, e.section(rdata, 'virtualAddress', e.pe.sections[e.sectionIndex('.data')]!.virtualAddress).bytes, 'PE_SECTIONS_OVERLAP');
  });

  test(`${arch}: sections sharing file bytes`, () => {
    const e = ed();
    const rdata = e.sectionIndex('.rdata');
    expectAnomaly(exe, e.section(rdata, 'pointerToRawData', e.pe.sections[e.sectionIndex('.data')]!.pointerToRawData).bytes, 'PE_SECTIONS_OVERLAP');
  });

  test(`${arch}: a zero-sized section`, () => {
    const e = ed();
    const last = e.pe.sections.length - 1;
    expectAnomaly(exe, e.section(last, 'virtualSize', 0).section(last, 'sizeOfRawData', 0).bytes, 'PE_SECTION_ZERO_SIZE');
  });

  test(`${arch}: a section's raw data beyond the file`, () => {
    const e = ed();
    const last = e.pe.sections.length - 1;
    expectAnomaly(exe, e.section(last, 'sizeOfRawData', exe.length).bytes, 'PE_SECTION_RAW_BEYOND_FILE');
  });

  test(`${arch}: timestamp zero and in the future`, () => {
    expectAnomaly(exe, ed().timeDateStamp(0).bytes, 'PE_TIMESTAMP_ZERO');
    expectAnomaly(exe, ed().timeDateStamp(Math.floor(NOW / 1000) + 10 * 365 * 86400).bytes, 'PE_TIMESTAMP_FUTURE');
  });

  test(`${arch}: checksum mismatch`, () => {
    const e = ed();
    assert.notEqual(e.pe.optional.checkSum, 0, 'the linker wrote a checksum');
    expectAnomaly(exe, e.checkSum(e.pe.optional.checkSum ^ 0x10).bytes, 'PE_CHECKSUM_MISMATCH');
  });

  test(`${arch}: import table outside the image, and cut short by the end of the file`, () => {
    const e = ed();
    expectAnomaly(exe, e.directory(1, e.outsideRva(), 40).bytes, 'PE_IMPORTS_TRUNCATED');
    const cut = ed();
    const at = cut.offsetOf(cut.pe.dataDirectories[1]!.virtualAddress) + 30;
    const pe = parse(cut.truncate(at));
    assert.ok(codes(pe).includes('PE_IMPORTS_TRUNCATED'), JSON.stringify(codes(pe)));
    assert.ok(codes(pe).includes('PE_SECTION_RAW_BEYOND_FILE'));
  });

  test(`${arch}: export tables running out of the image`, () => {
    const e = ed(dll);
    const dirOff = e.offsetOf(e.pe.dataDirectories[0]!.virtualAddress);
    expectAnomaly(dll, e.u32(dirOff + 20, 0xffff).bytes, 'PE_EXPORTS_TRUNCATED');
    const moved = ed(dll);
    expectAnomaly(dll, moved.directory(0, moved.outsideRva(), 40).bytes, 'PE_EXPORTS_TRUNCATED');
  });

  test(`${arch}: counts over the limits`, () => {
    const e = ed(dll);
    const dirOff = e.offsetOf(e.pe.dataDirectories[0]!.virtualAddress);
    expectAnomaly(dll, e.u32(dirOff + 20, 0x20000).bytes, 'PE_LIMIT_EXCEEDED');
    // The same path for sections, through a lowered limit (a real file needs 2049 section headers).
    const pe = parse(exe, { limits: { maxSections: 3 } });
    assert.ok(codes(pe).includes('PE_LIMIT_EXCEEDED'));
    assert.equal(pe.sections.length, 3);
    const tls = parse(exe, { limits: { maxTlsCallbacks: 1 } });
    assert.equal(tls.tls?.callbacks.length, 1);
    assert.ok(codes(tls).includes('PE_LIMIT_EXCEEDED'));
  });

  test(`${arch}: header fields inconsistent with the file`, () => {
    expectAnomaly(exe, ed().sizeOfImage(0x1000).bytes, 'PE_HEADER_INCONSISTENT');
    const e = ed();
    expectAnomaly(exe, e.u32(e.optionalOffset + 60, exe.length + 0x1000).bytes, 'PE_HEADER_INCONSISTENT');
  });

  test(`${arch}: the file ends inside the headers`, () => {
    const e = ed();
    const pe = parse(e.truncate(e.pe.coff.offset + 10));
    assert.ok(codes(pe).includes('PE_HEADER_TRUNCATED'));
    assert.equal(pe.sections.length, 0);
  });

  test(`${arch}: an unusual section name`, () => {
    const e = ed();
    expectAnomaly(exe, e.sectionName(e.sectionIndex('.text'), 'UPX0').bytes, 'PE_SECTION_NAME_UNUSUAL');
    expectAnomaly(exe, ed().sectionName(0, '\x01\x7f').bytes, 'PE_SECTION_NAME_UNUSUAL');
  });

  test(`${arch}: a high-entropy section`, () => {
    const e = ed();
    const text = e.pe.sections[e.sectionIndex('.text')]!;
    e.bytes.set(noise(text.sizeOfRawData), text.pointerToRawData);
    expectAnomaly(exe, e.bytes, 'PE_SECTION_HIGH_ENTROPY');
    assert.ok(parse(e.bytes).sections[text.index]!.entropy > 7.9);
  });

  test(`${arch}: sections just under and just over the entropy threshold are told apart exactly`, () => {
    const text = ed().pe.sections[ed().sectionIndex('.text')]!;
    const n = text.sizeOfRawData;
    const c = provingCount(n, 0, HIGH_ENTROPY_THRESHOLD)!;
    const seen = new Set<boolean>();
    for (let zeros = c - 12; zeros <= c + 2; zeros++) {
      const e = ed();
      const data = zerosAndEven(n, zeros, zeros);
      e.bytes.set(data, text.pointerToRawData);
      const above = entropy(data) > HIGH_ENTROPY_THRESHOLD;
      seen.add(above);
      const flagged = parse(e.bytes).anomalies.some((a) => a.code === 'PE_SECTION_HIGH_ENTROPY' && a.offset === text.dataStart);
      assert.equal(flagged, above, `${zeros} zeros in ${n} bytes: entropy ${entropy(data)}`);
    }
    assert.deepEqual([...seen].sort(), [false, true], 'both sides of the threshold were tried');
  });

  test(`${arch}: a section whose sampled bytes are zeros and the rest noise is still flagged`, () => {
    // The largest section is long enough to be sampled; the sample sees only zeros and so counts zero bytes first.
    const e = ed();
    const big = [...e.pe.sections].sort((a, b) => b.sizeOfRawData - a.sizeOfRawData)[0]!;
    const data = noise(big.sizeOfRawData, 77);
    const plan = planCount(new Uint8Array(data.length), 0, data.length, HIGH_ENTROPY_THRESHOLD)!;
    assert.ok(plan.segments > 1, 'the section is sampled');
    for (let i = 0; i < plan.segments; i++) data.fill(0, plan.bounds[i]!, plan.bounds[i]! + 64);
    assert.ok(entropy(data) > HIGH_ENTROPY_THRESHOLD);
    e.bytes.set(data, big.pointerToRawData);
    assert.ok(parse(e.bytes).anomalies.some((a) => a.code === 'PE_SECTION_HIGH_ENTROPY' && a.offset === big.dataStart));
  });

  test(`${arch}: a section claiming bytes past the end of the file does not use up the hashing budget`, () => {
    // Before, such a section counted its claimed size against the budget, so one of them switched the high-entropy
    // check off for every section after it.
    const e = ed();
    const text = e.pe.sections[e.sectionIndex('.text')]!;
    e.bytes.set(noise(text.sizeOfRawData), text.pointerToRawData);
    const first = e.pe.sections.findIndex((s) => s.index !== text.index && s.sizeOfRawData > 0);
    e.section(first, 'pointerToRawData', 0xfff00000).section(first, 'sizeOfRawData', 0x7ff00000);
    const pe = parse(e.bytes);
    assert.ok(pe.anomalies.some((a) => a.code === 'PE_SECTION_HIGH_ENTROPY' && a.offset === text.dataStart));
    assert.ok(!pe.anomalies.some((a) => a.code === 'PE_LIMIT_EXCEEDED'), JSON.stringify(pe.anomalies.filter((a) => a.code === 'PE_LIMIT_EXCEEDED')));
    assert.ok(pe.sectionStats().every((st) => st.entropy !== null && st.md5 !== null));
  });

  test(`${arch}: a stored checksum of zero means "not set": no mismatch, and the computed value is still there`, () => {
    const e = ed().checkSum(0);
    const pe = parse(e.bytes);
    assert.ok(!codes(pe).includes('PE_CHECKSUM_MISMATCH'));
    assert.equal(pe.checksum.stored, 0);
    assert.equal(pe.checksum.computed, peChecksum(e.bytes, pe.optional.offset + 64));
    assert.equal(pe.checksum.computed, parse(exe).optional.checkSum, 'the linker wrote the same checksum');
    assert.deepEqual(JSON.parse(JSON.stringify(pe.checksum)), { stored: 0, computed: pe.checksum.computed });
  });

  test(`${arch}: a writable and executable section`, () => {
    const e = ed();
    const text = e.sectionIndex('.text');
    expectAnomaly(exe, e.section(text, 'characteristics', e.pe.sections[text]!.characteristics | 0x80000000).bytes, 'PE_SECTION_WX');
  });

  test(`${arch}: a resource directory that contains itself`, () => {
    const e = ed();
    const root = e.offsetOf(e.pe.dataDirectories[2]!.virtualAddress);
    const typeDir = e.offsetOf(e.pe.dataDirectories[2]!.virtualAddress + (e.bytes.readUInt32LE(root + 20) & 0x7fffffff));
    e.u32(typeDir + 20, 0x80000000);
    expectAnomaly(exe, e.bytes, 'PE_RESOURCE_LOOP');
    const pe = parse(e.bytes);
    assert.ok(pe.resources !== null);
  });

  test(`${arch}: a Rich header whose key is not its checksum`, () => {
    const entries = [
      { productId: 0x0104, build: 30795, count: 12 },
      { productId: 0x0105, build: 30795, count: 3 },
    ];
    const good = parse(withRichHeader(exe, entries, true));
    assert.equal(good.rich?.checksumValid, true);
    assert.deepEqual(good.rich?.entries, entries);
    expectAnomaly(exe, withRichHeader(exe, entries, false), 'PE_RICH_CHECKSUM_MISMATCH');
  });

  test(`${arch}: a version resource that is not VS_VERSION_INFO`, () => {
    const e = ed();
    const leaf = e.pe.resourceList.find((r) => r.type === 16)!;
    e.bytes.write('X', leaf.offset! + 6, 'utf16le');
    expectAnomaly(exe, e.bytes, 'PE_VERSIONINFO_MALFORMED');
  });

  test(`${arch}: TLS callbacks outside the image`, () => {
    const e = ed();
    const tls = e.offsetOf(e.pe.dataDirectories[9]!.virtualAddress);
    const va = e.pe.imageBase + BigInt(e.outsideRva());
    if (e.pe.is64) e.bytes.writeBigUInt64LE(va, tls + 24);
    else e.u32(tls + 12, Number(va));
    expectAnomaly(exe, e.bytes, 'PE_TLS_TRUNCATED', false);
  });

  const outside: [number, string, number][] = [
    [2, 'PE_RESOURCES_TRUNCATED', 16],
    [5, 'PE_RELOCATIONS_TRUNCATED', 8],
    [6, 'PE_DEBUG_TRUNCATED', 28],
    [9, 'PE_TLS_TRUNCATED', 24],
    [10, 'PE_LOADCONFIG_TRUNCATED', 0x40],
    [11, 'PE_BOUND_IMPORTS_TRUNCATED', 8],
    [13, 'PE_DELAY_IMPORTS_TRUNCATED', 32],
    [14, 'PE_CLR_MALFORMED', 72],
  ];
  for (const [dir, code, size] of outside) {
    test(`${arch}: directory ${dir} pointing outside the image gives ${code}`, () => {
      const e = ed();
      expectAnomaly(exe, e.directory(dir, e.outsideRva(), size).bytes, code, false);
    });
  }

  if (arch === 'x64') {
    test('x64: exception directory outside the image', () => {
      const e = ed();
      expectAnomaly(exe, e.directory(3, e.outsideRva(), 12).bytes, 'PE_EXCEPTIONS_TRUNCATED', false);
    });
  }

  test(`${arch}: a certificate table running past the end of the file`, () => {
    expectAnomaly(exe, ed().directory(4, exe.length - 4, 0x100).bytes, 'PE_CERTIFICATE_MALFORMED');
  });
}

test('overlapping sections past the hashing budget: the limit is reported and the rest left unhashed', () => {
  const pe = parse(overlappingSections());
  assert.ok(pe.anomalies.some((a) => a.code === 'PE_LIMIT_EXCEEDED' && /entropy not checked/.test(a.message)));
  const stats = pe.sectionStats();
  assert.ok(stats.some((st) => st.entropy === null) && stats.some((st) => st.entropy !== null));
});
