// End to end: SYSTEM hives built by libhivex and by the test builder, read by formats/regf, seen through the
// HiveView adapter, matched by the IOC set against miniFlame's published host markers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../test/helpers/paths.js';
import { buildHive } from '../../../test/regf/builder.js';
import { SYSTEM_FILE_NAME, systemTree } from '../../../test/regf/fixtures.js';
import { hivexBuild } from '../../../test/regf/reference.js';
import { parseRegf } from '../../formats/regf/index.js';
import { createHiveView } from './hive-view.js';
import { parseIocList } from './parse.js';
import { createIocSet } from './set.js';

const LIST = join(PROJECT_ROOT, 'test', 'regf', 'miniflame-host-iocs.txt');
const iocs = createIocSet([parseIocList(readFileSync(LIST, 'utf8'), LIST)]);

function match(bytes: Uint8Array, name = '/case/Windows/System32/config/SYSTEM') {
  const h = parseRegf(bytes);
  assert.ok(h.isRegf);
  return iocs.matchHive(createHiveView(h, { name }));
}

test('an infected SYSTEM hive written by libhivex: one hit per marker, each naming its indicator', () => {
  const hits = match(hivexBuild(systemTree({ infected: true }), 'HKEY_LOCAL_MACHINE\\SYSTEM'));
  assert.deepEqual(
    hits.map((h) => [h.type, h.indicator, h.line, h.score]).sort(),
    [
      ['regvalue', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation\\standarddatebias', 3, 80],
      ['regvalue', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation\\standardtimebias', 4, 80],
      ['regvalue', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Nla\\Parameters\\ServiceDll=(?i)\\.ocx\\s*$', 5, 85],
    ].sort(),
  );
  for (const h of hits) assert.equal(h.list, LIST);
  const dll = hits.find((h) => h.indicator.includes('ServiceDll'))!;
  assert.match(dll.why, /ServiceDll = "%windir%\\system32\\icsvnt32\.ocx" in hive \/case\/Windows\/System32\/config\/SYSTEM/);
  assert.match(dll.description!, /Talos/);
});

test('the markers are found through whichever control set Select\\Current names', () => {
  const hits = match(buildHive(systemTree({ infected: true, current: 2 }), { fileName: SYSTEM_FILE_NAME }).bytes);
  assert.equal(hits.length, 3);
  assert.ok(hits.every((h) => h.why.includes('\\ControlSet002\\') || h.why.includes('\\CurrentControlSet\\')));
});

test('a clean SYSTEM hive with a genuine TimeZoneInformation (StandardBias...) and nlasvc.dll gives no hit', () => {
  assert.deepEqual(match(hivexBuild(systemTree({ infected: false }), 'HKEY_LOCAL_MACHINE\\SYSTEM')), []);
  assert.deepEqual(match(buildHive(systemTree({ infected: false, current: 2 }), { fileName: SYSTEM_FILE_NAME }).bytes), []);
});

test('markers only in a control set that is not current do not count as CurrentControlSet', () => {
  // Infected set 1, but Select\Current names the clean set 2.
  const tree = systemTree({ infected: true, current: 1 });
  const select = tree.subkeys!.find((k) => k.name === 'Select')!;
  select.values = select.values!.map((v) => (v.name === 'Current' ? { ...v, data: Uint8Array.from([2, 0, 0, 0]) } : v));
  assert.deepEqual(match(buildHive(tree, { fileName: SYSTEM_FILE_NAME }).bytes), []);
});
