// The hive step in the sweep pipeline: registry hives found as files or archive members are matched against the
// IOC set's registry indicators; hits and anomalies land in that sample's report, which the schema accepts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../test/helpers/paths.js';
import { buildHive, dword, fixChecksum } from '../../../test/regf/builder.js';
import { SYSTEM_FILE_NAME, systemTree } from '../../../test/regf/fixtures.js';
import { parseIocList } from '../../detect/ioc/parse.js';
import { createIocSet } from '../../detect/ioc/set.js';
import { sampleReportSchema } from '../../report/schema.js';
import type { Analysis } from '../analysis.js';
import { sampleRecords } from '../assemble.js';
import { hashBytes } from '../hashes.js';
import { Pipeline } from '../pipeline.js';
import { containerSources } from '../sources/index.js';
import { HiveStep } from './hive.js';
import { IocContentStep } from './iocs.js';

const LIST = join(PROJECT_ROOT, 'test', 'regf', 'miniflame-host-iocs.txt');
// The host markers, plus a content indicator the hive's bytes also hold (the .ocx name in UTF-16LE).
const iocs = createIocSet([parseIocList(`${readFileSync(LIST, 'utf8')}string:icsvnt32.ocx;60\n`, LIST)]);
const infected = buildHive(systemTree({ infected: true }), { fileName: SYSTEM_FILE_NAME }).bytes;
const clean = buildHive(systemTree({ infected: false }), { fileName: SYSTEM_FILE_NAME }).bytes;

function pipeline(): Pipeline {
  return new Pipeline([new IocContentStep(iocs), new HiveStep(iocs)], containerSources({ maxSize: 64 << 20 }));
}

async function analyse(bytes: Uint8Array, display = 'case/Windows/System32/config/SYSTEM'): Promise<Analysis> {
  return pipeline().analyse({ display, bytes, hashes: hashBytes(bytes), depth: 0, otherHits: [] }, { bytesLeft: 1 << 30, entriesLeft: 1000 });
}

test('an infected SYSTEM hive: the three registry hits join the content hit, the report validates', async () => {
  const a = await analyse(infected);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(a.iocs.map((h) => h.type).sort(), ['regvalue', 'regvalue', 'regvalue', 'string']);
  assert.ok(a.iocs.filter((h) => h.type === 'regvalue').every((h) => h.why.endsWith(' in hive SYSTEM')));
  assert.equal(a.anomalies, undefined);
  const [record] = sampleRecords(
    { path: 'case/Windows/System32/config/SYSTEM', source: { kind: 'file' }, size: infected.length, hashes: hashBytes(infected), analysis: a },
    iocs,
  );
  sampleReportSchema.parse(record);
  assert.equal((record as { iocs: unknown[] }).iocs.length, 4);
});

test('a clean SYSTEM hive and a file that is not a hive get no registry hits', async () => {
  assert.deepEqual((await analyse(clean)).iocs, []);
  const text = new TextEncoder().encode('regfake: not a hive, though it starts like one');
  const a = await analyse(text, 'notes.txt');
  assert.deepEqual(a.iocs, []);
  assert.deepEqual(a.errors, []);
});

test('a hive inside a zip is found as a member and matched there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-hive-zip-'));
  try {
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config', 'SYSTEM'), infected);
    execFileSync('zip', ['-q', '-r', 'evidence.zip', 'config'], { cwd: dir });
    const zip = new Uint8Array(readFileSync(join(dir, 'evidence.zip')));
    const a = await analyse(zip, 'evidence.zip');
    const member = a.members?.find((m) => m.suffix === '!config/SYSTEM');
    assert.ok(member && 'analysis' in member, JSON.stringify(a.members));
    assert.equal(member.analysis.iocs.filter((h) => h.type === 'regvalue').length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a hive's anomalies go into the sample's report, even when no indicator needed its values", async () => {
  const hidden = buildHive({ name: 'ROOT', subkeys: [{ name: 'Run', values: [{ name: 'hidden\0value', type: 4, data: dword(1) }] }] }).bytes;
  const keysOnly = createIocSet([parseIocList('regkey:HKLM\\SOFTWARE\\Nothing\\Here\n', 'keys.txt')]);
  const a = await new Pipeline([new HiveStep(keysOnly)], []).analyse(
    { display: 'x', bytes: hidden, hashes: hashBytes(hidden), depth: 0, otherHits: [] },
    { bytesLeft: 1 << 30, entriesLeft: 1000 },
  );
  assert.deepEqual(a.anomalies?.map((x) => x.code), ['REGF_NAME_NUL']);
});

test('a transaction log (regf, file type 1) is left alone', async () => {
  const log = infected.slice();
  new DataView(log.buffer).setUint32(0x1c, 1, true);
  fixChecksum(log);
  const a = await analyse(log, 'case/Windows/System32/config/SYSTEM.LOG1');
  assert.deepEqual(a.iocs.filter((h) => h.type === 'regvalue'), []);
  assert.equal(a.anomalies, undefined);
});

test('firebreak sweep: the infected SYSTEM hive is reported with its three hits, also from the cache; the clean one without', async () => {
  const { TEST_RULES, parseNdjson, sweepCli, tempDir } = await import('../../../test/sweep/helpers.js');
  const t = tempDir('fb-hive-sweep-');
  const c = tempDir('fb-hive-cache-');
  try {
    mkdirSync(join(t.dir, 'infected', 'Windows', 'System32', 'config'), { recursive: true });
    mkdirSync(join(t.dir, 'clean', 'Windows', 'System32', 'config'), { recursive: true });
    writeFileSync(join(t.dir, 'infected', 'Windows', 'System32', 'config', 'SYSTEM'), infected);
    writeFileSync(join(t.dir, 'clean', 'Windows', 'System32', 'config', 'SYSTEM'), clean);
    const args = ['--all', '--rules', TEST_RULES, '--iocs', LIST, '--cache', join(c.dir, 'db.sqlite'), '--format', 'ndjson', t.dir];
    for (const run of ['fresh', 'cached']) {
      const r = await sweepCli(args);
      assert.equal(r.status, 1, `${run}: ${r.stderr}`);
      const { records } = parseNdjson(r.stdout);
      const hitsOf = (part: string) => {
        const rec = records.find((x) => (x.sample as { path: string }).path.includes(part));
        assert.ok(rec, `${run}: no record for ${part}`);
        return (rec.iocs as { type: string; line: number }[]).filter((h) => h.type === 'regvalue').map((h) => h.line);
      };
      assert.deepEqual(hitsOf('/infected/').sort(), [3, 4, 5], run);
      assert.deepEqual(hitsOf('/clean/'), [], run);
    }
  } finally {
    t.remove();
    c.remove();
  }
});
