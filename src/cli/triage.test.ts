// `firebreak triage` end to end, in-process: text, JSON (the report record) and SARIF (schema-valid), flags and errors.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runCli } from '../../test/helpers/cli.js';
import { ANCHORS_DIR, PROJECT_ROOT } from '../../test/helpers/paths.js';
import { PROGRAMS, build } from '../../test/capa/programs.js';
import { buildFixtures, unseenBuildSpecs } from '../../test/similarity/families.js';
import { sampleReportSchema } from '../report/schema.js';

const fgcapture = build(PROGRAMS.find((p) => p.source === 'fgcapture.c')!, 'x86');
const mutex = build(PROGRAMS.find((p) => p.source === 'mutex.c')!, 'x64');
/** A pack example: the bundled Flame rule Flame_Mutex_Format_Strings hits it. */
const FLAME_EXE = join(PROJECT_ROOT, 'examples', 'flame', 'Flame_Mutex_Format_Strings', 'flame-mutexes.exe');
/** Every triage here keeps its parsed-rule cache in a temp folder, not the user's. */
const ruleCacheHome = mkdtempSync(join(tmpdir(), 'fb-triage-cache-'));
const env = { XDG_CACHE_HOME: ruleCacheHome };
after(() => rmSync(ruleCacheHome, { recursive: true, force: true }));

function sarifValidator(): ReturnType<Ajv.default['compile']> {
  // The schema is draft-04; ajv 8 reads it once `id` is spelled `$id` (it uses no draft-04-only keyword).
  const schema = JSON.parse(readFileSync(join(ANCHORS_DIR, 'schemas', 'sarif-2.1.0', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

test('text: PE summary, capabilities under ATT&CK tactics, YARA, IOCs, anomalies', async () => {
  const r = await runCli(['triage', fgcapture], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^PE$/m);
  assert.match(r.stdout, /I386, PE32, executable/);
  assert.match(r.stdout, /^CAPABILITIES \(\d+; \d+ functions/m);
  assert.match(r.stdout, /^ {2}Collection\n(?: {4}.*\n)*? {4}capture screen when selected programs are in the foreground {2}\(T1113/m);
  assert.match(r.stdout, /^ {2}Discovery$/m);
  assert.match(r.stdout, /^YARA \(\d+\)$/m);
  assert.match(r.stdout, /^IOCS \(\d+\)$/m);
  assert.match(r.stdout, /^ANOMALIES \(\d+\)$/m);
});

test('--verbose adds the evidence tree; --capa-rules adds capa matches', async () => {
  const r = await runCli(['triage', '--verbose', '--capa-rules', join(ANCHORS_DIR, 'capa-rules'), mutex], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ensure single instance with a named mutex/);
  assert.match(r.stdout, /create or open mutex on Windows {2}.*\[capa: host-interaction\/mutex\]$/m);
  assert.match(r.stdout, /function @ 0x[0-9a-f]+: and\n\s+or\n\s+api\(CreateMutex[AW]?\)\s+@ 0x/);
});

test('json: a valid report record', async () => {
  const r = await runCli(['triage', '--format', 'json', mutex], { env });
  assert.equal(r.status, 0, r.stderr);
  const doc = sampleReportSchema.parse(JSON.parse(r.stdout));
  assert.equal(doc.sample.sha256, JSON.parse(r.stdout).sample.sha256);
  assert.equal(doc.pe?.is64, true);
  const cap = doc.capabilities.find((c) => c.rule === 'ensure single instance with a named mutex');
  assert.ok(cap, 'capability missing');
  assert.equal(cap.ruleSet, 'firebreak');
  assert.match(cap.addresses[0] ?? '', /^0x14000/);
  assert.equal(doc.partial, undefined);
});

test('a PE appended to another is placed at its file offset, in the match and in the evidence', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-triage-overlay-'));
  try {
    const host = readFileSync(mutex);
    const joined = join(dir, 'joined.exe');
    writeFileSync(joined, Buffer.concat([host, readFileSync(fgcapture)]));
    const rule = join(ANCHORS_DIR, 'capa-rules', 'executable', 'subfile', 'pe', 'contain-an-embedded-pe-file.yml');
    const r = await runCli(['triage', '-v', '-f', 'json', '--no-yara', '--capa-rules', rule, joined], { env });
    assert.equal(r.status, 0, r.stderr);
    const doc = sampleReportSchema.parse(JSON.parse(r.stdout));
    const cap = doc.capabilities.find((c) => c.rule === 'contain an embedded PE file');
    assert.ok(cap, 'capability missing');
    const offset = `0x${host.length.toString(16)}`;
    assert.deepEqual(cap.fileOffsets, [offset]);
    const leaf = JSON.stringify(cap.evidence);
    assert.match(leaf, new RegExp(`"node":"count\\(characteristic\\(embedded pe\\)\\): 1 or more","matched":true,"addresses":\\[\\],"fileOffsets":\\["${offset}"\\]`));
    const text = await runCli(['triage', '-v', '--no-yara', '--capa-rules', rule, joined], { env });
    assert.match(text.stdout, new RegExp(`contain an embedded PE file .*@ file offset ${offset}`));
    const sarif = await runCli(['triage', '-f', 'sarif', '--no-yara', '--capa-rules', rule, joined], { env });
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region?: { byteOffset: number } } }[] }[] }[] };
    assert.ok(sarifValidator()(log));
    const res = log.runs[0]!.results.find((x) => x.ruleId === 'capability/capa/contain an embedded PE file');
    assert.equal(res?.locations[0]?.physicalLocation.region?.byteOffset, host.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--capa-rules: each rule file that does not load is named with its reason; a long list waits for --verbose', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-triage-rules-'));
  try {
    const rule = (name: string, feature: string): string =>
      ['rule:', '  meta:', `    name: ${name}`, '    scopes:', '      static: function', '      dynamic: unsupported', '  features:', `    - ${feature}`, ''].join('\n');
    writeFileSync(join(dir, 'good.yml'), rule('good rule', 'api: CreateMutexA'));
    writeFileSync(join(dir, 'broken.yml'), rule('broken rule', 'no-such-feature: 1'));
    const one = await runCli(['triage', '--no-yara', '--capa-rules', dir, mutex], { env });
    assert.equal(one.status, 0, one.stderr);
    const lines = one.stderr.split('\n').filter((l) => l.includes('did not load') || l.includes('.yml'));
    assert.deepEqual(lines.length, 2, one.stderr);
    assert.equal(lines[0], 'firebreak triage: 1 capability rule did not load:');
    assert.equal(lines[1], `firebreak triage:   ${join(dir, 'broken.yml')}: unexpected statement: no-such-feature`);
    assert.match(one.stdout, /good rule/);
    for (let i = 0; i < 11; i++) writeFileSync(join(dir, `broken-${i}.yml`), rule(`broken ${i}`, 'no-such-feature: 1'));
    const many = await runCli(['triage', '--no-yara', '--capa-rules', dir, mutex], { env });
    assert.match(many.stderr, /^firebreak triage: 12 capability rules did not load \(--verbose names each and why\)$/m);
    assert.doesNotMatch(many.stderr, /broken-3\.yml/);
    const verbose = await runCli(['triage', '-v', '--no-yara', '--capa-rules', dir, mutex], { env });
    assert.match(verbose.stderr, /^firebreak triage: 12 capability rules did not load:$/m);
    assert.equal(verbose.stderr.split('\n').filter((l) => /broken(-\d+)?\.yml: /.test(l)).length, 12);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sarif: valid against the OASIS SARIF 2.1.0 schema', async () => {
  const r = await runCli(['triage', '--format', 'sarif', '--verbose', fgcapture], { env });
  assert.equal(r.status, 0, r.stderr);
  const validate = sarifValidator();
  const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
  assert.ok(log.runs[0]!.results.some((x) => x.ruleId === 'capability/firebreak/capture screen when selected programs are in the foreground'));
});

test('a tiny time budget gives a partial result, said on stderr and in the record', async () => {
  const r = await runCli(['triage', '--format', 'json', '--time-budget', '0.000001', mutex], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /partial analysis/);
  const doc = sampleReportSchema.parse(JSON.parse(r.stdout));
  assert.equal(doc.partial, true);
  assert.equal(doc.errors[0]?.code, 'E_TIMEOUT');
});

test('errors: missing file, not a PE, bad flags, missing capa folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-triage-'));
  const text = join(dir, 'note.txt');
  writeFileSync(text, 'not a program');
  const cases: [string[], RegExp][] = [
    [['triage', join(dir, 'absent.exe')], /absent\.exe: no such file \[E_INPUT_NOT_FOUND\]/],
    [['triage', text], /note\.txt: not a PE file.*\[E_INPUT_MALFORMED\]/],
    [['triage', '--format', 'xml', mutex], /\[E_USAGE\]/],
    [['triage', '--time-budget', 'soon', mutex], /--time-budget 'soon' is not a positive number \[E_USAGE\]/],
    [['triage', '--capa-rules', join(dir, 'nope'), mutex], /nope: no such capa rules folder \[E_INPUT_NOT_FOUND\]/],
    [['triage'], /\[E_USAGE\]/],
  ];
  for (const [argv, message] of cases) {
    const r = await runCli(argv, { env });
    assert.equal(r.status, 2, argv.join(' '));
    assert.match(r.stderr, message, argv.join(' '));
    assert.equal(r.stdout, '', argv.join(' '));
  }
});

test('the bundled pack: a YARA hit from rules/ on an example is exit 1, with the family line in the text', async () => {
  const r = await runCli(['triage', FLAME_EXE], { env });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^FAMILY\n {2}family {2}Flame, host of the miniFlame plugin {2}\(score 90\)\n {2}related host of miniFlame; same origin as /m);
  assert.match(r.stdout, /^ {2}why {5}YARA flame\.Flame_Mutex_Format_Strings \(confidence high\)$/m);
  assert.match(r.stdout, /^YARA \(1\)\n {2}yara {2}flame:Flame_Mutex_Format_Strings {2}\$m1@0x/m);
  // Without the pack nothing is a detection: the same file is exit 0, with no family.
  const bare = await runCli(['triage', '--no-yara', FLAME_EXE], { env });
  assert.equal(bare.status, 0, bare.stderr);
  assert.match(bare.stdout, /^FAMILY\n {2}none$/m);
});

test('sarif with YARA and IOC results from the bundled pack, valid, each carrying the family verdict', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-triage-'));
  try {
    // scaud32.exe is one of Flame's file names in rules/iocs/flame.txt.
    const file = join(dir, 'scaud32.exe');
    copyFileSync(FLAME_EXE, file);
    const r = await runCli(['triage', '--format', 'sarif', file], { env });
    assert.equal(r.status, 1, r.stderr);
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string; properties?: { family?: { name: string } } }[]; properties: { family: { name: string } } }[] };
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
    const results = log.runs[0]!.results;
    const yara = results.find((x) => x.ruleId === 'yara/flame/Flame_Mutex_Format_Strings');
    const ioc = results.find((x) => /^ioc\/.*flame\.txt:\d+\/filename$/.test(x.ruleId));
    assert.equal(yara?.level, 'error');
    assert.equal(ioc?.level, 'warning');
    for (const x of [yara!, ioc!]) assert.equal(x.properties?.family?.name, 'Flame');
    assert.equal(log.runs[0]!.properties.family.name, 'Flame');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--db names the nearest family of a build the database never held; without a pack hit it is the family', async () => {
  const [u] = buildFixtures(unseenBuildSpecs().filter((s) => s.family === 'sumtool'));
  const r = await runCli(['triage', '--format', 'json', '--db', join(PROJECT_ROOT, 'rules', 'similarity.db'), u!.path], { env });
  assert.equal(r.status, 1, r.stderr);
  const doc = sampleReportSchema.parse(JSON.parse(r.stdout));
  assert.equal(doc.family?.name, 'sumtool');
  assert.ok(doc.family.score >= 45 && doc.family.score <= 100);
  assert.ok(doc.family.why.every((w) => w.startsWith('similarity: ')));
  // Without --db the same build has no family: the bundled database is not used by default.
  const plain = await runCli(['triage', '--format', 'json', u!.path], { env });
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(JSON.parse(plain.stdout).family, null);
  const missing = await runCli(['triage', '--db', join(ruleCacheHome, 'none.db'), u!.path], { env });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /none\.db: no such similarity database \[E_INPUT_NOT_FOUND\]/);
});

test("--capa-rules parses capa's corpus once into the per-user rule cache; --no-cache neither reads nor writes it", async () => {
  const home = mkdtempSync(join(tmpdir(), 'fb-triage-cache-'));
  try {
    const cacheDir = join(home, 'firebreak');
    const argv = ['triage', '--format', 'json', '--capa-rules', join(ANCHORS_DIR, 'capa-rules'), mutex];
    const none = await runCli(['triage', '--no-cache', ...argv.slice(1)], { env: { XDG_CACHE_HOME: home } });
    assert.equal(none.status, 0, none.stderr);
    assert.equal(existsSync(cacheDir), false);
    const first = await runCli(argv, { env: { XDG_CACHE_HOME: home } });
    const entries = readdirSync(cacheDir).filter((n) => n.startsWith('capability-rules-'));
    assert.equal(entries.length, 1);
    const second = await runCli(argv, { env: { XDG_CACHE_HOME: home } });
    for (const r of [first, second]) assert.equal(r.status, 0, r.stderr);
    const caps = (out: string) => (JSON.parse(out) as { capabilities: unknown[] }).capabilities;
    assert.deepEqual(caps(second.stdout), caps(first.stdout));
    assert.deepEqual(caps(first.stdout), caps(none.stdout));
    assert.deepEqual(readdirSync(cacheDir).filter((n) => n.startsWith('capability-rules-')), entries);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
