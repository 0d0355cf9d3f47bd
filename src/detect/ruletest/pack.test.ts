import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FirebreakError } from '../../core/errors.js';
import { findPositives, unownedFixtures } from './files.js';
import { expandEnv, resolvePack } from './pack.js';
import { writeTree } from '../../../test/pack/tree.js';


test('a full pack: yara, iocs and families folders, and pack.yaml naming fixtures and clean corpora', async () => {
  const dir = writeTree({
    'p/yara/a.yar': 'rule A { condition: true }',
    'p/iocs/a.txt': 'md5:00000000000000000000000000000000;1;x',
    'p/families/a.yaml': '',
    'p/pack.yaml': 'fixtures: ../fx\nclean:\n  - ${FB_TEST_CORPUS}/wine\n  - ${FB_TEST_UNSET}/x\n  - relative\n',
  });
  try {
    const l = await resolvePack(join(dir, 'p'), { FB_TEST_CORPUS: '/data' });
    assert.equal(l.yaraPath, join(dir, 'p', 'yara'));
    assert.equal(l.iocDir, join(dir, 'p', 'iocs'));
    assert.equal(l.familyDir, join(dir, 'p', 'families'));
    assert.equal(l.fixturesDir, join(dir, 'fx'));
    assert.deepEqual(l.clean, ['/data/wine', join(dir, 'p', 'relative')]);
    assert.deepEqual(l.cleanUnset, ['${FB_TEST_UNSET}/x']);
    writeFileSync(join(dir, 'p', 'pack.yaml'), 'fixtures: [1, 2]\n');
    await assert.rejects(resolvePack(join(dir, 'p')), (e: unknown) => e instanceof FirebreakError && e.code === 'E_RULE_SYNTAX');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a plain folder of rules is its own yara folder, with PATH/fixtures as its positives', async () => {
  const dir = writeTree({ 'r/x.yar': 'rule X { condition: true }', 'r/fixtures/X/one': '1' });
  try {
    const l = await resolvePack(join(dir, 'r'), {});
    assert.equal(l.yaraPath, join(dir, 'r'));
    assert.equal(l.fixturesDir, join(dir, 'r', 'fixtures'));
    assert.equal(l.iocDir, undefined);
    const file = await resolvePack(join(dir, 'r', 'x.yar'), {});
    assert.equal(file.yaraPath, join(dir, 'r', 'x.yar'));
    await assert.rejects(resolvePack(join(dir, 'none')), /no such rule file or folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('positives are the files below folders named after a rule, at any depth; the rest are IOC fixtures', async () => {
  const dir = writeTree({
    'fam/RuleA/a1': '',
    'fam/RuleA/deep/a2': '',
    'other/RuleB/b1': '',
    'fam/host/Windows/x.dll': '',
    'RuleA.txt': '',
  });
  try {
    const p = await findPositives(dir, new Set(['RuleA', 'RuleB', 'RuleC']));
    assert.deepEqual(p.get('RuleA')?.map((f) => f.slice(dir.length)), ['/fam/RuleA/a1', '/fam/RuleA/deep/a2']);
    assert.deepEqual(p.get('RuleB')?.map((f) => f.slice(dir.length)), ['/other/RuleB/b1']);
    assert.equal(p.get('RuleC'), undefined);
    const rest = await unownedFixtures(dir, new Set(['RuleA', 'RuleB']));
    assert.deepEqual(rest.map((f) => f.slice(dir.length)).sort(), ['/RuleA.txt', '/fam/host/Windows/x.dll']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('${VAR} expansion leaves out entries that name an unset or empty variable', () => {
  assert.equal(expandEnv('${A}/x/${B}', { A: 'a', B: 'b' }), 'a/x/b');
  assert.equal(expandEnv('${A}/x', { A: '' }), undefined);
  assert.equal(expandEnv('/plain/$A', {}), '/plain/$A');
});
