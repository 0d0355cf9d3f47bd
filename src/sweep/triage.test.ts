// triageSample: YARA and IOC hits beside the capabilities, the report record's hashes and PE summary, non-PE input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FirebreakError } from '../core/errors.js';
import type { YaraMatch } from '../core/findings.js';
import { createIocSet, parseIocList } from '../detect/index.js';
import { hasFindings, sampleReportSchema } from '../report/schema.js';
import { PROJECT_ROOT } from '../../test/helpers/paths.js';
import { PROGRAMS, build } from '../../test/capa/programs.js';
import { createCapabilityEngine } from '../capabilities/analyze.js';
import { groupByTactic } from '../report/render/capabilities.js';
import { renderTriageText } from '../report/render/triage-text.js';
import { triageSample } from './triage.js';

const engine = createCapabilityEngine([{ path: join(PROJECT_ROOT, 'rules', 'capabilities'), ruleSet: 'firebreak' }]);
const path = build(PROGRAMS.find((p) => p.source === 'servicedll.c')!, 'x86');
const bytes = new Uint8Array(readFileSync(path));
const sha256 = createHash('sha256').update(bytes).digest('hex');

test('YARA and IOC hits land in the record beside the capabilities, and count as findings', () => {
  const yaraHit: YaraMatch = { rule: 'NlaServiceDll', namespace: 'test', tags: [], meta: {}, strings: [{ id: '$a', matches: [{ offset: 0x40, length: 10 }] }] };
  const seen: Record<string, unknown>[] = [];
  const yara = { scan: (_b: Uint8Array, ext?: Record<string, unknown>) => (seen.push(ext ?? {}), [yaraHit]) };
  const iocs = createIocSet([parseIocList(`sha256:${sha256};90;the test program\nstring:ServiceDll;60\n`, 'test.txt', 'firebreak')]);
  const t = triageSample(bytes, { path: 'samples/servicedll.exe', engine, yara, iocs });
  const r = sampleReportSchema.parse(t.report);
  assert.equal(r.sample.sha256, sha256);
  assert.equal(r.sample.path, 'samples/servicedll.exe');
  assert.deepEqual(r.yara, [yaraHit]);
  assert.equal(seen[0]!.filename, 'servicedll.exe', 'YARA gets the file name as an external');
  assert.deepEqual(r.iocs.map((h) => h.type).sort(), ['sha256', 'string']);
  assert.ok(r.capabilities.some((c) => c.rule === 'set ServiceDll of the Nla service'));
  assert.equal(hasFindings(r), true);
  const text = renderTriageText(t, { verbose: false });
  // The sweep's own YARA and IOC lines, two spaces further out.
  assert.match(text, /^YARA \(1\)\n {2}yara {2}test:NlaServiceDll {2}\$a@0x40$/m);
  assert.match(text, /^ {2}ioc {3}sha256 [0-9a-f]{64} {2}\(test\.txt:1, score 90\) {2}sha256 equals/m);
  assert.match(text, /^FAMILY\n {2}none$/m);
});

test('without YARA or IOC hits there are no findings, whatever the capabilities', () => {
  const t = triageSample(bytes, { path: path, engine });
  assert.ok(t.report.capabilities.length > 0);
  assert.equal(hasFindings(t.report), false);
  const groups = groupByTactic(t.report.capabilities).map(([k]) => k);
  assert.ok(groups.includes('Persistence'));
});

test('bytes that are not a PE are an input error naming the file', () => {
  assert.throws(
    () => triageSample(new TextEncoder().encode('MZ but not really'), { path: 'x.bin', engine }),
    (e: unknown) => e instanceof FirebreakError && e.code === 'E_INPUT_MALFORMED' && e.input === 'x.bin',
  );
});
