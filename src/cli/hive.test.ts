import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/cli.js';
import { buildHive, dword } from '../../test/regf/builder.js';
import { allTypeValues, SYSTEM_FILE_NAME, systemTree } from '../../test/regf/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'fb-hive-cli-'));
const system = join(dir, 'SYSTEM');
const tree = systemTree({ infected: true });
tree.subkeys!.push({ name: 'Types', values: allTypeValues(), className: 'K' });
writeFileSync(system, buildHive(tree, { fileName: SYSTEM_FILE_NAME }).bytes);
const notHive = join(dir, 'notes.txt');
writeFileSync(notHive, 'just text\n');
const damaged = join(dir, 'damaged');
writeFileSync(damaged, buildHive({ name: 'ROOT', subkeys: [{ name: 'zero\0key', values: [{ name: 'v', type: 4, data: dword(1) }] }] }).bytes);

test('text: a key by its CurrentControlSet path, values rendered by type, subkeys listed', async () => {
  const r = await runCli(['hive', system, '--key', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Nla']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /SYSTEM hive mounted at HKLM\\SYSTEM \(regf 1\.5, sequence 1\/1, checksum ok/);
  assert.ok(lines.includes('# CurrentControlSet is ControlSet001'));
  assert.ok(lines.includes('[HKLM\\SYSTEM\\ControlSet001\\Services\\Nla]  2024-01-02T03:04:05.000Z'));
  assert.ok(lines.includes('  "DisplayName" REG_SZ "@%SystemRoot%\\System32\\nlasvc.dll,-1"'));
  assert.ok(lines.includes('  1 subkey:'));
  assert.ok(lines.includes('    "Parameters"  2024-01-02T03:04:05.000Z'));
});

test('text: every value type reads naturally', async () => {
  const r = await runCli(['hive', system, '--key', 'Types']);
  assert.equal(r.status, 0, r.stderr);
  const has = (line: string) => assert.ok(r.stdout.split('\n').includes(line), `missing: ${line}\n${r.stdout}`);
  has('  class "K"');
  has('  @ REG_SZ "the default value"');
  has('  "Dword" REG_DWORD 0xffffffc4 (4294967236)');
  has('  "DwordBE" REG_DWORD_BIG_ENDIAN 0x01020304 (16909060)');
  has('  "Qword" REG_QWORD 0x1122334455667788 (1234605616436508552)');
  has('  "MultiSz" REG_MULTI_SZ ["first", "second line", "dritte Zeile äöü"]');
  has('  "None" REG_NONE hex:de ad be ef 01');
  has('  "Unknown" 0x20000 hex:01 02 03');
  has('  "EmptySz" REG_SZ ""');
});

test('--recursive lists every key below, once each', async () => {
  const r = await runCli(['hive', system, '--recursive', '--key', 'ControlSet002']);
  assert.equal(r.status, 0, r.stderr);
  const keys = r.stdout.split('\n').filter((l) => l.startsWith('['));
  assert.deepEqual(keys.map((k) => k.replace(/\].*/, ']')), [
    '[HKLM\\SYSTEM\\ControlSet002]',
    '[HKLM\\SYSTEM\\ControlSet002\\Control]',
    '[HKLM\\SYSTEM\\ControlSet002\\Control\\TimeZoneInformation]',
    '[HKLM\\SYSTEM\\ControlSet002\\Services]',
    '[HKLM\\SYSTEM\\ControlSet002\\Services\\Nla]',
    '[HKLM\\SYSTEM\\ControlSet002\\Services\\Nla\\Parameters]',
  ]);
});

test('--format json: the summary, keys with values, and anomalies', async () => {
  const r = await runCli(['hive', system, '--format', 'json', '--recursive', '--mount', 'HKLM\\OFFLINE']);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    hive: { kind: string; mountPoint: string; currentControlSet: string; dirty: boolean };
    keys: { path: string; values: { name: string; typeName: string; data: string }[] }[];
    anomalies: unknown[];
  };
  assert.equal(doc.hive.kind, 'SYSTEM');
  assert.equal(doc.hive.mountPoint, 'HKLM\\OFFLINE');
  assert.equal(doc.hive.currentControlSet, 'ControlSet001');
  assert.equal(doc.keys.length, 16);
  const tz = doc.keys.find((k) => k.path === 'HKLM\\OFFLINE\\ControlSet001\\Control\\TimeZoneInformation')!;
  assert.deepEqual(tz.values.find((v) => v.name === 'standarddatebias'), { name: 'standarddatebias', type: 3, typeName: 'REG_BINARY', size: 4, data: '00000000' });
  assert.deepEqual(doc.anomalies, []);
});

test('anomalies are listed after the keys', async () => {
  const r = await runCli(['hive', damaged, '--recursive']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\[HIVE\\zero\\0key\]/);
  assert.match(r.stdout, /# anomalies \(1\)\n  REGF_NAME_NUL high @0x[0-9a-f]+: key name "zero\\u0000key" contains a NUL character/);
});

for (const [what, argv, code] of [
  ['a missing key', [system, '--key', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Nope'], 'E_INPUT_NOT_FOUND'],
  ['a key outside the hive', [system, '--key', 'HKLM\\SOFTWARE\\Microsoft'], 'E_INPUT_NOT_FOUND'],
  ['a file that is not a hive', [notHive], 'E_INPUT_MALFORMED'],
  ['a file that does not exist', [join(dir, 'absent')], 'E_INPUT_NOT_FOUND'],
  ['an unknown format', [system, '--format', 'xml'], 'E_USAGE'],
] as const) {
  test(`${what} is a one-line error with exit 2`, async () => {
    const r = await runCli(['hive', ...argv]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^firebreak hive: .*\\[${code}\\]\\n$`));
  });
}
