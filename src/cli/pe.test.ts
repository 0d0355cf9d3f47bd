// `firebreak pe`: text and JSON output on the MinGW test programs, and one-line errors with exit 2.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../../test/helpers/cli.js';
import { wineCorpusDir } from '../../test/helpers/corpus.js';
import { buildFixtures, loadConfigFixture } from '../../test/pe/build.js';
import { PYTHON, pefileViews } from '../../test/pe/pefile.js';
import { parsePe, peToJson, type PeFile } from '../formats/pe/index.js';

const fx = buildFixtures();

/** The `== title ==` section of a text report as key/value pairs (first column, rest of the line). */
function textSection(text: string, title: string): Map<string, string> {
  const lines = text.split('\n');
  const start = lines.indexOf(`== ${title} ==`);
  assert.ok(start >= 0, `section ${title}`);
  const out = new Map<string, string>();
  for (let i = start + 1; i < lines.length && lines[i] !== ''; i++) {
    const m = /^ {2}(\S+)\s+(.*)$/.exec(lines[i]!);
    assert.ok(m, lines[i]);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

const num = (v: string): number => Number(v.split(' ')[0]);

/** pefile's DOS_HEADER of each file under its own e_* names (e_res and e_res2 as little-endian words). */
function pefileDosHeaders(files: readonly string[]): Record<string, number | number[]>[] {
  const script = `
import json, sys, pefile
for path in sys.argv[1:]:
    h = pefile.PE(path, fast_load=True).DOS_HEADER
    row = {}
    for (name,) in h.__keys__:
        v = getattr(h, name)
        row[name] = [int.from_bytes(v[i:i + 2], "little") for i in range(0, len(v), 2)] if isinstance(v, bytes) else v
    print(json.dumps(row))
`;
  return execFileSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number | number[]>);
}

const dosFiles = [fx.x86.hello, fx.x64.features, join(wineCorpusDir(), 'ws2_32.dll'), join(wineCorpusDir(), 'notepad.exe')];

test('pe --format text prints every DOS header field, as pefile reads it, before the COFF header', async () => {
  const expected = pefileDosHeaders(dosFiles);
  for (const [i, file] of dosFiles.entries()) {
    const r = await runCli(['pe', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.indexOf('== DOS header ==') < r.stdout.indexOf('== COFF header =='));
    const rows = textSection(r.stdout, 'DOS header');
    const want = expected[i]!;
    assert.equal(Object.keys(want).length, 19);
    for (const [name, value] of Object.entries(want)) {
      const shown = rows.get(name);
      assert.ok(shown !== undefined, `${file}: ${name} shown`);
      assert.deepEqual(Array.isArray(value) ? shown.split(' ').map(Number) : num(shown), value, `${file}: ${name}`);
    }
    const pe = parsePe(readFileSync(file)) as PeFile;
    assert.equal(rows.get('Stub'), `offset 0x40, ${pe.dos.lfanew - 64} bytes`);
  }
});

test('pe --format json carries every DOS header field, as pefile reads it', async () => {
  const views = pefileViews(dosFiles);
  for (const file of dosFiles) {
    const r = await runCli(['pe', '--format', 'json', file]);
    assert.equal(r.status, 0, r.stderr);
    const dos = (JSON.parse(r.stdout) as { dos: Record<string, unknown> }).dos;
    const want = views.get(file)!.dosHeader;
    assert.deepEqual(Object.keys(dos).sort(), [...Object.keys(want), 'stub'].sort());
    const asNumber = (v: unknown): unknown => (typeof v === 'string' ? Number(v) : Array.isArray(v) ? v.map(asNumber) : v);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(asNumber(dos[k]), v, `${file}: ${k}`);
    // Offsets, register values and identifiers are hex strings, counts are numbers, as elsewhere in the document.
    assert.match(String(dos.relocationTableOffset), /^0x[0-9a-f]+$/);
    assert.equal(typeof dos.pageCount, 'number');
  }
});

test('every COFF and optional header field of the JSON is in the text too', async () => {
  // JSON keys that are not header fields of their own: where the header is, and names decoded from a field
  // (shown on that field's text line) or from the timestamp (the summary's Compiled line).
  const derived = new Set(['offset', 'machineName', 'compileTime', 'flags', 'subsystemName', 'dllFlags']);
  for (const file of [fx.x86.hello, fx.x64.features, join(wineCorpusDir(), 'ws2_32.dll')]) {
    const doc = JSON.parse((await runCli(['pe', '--format', 'json', file])).stdout) as Record<string, Record<string, unknown>>;
    const text = (await runCli(['pe', file])).stdout;
    for (const [part, title] of [['coff', 'COFF header'], ['optional', 'Optional header']] as const) {
      const fromJson = Object.entries(doc[part]!)
        .filter(([k, v]) => !derived.has(k) && v !== null)
        .map(([k]) => k[0]!.toUpperCase() + k.slice(1));
      assert.deepEqual([...textSection(text, title).keys()].sort(), fromJson.sort(), `${file}: ${title}`);
    }
    assert.equal(num(textSection(text, 'Optional header').get('Win32VersionValue')!), doc.optional!.win32VersionValue);
  }
});

test('every VS_FIXEDFILEINFO field, as pefile reads it, in the JSON and the text', async () => {
  // winspool.drv is a driver: file type 3 (VFT_DRV) with subtype 1 (VFT2_DRV_PRINTER).
  const files = [join(wineCorpusDir(), 'winspool.drv'), join(wineCorpusDir(), 'ws2_32.dll'), fx.x64.features];
  const views = pefileViews(files);
  const version = (ms: number, ls: number): string => `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
  let subtypes = 0;
  for (const file of files) {
    const want = (views.get(file)!.version?.fixed ?? []).map((f) => ({
      signature: f.signature,
      structVersion: f.structVersion,
      fileVersion: version(f.fileVersionMS!, f.fileVersionLS!),
      productVersion: version(f.productVersionMS!, f.productVersionLS!),
      fileFlagsMask: f.fileFlagsMask,
      fileFlags: f.fileFlags,
      fileOS: f.fileOS,
      fileType: f.fileType,
      fileSubtype: f.fileSubtype,
      fileDateMS: f.fileDateMS,
      fileDateLS: f.fileDateLS,
    }));
    assert.ok(want.length > 0, `${file} has version info`);
    subtypes += want.filter((f) => f.fileSubtype !== 0).length;
    const doc = JSON.parse((await runCli(['pe', '--format', 'json', file])).stdout) as { versionInfo: { fixed: Record<string, string | number> | null }[] };
    const fromJson = doc.versionInfo.flatMap((v) => (v.fixed === null ? [] : [v.fixed])).map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('0x') ? Number(v) : v])));
    assert.deepEqual(fromJson, want, file);
    const text = (await runCli(['pe', file])).stdout;
    const titles = [...text.matchAll(/^== (Version information \(language 0x[0-9a-f]{4}\)) ==$/gm)].map((m) => m[1]!);
    const fromText = titles.map((t) => textSection(text, t)).filter((rows) => rows.has('Signature')).map((rows) => {
      const get = (k: string): string => rows.get(k)!.replace(/^\(fixed\)\s+/, '');
      const [dateMs, dateLs] = get('FileDate').split(' ');
      return {
        signature: num(get('Signature')),
        structVersion: num(get('StrucVersion')),
        fileVersion: get('FileVersion'),
        productVersion: get('ProductVersion'),
        fileFlagsMask: num(get('FileFlagsMask')),
        fileFlags: num(get('FileFlags')),
        fileOS: num(get('FileOS')),
        fileType: num(get('FileType')),
        fileSubtype: num(get('FileSubtype')),
        fileDateMS: Number(dateMs),
        fileDateLS: Number(dateLs),
      };
    });
    assert.deepEqual(fromText, want, file);
  }
  assert.ok(subtypes > 0, 'a non-zero file subtype was compared');
});

test('a part the file lacks is left out of the text, not printed as a table with no rows', async () => {
  // ws2_32.dll has neither bound imports nor a debug directory; the others have them, and one has bound imports.
  const files = [join(wineCorpusDir(), 'ws2_32.dll'), fx.x64.features, loadConfigFixture(fx.x86.hello), fx.x86.hello];
  const parts: [string, (pe: PeFile) => number][] = [
    ['Bound imports', (pe) => pe.boundImports.length],
    ['Debug directory', (pe) => pe.debug.length],
    ['Resources', (pe) => pe.resourceList.length],
    ['Delay-load imports', (pe) => pe.delayImports.length],
    ['Certificates', (pe) => pe.certificates.length],
  ];
  const seen = new Map<string, [number, number]>();
  for (const file of files) {
    const pe = parsePe(readFileSync(file)) as PeFile;
    const text = (await runCli(['pe', file])).stdout;
    for (const [title, count] of parts) {
      const n = count(pe);
      assert.equal(text.includes(`\n== ${title} ==\n`), n > 0, `${file}: ${title} (${n})`);
      const [absent, present] = seen.get(title) ?? [0, 0];
      seen.set(title, n > 0 ? [absent, present + 1] : [absent + 1, present]);
    }
    // No section ends in a table header with no rows under it.
    for (const body of text.split(/\n== [^\n]+ ==\n/).slice(1)) assert.ok(body.split('\n\n')[0]!.trim() !== '', `${file}: an empty section`);
  }
  for (const title of ['Bound imports', 'Debug directory']) assert.deepEqual(seen.get(title)!.map((n) => n > 0), [true, true], `${title} seen absent and present`);
});

test('pe --format text prints the summary and aligned tables', async () => {
  const r = await runCli(['pe', fx.x64.features]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const pe = parsePe(readFileSync(fx.x64.features)) as PeFile;
  assert.match(r.stdout, /^File\s+\S+features-x64-[0-9a-f]+\.exe$/m);
  assert.match(r.stdout, new RegExp(`^Imphash\\s+${pe.imphash}$`, 'm'));
  assert.match(r.stdout, /^PDB\s+features-x64\.pdb \(RSDS [0-9A-F-]{36}, age 1\)$/m);
  for (const title of ['COFF header', 'Optional header', 'Data directories', 'Sections', 'Imports', 'Delay-load imports', 'TLS', 'Resources', 'Anomalies']) {
    assert.match(r.stdout, new RegExp(`^== ${title}`, 'm'), title);
  }
  // Every section is a row whose columns line up under the header.
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => /^\s+#\s+Name\s+VirtAddr/.test(l));
  const col = lines[header]!.indexOf('VirtAddr');
  for (let i = 1; i <= pe.sections.length; i++) assert.equal(lines[header + i]!.slice(col, col + 10), `0x${pe.sections[i - 1]!.virtualAddress.toString(16).padStart(8, '0')}`);
  assert.match(r.stdout, /ws2_32\.dll \(4 functions\)/);
  assert.match(r.stdout, /\s115\s+WSAStartup/);
});

test('pe --format json prints the full parse with hex addresses', async () => {
  const r = await runCli(['pe', '--format', 'json', fx.x86.exports]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  const pe = parsePe(readFileSync(fx.x86.exports)) as PeFile;
  assert.deepEqual(doc, JSON.parse(JSON.stringify(peToJson(pe))));
  const exp = doc.exports as { symbols: { name: string | null; rva: string; forwarder: string | null }[] };
  assert.ok(exp.symbols.every((s) => /^0x[0-9a-f]+$/.test(s.rva)));
  assert.ok(exp.symbols.some((s) => s.forwarder === 'kernel32.GetTickCount'));
});

test('a missing file, a directory and a non-PE file each give one line and exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-pe-'));
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'just text\n');
  const cases: [string, RegExp][] = [
    [join(dir, 'missing.exe'), /missing\.exe: no such file \[E_INPUT_NOT_FOUND\]$/],
    [dir, /not a regular file \[E_INPUT_UNREADABLE\]$/],
    [text, /notes\.txt: not a PE file: no MZ signature \[E_INPUT_MALFORMED\]$/],
  ];
  for (const [path, message] of cases) {
    const r = await runCli(['pe', path]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, message);
  }
});

test('-f is short for --format, as in triage, and the help says so', async () => {
  const short = await runCli(['pe', '-f', 'json', fx.x86.hello]);
  const long = await runCli(['pe', '--format', 'json', fx.x86.hello]);
  assert.equal(short.status, 0, short.stderr);
  assert.equal(short.stdout, long.stdout);
  assert.ok(short.stdout.startsWith('{'));
  const help = await runCli(['pe', '--help']);
  assert.match(help.stdout, /^\s+-f, --format <format>/m);
  const bad = await runCli(['pe', '-f', 'xml', fx.x86.hello]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr.trim(), /argument 'xml' is invalid.*\[E_USAGE\]$/);
});

test('a bad --format is a usage error with exit 2', async () => {
  const r = await runCli(['pe', '--format', 'xml', fx.x86.hello]);
  assert.equal(r.status, 2);
  assert.match(r.stderr.trim(), /argument 'xml' is invalid.*\[E_USAGE\]$/);
});

test('pe is listed in the usage', async () => {
  const r = await runCli(['--help']);
  assert.match(r.stdout, /^\s+pe\s+take a Windows executable apart/m);
});
