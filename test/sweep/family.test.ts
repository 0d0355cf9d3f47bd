// Family verdicts in the sweep: the quick start's examples name their family, variant and relations; the catalog
// comes from --families, a pack folder's families/, or the bundled pack; cached samples get verdicts too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { FIXTURES, TEST_FAMILIES, TEST_IOCS, TEST_RULES, parseNdjson, sweepCli, tempDir } from './helpers.js';

const EXAMPLES = join(PROJECT_ROOT, 'examples');
const tree = join(FIXTURES, 'tree');

interface Verdict {
  name: string;
  variant?: string;
  summary: string;
  relations?: { relation: string; family: string }[];
}

test('the quick start: every example with findings is given the family of its folder, with variant and relations', async () => {
  const r = await sweepCli(['--format', 'ndjson', EXAMPLES]);
  assert.equal(r.status, 1, r.stderr);
  const { records, summary } = parseNdjson(r.stdout);
  const found = records.filter((x) => x.type === 'sample');
  assert.ok(found.length > 50, `${found.length} samples with findings`);
  for (const rec of found) {
    const path = (rec.sample as { path: string }).path;
    const folder = path.slice(EXAMPLES.length + 1).split('/')[0]!;
    const family = rec.family as Verdict | null;
    assert.ok(family, `${path} has findings but no family`);
    assert.equal(family.name.toLowerCase(), folder, path);
  }
  const byFamily = (summary.findings as { byFamily: Record<string, number> }).byFamily;
  assert.deepEqual(Object.keys(byFamily).sort(), ['Duqu', 'Flame', 'Gauss', 'Stuxnet', 'miniFlame']);
  assert.equal(Object.values(byFamily).reduce((a, b) => a + b, 0), found.length);

  // The miniFlame 4.x host marker in a SYSTEM hive: the variant comes from the Nla ServiceDll indicator's evidence.
  const hive = found.find((x) => (x.sample as { path: string }).path.endsWith('MiniFlame_TimeZone_Bias_Host_Marker/Windows/System32/config/SYSTEM'));
  const v = hive?.family as Verdict;
  assert.equal(v.summary, 'miniFlame 4.x, a plugin of Flame and Gauss');
  assert.equal(v.variant, '4.x');
  assert.deepEqual(v.relations?.filter((x) => x.relation === 'plugin-of').map((x) => x.family), ['Flame', 'Gauss']);
});

test('the quick start in text: family, variant and relation lines, and the families in the summary', async () => {
  const r = await sweepCli([join(EXAMPLES, 'miniflame')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /\n {4}family {2}miniFlame 4\.x, a plugin of Flame and Gauss {2}\(score \d+\)\n {4}variant 4\.x\n {4}related plugin of Flame, Gauss; same origin as /);
  assert.match(r.stdout, /\n {4}why {5}YARA yara\/miniflame\.MiniFlame_/);
  assert.match(r.stdout, /families: miniFlame \d+\n/);
});

test('a pack folder given as --rules brings its own families/; --families overrides; a bad family file is exit 2', async () => {
  const t = tempDir();
  try {
    const pack = join(t.dir, 'pack');
    mkdirSync(join(pack, 'yara'), { recursive: true });
    cpSync(TEST_RULES, join(pack, 'yara', 'test.yar'));
    cpSync(TEST_FAMILIES, join(pack, 'families'), { recursive: true });
    const familiesOf = async (args: string[]): Promise<(string | undefined)[]> => {
      const r = await sweepCli([...args, '--iocs', TEST_IOCS, '--format', 'ndjson', tree]);
      assert.equal(r.status, 1, r.stderr);
      return parseNdjson(r.stdout).records.map((x) => (x.family as Verdict | null)?.summary);
    };
    // The fixture IOC list speaks for TestFam only in the pack's catalog; the bundled one knows no TestFam.
    assert.ok((await familiesOf(['--rules', pack])).includes('TestFam 2.x, a plugin of HostFam'));
    assert.deepEqual((await familiesOf(['--rules', TEST_RULES])).filter(Boolean), []);
    assert.ok((await familiesOf(['--rules', TEST_RULES, '--families', TEST_FAMILIES])).includes('TestFam, a plugin of HostFam'));

    writeFileSync(join(pack, 'families', 'broken.yaml'), 'id: Not An Id\n');
    const bad = await sweepCli(['--rules', pack, '--iocs', TEST_IOCS, '--format', 'ndjson', tree]);
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /broken\.yaml:1: family file: id: .*\[E_RULE_SYNTAX\]/);
  } finally {
    t.remove();
  }
});

test('a cached re-sweep gives every sample its family again', async () => {
  const c = tempDir('fb-family-cache-');
  try {
    const args = ['--cache', join(c.dir, 'db.sqlite'), '--format', 'ndjson', join(EXAMPLES, 'miniflame')];
    const first = parseNdjson((await sweepCli(args)).stdout);
    const second = parseNdjson((await sweepCli(args)).stdout);
    assert.ok(Number(second.summary.files.unchanged) > 0);
    const verdicts = (n: typeof first): unknown[] => n.records.map((x) => [(x.sample as { path: string }).path, x.family]);
    assert.deepEqual(verdicts(second), verdicts(first));
    assert.ok(first.records.every((x) => x.family !== null));
  } finally {
    c.remove();
  }
});

test('the catalog is only loaded when a verdict is possible: a family meta key, or IOC lists', async () => {
  const { familiesPossible } = await import('../../src/sweep/family.js');
  assert.equal(familiesPossible(['rule a { meta: family = "Flame" condition: true }'], 0), true);
  assert.equal(familiesPossible(['rule a { meta:\n  family="Flame"\n condition: true }'], 0), true);
  assert.equal(familiesPossible(['rule family_like { meta: families_seen = 2 condition: true }'], 0), false);
  assert.equal(familiesPossible(['rule a { condition: true }'], 1), true);
  assert.equal(familiesPossible([], 0), false);
});
