import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHive, dword, sz, type BuildKey } from '../../../test/regf/builder.js';
import { SYSTEM_FILE_NAME, systemTree } from '../../../test/regf/fixtures.js';
import { hivexBuild } from '../../../test/regf/reference.js';
import { parseRegf, type RegfHive } from '../../formats/regf/index.js';
import { createHiveView } from './hive-view.js';

function open(bytes: Uint8Array): RegfHive {
  const h = parseRegf(bytes);
  assert.ok(h.isRegf);
  return h;
}

function collect(h: RegfHive, name: string, mountPoint?: string) {
  const view = createHiveView(h, mountPoint === undefined ? { name } : { name, mountPoint });
  const keys: string[] = [];
  const values: string[] = [];
  view.forEachKey((k) => keys.push(k));
  view.forEachValue((k, n, d) => values.push(`${k}|${n}|${d}`));
  return { view, keys, values };
}

const TZ = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation';
const NLA = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Nla\\Parameters';

test("a SYSTEM hive written by libhivex shows miniFlame's markers under CurrentControlSet and ControlSet001", () => {
  const { view, keys, values } = collect(open(hivexBuild(systemTree({ infected: true }), 'HKEY_LOCAL_MACHINE\\SYSTEM')), 'SYSTEM');
  assert.equal(view.identity.kind, 'SYSTEM');
  assert.equal(keys[0], 'HKLM\\SYSTEM');
  assert.ok(keys.includes(TZ));
  assert.ok(keys.includes('HKLM\\SYSTEM\\ControlSet001\\Control\\TimeZoneInformation'));
  assert.ok(keys.includes('HKLM\\SYSTEM\\ControlSet002\\Control\\TimeZoneInformation'));
  assert.ok(!keys.some((k) => k.startsWith('HKLM\\SYSTEM\\CurrentControlSet') && k.includes('002')));
  assert.ok(values.includes(`${TZ}|standarddatebias|00000000`));
  assert.ok(values.includes(`${TZ}|standardtimebias|00000000`));
  assert.ok(values.includes(`${TZ}|StandardBias|0`));
  assert.ok(values.includes(`${NLA}|ServiceDll|%windir%\\system32\\icsvnt32.ocx`));
  assert.ok(values.includes('HKLM\\SYSTEM\\ControlSet001\\Services\\Nla\\Parameters|ServiceDll|%windir%\\system32\\icsvnt32.ocx'));
  // ControlSet002 is clean and not the current set.
  assert.ok(values.includes('HKLM\\SYSTEM\\ControlSet002\\Services\\Nla\\Parameters|ServiceDll|%SystemRoot%\\System32\\nlasvc.dll'));
  assert.equal(values.filter((v) => v.includes('|standarddatebias|')).length, 2);
});

test('the alias follows Select\\Current', () => {
  const { values } = collect(open(buildHive(systemTree({ infected: true, current: 2 }), { fileName: SYSTEM_FILE_NAME }).bytes), 'SYSTEM');
  assert.ok(values.includes(`${NLA}|ServiceDll|%windir%\\system32\\icsvnt32.ocx`));
  assert.ok(values.includes('HKLM\\SYSTEM\\ControlSet002\\Services\\Nla\\Parameters|ServiceDll|%windir%\\system32\\icsvnt32.ocx'));
  assert.ok(values.includes('HKLM\\SYSTEM\\ControlSet001\\Services\\Nla\\Parameters|ServiceDll|%SystemRoot%\\System32\\nlasvc.dll'));
});

test('a user hive: HKU\\<user> and HKCU; default values named ""; a caller mount point; aliases off', () => {
  const tree: BuildKey = {
    name: 'ROOT',
    subkeys: [
      { name: 'Control Panel' },
      { name: 'Software', subkeys: [{ name: 'Run', values: [{ name: '', type: 1, data: sz('default') }, { name: 'x', type: 4, data: dword(5) }] }] },
    ],
  };
  const bytes = buildHive(tree, { fileName: '\\??\\C:\\Users\\carol\\NTUSER.DAT' }).bytes;
  const { keys, values } = collect(open(bytes), 'NTUSER.DAT');
  assert.deepEqual(keys.slice(0, 2), ['HKU\\carol', 'HKCU']);
  assert.ok(values.includes('HKU\\carol\\Software\\Run||default'));
  assert.ok(values.includes('HKCU\\Software\\Run|x|5'));
  const sid = collect(open(bytes), 'NTUSER.DAT', 'HKEY_USERS\\S-1-5-21-1-2-3-1001');
  assert.ok(sid.values.includes('HKU\\S-1-5-21-1-2-3-1001\\Software\\Run|x|5'));
  const plain = createHiveView(open(bytes), { name: 'NTUSER.DAT', aliases: false });
  const plainKeys: string[] = [];
  plain.forEachKey((k) => plainKeys.push(k));
  assert.ok(plainKeys.every((k) => k.startsWith('HKU\\carol')));
});
