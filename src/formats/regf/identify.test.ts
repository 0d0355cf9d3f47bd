import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHive, dword, type BuildKey } from '../../../test/regf/builder.js';
import { SYSTEM_FILE_NAME, systemTree } from '../../../test/regf/fixtures.js';
import { HivePaths, identifyHive, normalizeRoot, parseRegf, type HiveIdentity, type RegfHive } from './index.js';

function hive(root: BuildKey, fileName = ''): RegfHive {
  const h = parseRegf(buildHive(root, { fileName }).bytes);
  assert.ok(h.isRegf);
  return h;
}
const keys = (...names: string[]): BuildKey => ({ name: 'ROOT', subkeys: names.map((name) => ({ name })) });

test('hive kinds from the root structure, whatever the file-name field says', () => {
  const cases: [BuildKey, string][] = [
    [systemTree({ infected: false }), 'SYSTEM'],
    [keys('Classes', 'Clients', 'Microsoft', 'Policies', 'RegisteredApplications'), 'SOFTWARE'],
    [{ name: 'ROOT', subkeys: [{ name: 'SAM', subkeys: [{ name: 'Domains' }] }] }, 'SAM'],
    [keys('Cache', 'Policy', 'RXACT', 'SAM'), 'SECURITY'],
    [keys('AppEvents', 'Console', 'Control Panel', 'Environment', 'Software'), 'NTUSER.DAT'],
    [keys('*', '.txt', 'CLSID', 'Local Settings'), 'USRCLASS.DAT'],
    [keys('Description', 'Objects'), 'BCD'],
  ];
  for (const [tree, kind] of cases) {
    const id = identifyHive(hive(tree, 'emRoot\\System32\\Config\\SOMETHING'));
    assert.equal(id.kind, kind, kind);
    assert.match(id.evidence[0]!, /^structure: /);
  }
});

test('mount points, user names and aliases', () => {
  const sys = identifyHive(hive(systemTree({ infected: false, current: 2 }), SYSTEM_FILE_NAME));
  assert.equal(sys.mountPoint, 'HKLM\\SYSTEM');
  assert.equal(sys.currentControlSet, 'ControlSet002');
  assert.deepEqual(sys.aliases, [{ prefix: 'ControlSet002', alias: 'HKLM\\SYSTEM\\CurrentControlSet' }]);

  const user = identifyHive(hive(keys('Control Panel', 'Software'), '\\??\\C:\\Users\\alice\\ntuser.dat'));
  assert.equal(user.kind, 'NTUSER.DAT');
  assert.equal(user.user, 'alice');
  assert.equal(user.mountPoint, 'HKU\\alice');
  assert.deepEqual(user.aliases, [{ prefix: '', alias: 'HKCU' }]);

  // The field keeps only the path's last 31 characters; the caller's path names the user instead.
  const classes = identifyHive(hive(keys('CLSID', 'Local Settings'), 'ocal\\Microsoft\\Windows\\UsrClass.dat'), {
    path: '/mnt/img/Users/bob/AppData/Local/Microsoft/Windows/UsrClass.dat',
  });
  assert.equal(classes.mountPoint, 'HKU\\bob_Classes');
  assert.deepEqual(classes.aliases.map((a) => a.alias), ['HKCU\\Software\\Classes', 'HKCR']);

  const def = identifyHive(hive(keys('Control Panel', 'Software'), '\\SystemRoot\\System32\\Config\\DEFAULT'));
  assert.equal(def.kind, 'DEFAULT');
  assert.equal(def.mountPoint, 'HKU\\.DEFAULT');

  const anonymous = identifyHive(hive(keys('Control Panel', 'Software')));
  assert.equal(anonymous.mountPoint, 'HKU\\USER');

  const sw = identifyHive(hive(keys('Classes', 'Microsoft')));
  assert.deepEqual(sw.aliases, [{ prefix: 'Classes', alias: 'HKCR' }]);
});

test('without telling structure: the file-name field, then the caller path, then UNKNOWN', () => {
  assert.equal(identifyHive(hive(keys('X'), '\\SystemRoot\\System32\\Config\\SECURITY')).kind, 'SECURITY');
  assert.equal(identifyHive(hive(keys('X')), { path: 'evidence/SOFTWARE.hiv' }).kind, 'SOFTWARE');
  const unknown = identifyHive(hive(keys('X')), { path: 'x.bin' });
  assert.equal(unknown.kind, 'UNKNOWN');
  assert.equal(unknown.mountPoint, 'HIVE');
});

test('a caller mount point wins and keeps the CurrentControlSet alias under it', () => {
  const id = identifyHive(hive(systemTree({ infected: false })), { mountPoint: 'HKEY_LOCAL_MACHINE\\OFFLINE_SYSTEM\\' });
  assert.equal(id.mountPoint, 'HKLM\\OFFLINE_SYSTEM');
  assert.deepEqual(id.aliases, [{ prefix: 'ControlSet001', alias: 'HKLM\\OFFLINE_SYSTEM\\CurrentControlSet' }]);
});

test('Select\\Current naming a missing control set gives no alias', () => {
  const t = systemTree({ infected: false });
  t.subkeys!.find((k) => k.name === 'Select')!.values = [{ name: 'Current', type: 4, data: dword(7) }];
  const id = identifyHive(hive(t));
  assert.equal(id.currentControlSet, undefined);
  assert.deepEqual(id.aliases, []);
});

test('root spellings normalise to the short forms', () => {
  assert.equal(normalizeRoot('HKEY_LOCAL_MACHINE\\SYSTEM'), 'HKLM\\SYSTEM');
  assert.equal(normalizeRoot('\\Registry\\Machine\\Software\\x'), 'HKLM\\Software\\x');
  assert.equal(normalizeRoot('hkcu\\Software'), 'HKCU\\Software');
  assert.equal(normalizeRoot('HKEY_USERS\\S-1-5-18'), 'HKU\\S-1-5-18');
  assert.equal(normalizeRoot('HKLMX\\a'), 'HKLMX\\a');
});

test('paths: full, aliased and hive-relative forms resolve to the same names; full paths list every alias', () => {
  const id: HiveIdentity = {
    kind: 'SYSTEM',
    mountPoint: 'HKLM\\SYSTEM',
    aliases: [{ prefix: 'ControlSet001', alias: 'HKLM\\SYSTEM\\CurrentControlSet' }],
    currentControlSet: 'ControlSet001',
    evidence: [],
  };
  const p = new HivePaths(id);
  const want = ['ControlSet001', 'Services', 'Nla'];
  for (const s of [
    'HKLM\\SYSTEM\\ControlSet001\\Services\\Nla',
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Nla',
    'hklm\\system\\currentcontrolset\\Services\\Nla\\',
    'ControlSet001\\Services\\Nla',
    '\\CurrentControlSet\\Services\\Nla',
  ]) {
    assert.deepEqual(p.toRelative(s), want, s);
  }
  assert.deepEqual(p.toRelative('HKLM\\SYSTEM'), []);
  assert.deepEqual(p.toRelative(''), []);
  assert.equal(p.toRelative('HKLM\\SOFTWARE\\Microsoft'), null);
  assert.equal(p.toRelative('HKLM\\SYSTEMX'), null);
  assert.deepEqual(p.fullPaths('ControlSet001\\Services'), ['HKLM\\SYSTEM\\ControlSet001\\Services', 'HKLM\\SYSTEM\\CurrentControlSet\\Services']);
  assert.deepEqual(p.fullPaths('ControlSet001'), ['HKLM\\SYSTEM\\ControlSet001', 'HKLM\\SYSTEM\\CurrentControlSet']);
  assert.deepEqual(p.fullPaths('ControlSet0011'), ['HKLM\\SYSTEM\\ControlSet0011']);
  assert.deepEqual(p.fullPaths(''), ['HKLM\\SYSTEM']);
});
