// Every output format, from one real sweep of the fixtures: golden files, the zod schema for json/ndjson, the
// official schemas for SARIF and STIX, and `firebreak render` giving what the sweep gave.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMATS, type Format, type Renderer, type RenderOptions } from '../../src/report/render/index.js';
import { jsonRenderer } from '../../src/report/render/json.js';
import { ndjsonRenderer } from '../../src/report/render/ndjson.js';
import { sarifRenderer } from '../../src/report/render/sarif.js';
import { iocPattern, stixRenderer } from '../../src/report/render/stix.js';
import { textRenderer } from '../../src/report/render/text.js';
import { reportDocumentSchema, sampleReportSchema, skipRecordSchema, summarySchema, type ReportDocument, type SweepRecord } from '../../src/report/schema.js';
import { runCli } from '../helpers/cli.js';
import { buildZip } from './zip-builder.js';
import { expectGolden } from './golden.js';
import { sarifValidator, stixBundleValidator } from './schemas.js';
import { TEST_FAMILIES, TEST_IOCS, TEST_RULES, fixtureTree, sweepCli, tempDir } from './helpers.js';

const EXT: Record<Format, string> = { text: 'txt', ndjson: 'ndjson', json: 'json', sarif: 'sarif.json', stix: 'stix.json' };

/** A real sweep of the fixture tree (plus an archive, an oversized file and a FIFO), as a normalised document. */
async function fixtureReport(): Promise<ReportDocument> {
  const t = fixtureTree();
  try {
    writeFileSync(join(t.dir, 'pack.zip'), buildZip([
      { name: 'in/alpha.txt', data: Buffer.from('zip FIREBREAK-TEST-ALPHA') },
      { name: 'locked.txt', data: Buffer.from('x'), encrypted: true, method: 0 },
    ]));
    writeFileSync(join(t.dir, 'zz-large.bin'), Buffer.concat([Buffer.alloc(5000, 0x20), Buffer.from('FIREBREAK-TEST-ALPHA')]));
    execFileSync('mkfifo', [join(t.dir, 'pipe')]);
    const r = await sweepCli(['--rules', TEST_RULES, '--iocs', TEST_IOCS, '--families', TEST_FAMILIES, '--format', 'json', '--all', '--max-size', '4K', '--jobs', '1', t.dir]);
    assert.equal(r.status, 1, r.stderr);
    const doc = reportDocumentSchema.parse(JSON.parse(r.stdout));
    // What differs between runs and machines: the temp folder, times, the rules' path inside the hash.
    const text = JSON.stringify(doc).split(t.dir).join('<tree>').split(TEST_IOCS).join('<iocs>');
    const n = JSON.parse(text) as ReportDocument;
    Object.assign(n.summary, {
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      durationMs: 1000,
      throughputMiBps: 0,
    });
    n.summary.rules.hash = '0'.repeat(64);
    return n;
  } finally {
    t.remove();
  }
}

const FACTORIES: Record<Format, (o: RenderOptions) => Renderer> = {
  text: textRenderer,
  ndjson: ndjsonRenderer,
  json: jsonRenderer,
  sarif: sarifRenderer,
  stix: () => stixRenderer(),
};

/** A fresh renderer per call: renderers keep state. */
function render(doc: ReportDocument, format: Format, all: boolean): string {
  const r = FACTORIES[format]({ all });
  let out = '';
  for (const rec of [...doc.samples, ...doc.skips] as SweepRecord[]) out += r.record(rec);
  return out + r.end(doc.summary);
}

test('every format renders the fixture sweep as its golden file, and validates', async () => {
  const doc = await fixtureReport();
  expectGolden('report.json', `${JSON.stringify(doc, null, 2)}\n`);
  for (const format of FORMATS) {
    expectGolden(`all.${EXT[format]}`, render(doc, format, true));
  }
  expectGolden('findings.txt', render(doc, 'text', false));

  // json and ndjson: the one zod schema.
  const json = JSON.parse(render(doc, 'json', true));
  assert.equal(reportDocumentSchema.safeParse(json).success, true);
  const lines = render(doc, 'ndjson', true).trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  for (const l of lines.slice(0, -1)) assert.equal((l.type === 'sample' ? sampleReportSchema : skipRecordSchema).safeParse(l).success, true);
  assert.equal(summarySchema.safeParse(lines.at(-1)).success, true);

  const sarif = sarifValidator();
  const log = JSON.parse(render(doc, 'sarif', true));
  assert.equal(sarif(log), true, JSON.stringify(sarif.errors, null, 1));
  // 3 YARA hits, 3 IOC hits (a hash and a string on note.md, a file name on clean.txt).
  assert.equal(log.runs[0].results.length, 6);
  // The IOC hits' samples have TestFam verdicts (the fixture list speaks for it): in each result's properties.
  const families = (log.runs[0].results as { properties?: { family?: { summary: string } } }[]).map((r) => r.properties?.family?.summary);
  assert.deepEqual(families.filter(Boolean).sort(), ['TestFam 2.x, a plugin of HostFam', 'TestFam, a plugin of HostFam', 'TestFam, a plugin of HostFam']);

  const stix = stixBundleValidator();
  const bundle = JSON.parse(render(doc, 'stix', true)) as { objects: { type: string }[] };
  assert.equal(stix(bundle), true, JSON.stringify(stix.errors, null, 1).slice(0, 4000));
  const count = (type: string): number => bundle.objects.filter((o) => o.type === type).length;
  // One indicator and one sighting per hit (6 hits on 5 files), and a sighting per family verdict (2).
  assert.equal(count('indicator'), 6);
  assert.equal(count('sighting'), 8);
  assert.equal(count('file'), 5);
  // TestFam, its variant 2.x and HostFam; relationships: variant-of, TestFam's two relations, and each of the
  // three IOC indicators `indicates` the (variant of the) family its sample was given.
  const objects = bundle.objects as { type: string; name?: string; relationship_type?: string; sighting_of_ref?: string; id: string; confidence?: number }[];
  assert.deepEqual(objects.filter((o) => o.type === 'malware').map((o) => o.name).sort(), ['HostFam', 'TestFam', 'TestFam 2.x']);
  assert.deepEqual(objects.filter((o) => o.type === 'relationship').map((o) => o.relationship_type).sort(), ['indicates', 'indicates', 'indicates', 'related-to', 'related-to', 'variant-of']);
  const malwareSightings = objects.filter((o) => o.type === 'sighting' && o.sighting_of_ref?.startsWith('malware--'));
  assert.deepEqual(malwareSightings.map((o) => o.confidence).sort(), [60, 95]);
});

test('a sweep with no findings still gives valid SARIF and STIX', async () => {
  const doc = await fixtureReport();
  const clean: ReportDocument = { ...doc, samples: doc.samples.filter((s) => s.yara.length === 0), skips: [] };
  assert.equal(sarifValidator()(JSON.parse(render(clean, 'sarif', false))), true);
  assert.equal(stixBundleValidator()(JSON.parse(render(clean, 'stix', false))), true);
});

test('firebreak render re-renders a saved json or ndjson report exactly as the sweep would have', async () => {
  const doc = await fixtureReport();
  const t = tempDir();
  try {
    const jsonFile = join(t.dir, 'r.json');
    const ndjsonFile = join(t.dir, 'r.ndjson');
    writeFileSync(jsonFile, render(doc, 'json', true));
    writeFileSync(ndjsonFile, render(doc, 'ndjson', true));
    for (const file of [jsonFile, ndjsonFile]) {
      for (const format of FORMATS) {
        const r = await runCli(['render', file, '--format', format, '--all']);
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stdout, render(doc, format, true), `${format} from ${file}`);
      }
    }
  } finally {
    t.remove();
  }
});

test('firebreak render names a damaged report and exits 2', async () => {
  const t = tempDir();
  try {
    const bad = join(t.dir, 'bad.ndjson');
    writeFileSync(bad, '{"type":"sample","schemaVersion":1}\n');
    const r = await runCli(['render', bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.ndjson:1: not a valid sample record.*E_INPUT_MALFORMED/);
    const missing = await runCli(['render', join(t.dir, 'none.json')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /none\.json: no such file \[E_INPUT_NOT_FOUND\]/);
  } finally {
    t.remove();
  }
});

test('STIX: an IOC patterning can say is its own pattern, one indicator for every file it hits', async () => {
  assert.equal(iocPattern({ type: 'md5', indicator: 'ABCDEF0123456789ABCDEF0123456789' }), "[file:hashes.MD5 = 'abcdef0123456789abcdef0123456789']");
  assert.equal(iocPattern({ type: 'sha1', indicator: 'a'.repeat(40) }), `[file:hashes.'SHA-1' = '${'a'.repeat(40)}']`);
  assert.equal(iocPattern({ type: 'domain', indicator: 'Evil.Example.com' }), "[domain-name:value = 'evil.example.com']");
  assert.equal(iocPattern({ type: 'ip', indicator: '192.0.2.7' }), "[ipv4-addr:value = '192.0.2.7']");
  assert.equal(iocPattern({ type: 'ip', indicator: '2001:db8::1' }), "[ipv6-addr:value = '2001:db8::1']");
  assert.equal(iocPattern({ type: 'filename', indicator: "(?i)^it's\\.dat$" }), "[file:name MATCHES '(?i)^it\\'s\\\\.dat$']");
  assert.equal(iocPattern({ type: 'string', indicator: 'whatever' }), undefined);

  // The fixture's IOC on clean.txt, hitting a second file too: one indicator, two sightings of it.
  const doc = await fixtureReport();
  const hitOnce = doc.samples.find((s) => s.iocs.some((h) => h.type === 'filename'))!;
  const twin = { ...hitOnce, sample: { ...hitOnce.sample, path: `${hitOnce.sample.path}.copy`, sha256: 'f'.repeat(64) } };
  const bundle = JSON.parse(render({ ...doc, samples: [...doc.samples, twin] }, 'stix', false)) as { objects: { type: string; id: string; pattern?: string; sighting_of_ref?: string }[] };
  assert.equal(stixBundleValidator()(bundle), true);
  const byName = bundle.objects.filter((o) => o.type === 'indicator' && o.pattern?.startsWith('[file:name MATCHES'));
  assert.equal(byName.length, 1);
  assert.equal(bundle.objects.filter((o) => o.type === 'sighting' && o.sighting_of_ref === byName[0]!.id).length, 2);
});
