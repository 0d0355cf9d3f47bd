// `firebreak triage` end to end, in-process: text, JSON (the report record) and SARIF (schema-valid), flags and errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runCli } from '../../test/helpers/cli.js';
import { ANCHORS_DIR } from '../../test/helpers/paths.js';
import { PROGRAMS, build } from '../../test/capa/programs.js';
import { sampleReportSchema } from '../report/schema.js';

const fgcapture = build(PROGRAMS.find((p) => p.source === 'fgcapture.c')!, 'x86');
const mutex = build(PROGRAMS.find((p) => p.source === 'mutex.c')!, 'x64');

test('text: PE summary, capabilities under ATT&CK tactics, YARA, IOCs, anomalies', async () => {
  const r = await runCli(['triage', fgcapture]);
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
  const r = await runCli(['triage', '--verbose', '--capa-rules', join(ANCHORS_DIR, 'capa-rules'), mutex]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ensure single instance with a named mutex/);
  assert.match(r.stdout, /create or open mutex on Windows {2}.*\[capa: host-interaction\/mutex\]$/m);
  assert.match(r.stdout, /function @ 0x[0-9a-f]+: and\n\s+or\n\s+api\(CreateMutex[AW]?\)\s+@ 0x/);
});

test('json: a valid report record', async () => {
  const r = await runCli(['triage', '--format', 'json', mutex]);
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

test('sarif: valid against the OASIS SARIF 2.1.0 schema', async () => {
  const r = await runCli(['triage', '--format', 'sarif', '--verbose', fgcapture]);
  assert.equal(r.status, 0, r.stderr);
  // The schema is draft-04; ajv 8 reads it once `id` is spelled `$id` (it uses no draft-04-only keyword).
  const schema = JSON.parse(readFileSync(join(ANCHORS_DIR, 'schemas', 'sarif-2.1.0', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
  assert.ok(log.runs[0]!.results.some((x) => x.ruleId === 'capability/firebreak/capture screen when selected programs are in the foreground'));
});

test('a tiny time budget gives a partial result, said on stderr and in the record', async () => {
  const r = await runCli(['triage', '--format', 'json', '--time-budget', '0.000001', mutex]);
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
    const r = await runCli(argv);
    assert.equal(r.status, 2, argv.join(' '));
    assert.match(r.stderr, message, argv.join(' '));
    assert.equal(r.stdout, '', argv.join(' '));
  }
});
