// `sweep --capabilities` on the MinGW ground-truth programs of test/capa: each PE (on disk or in an archive) gets
// the capabilities its source was written for, negatives none; capabilities are not findings; the cache keys on the
// capability rules; a result past its budget is partial, flagged and not cached; every format carries them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCapabilityEngine } from '../../src/capabilities/analyze.js';
import { emptyAnalysis, isCacheable } from '../../src/sweep/analysis.js';
import { hashBytes } from '../../src/sweep/hashes.js';
import { CapabilityStep } from '../../src/sweep/steps/capabilities.js';
import { PROGRAMS, build } from '../capa/programs.js';
import { ANCHORS_DIR, PROJECT_ROOT } from '../helpers/paths.js';
import { sarifValidator, stixBundleValidator } from './schemas.js';
import { parseNdjson, sweepCli, tempDir } from './helpers.js';
import { buildZip } from './zip-builder.js';

const BUNDLED_CAPABILITIES = join(PROJECT_ROOT, 'rules', 'capabilities');
const program = (source: string) => PROGRAMS.find((p) => p.source === source)!;

interface Capability {
  rule: string;
  ruleSet?: string;
  attack: { id: string }[];
}
type Sample = { sample: { path: string }; capabilities: Capability[]; partial?: boolean; errors: { code: string }[] };

/** The ground-truth programs, both architectures, named after their source, plus one inside a ZIP and a text file. */
function groundTruthTree(dir: string): void {
  for (const p of PROGRAMS) for (const arch of ['x86', 'x64'] as const) copyFileSync(build(p, arch), join(dir, `${p.source.replace(/\.c$/, '')}-${arch}.exe`));
  writeFileSync(join(dir, 'bundle.zip'), buildZip([{ name: 'inner/mutex.exe', data: readFileSync(build(program('mutex.c'), 'x86')) }]));
  writeFileSync(join(dir, 'notes.txt'), 'not a program\n');
}

function byName(records: Record<string, unknown>[]): Map<string, Sample> {
  const out = new Map<string, Sample>();
  for (const r of records) if (r.type === 'sample') out.set((r as unknown as Sample).sample.path.split('/').pop()!, r as unknown as Sample);
  return out;
}

test('every ground-truth PE gets its own capabilities (files and archive members), negatives none; capabilities alone exit 0', async () => {
  const t = tempDir('fb-caps-');
  try {
    groundTruthTree(t.dir);
    const r = await sweepCli(['--capabilities', '--all', '--format', 'ndjson', '--jobs', '2', t.dir]);
    assert.equal(r.status, 0, r.stderr);
    const { records, summary } = parseNdjson(r.stdout);
    const samples = byName(records);
    let expected = 0;
    for (const p of PROGRAMS) {
      for (const arch of ['x86', 'x64']) {
        const s = samples.get(`${p.source.replace(/\.c$/, '')}-${arch}.exe`);
        assert.ok(s, `${p.source} ${arch} not reported`);
        const found = s.capabilities.map((c) => c.rule);
        for (const rule of p.ours) assert.ok(found.includes(rule), `${p.source} ${arch}: ${rule} missing from ${found.join(', ')}`);
        if (p.negative) assert.deepEqual(found, [], `${p.source} ${arch}`);
        for (const rule of p.not ?? []) assert.ok(!found.includes(rule), `${p.source} ${arch}: ${rule} must not match`);
        assert.ok(s.capabilities.every((c) => c.ruleSet === 'firebreak'));
        assert.equal(s.partial, undefined);
        expected += s.capabilities.length;
      }
    }
    const member = samples.get('mutex.exe');
    assert.ok(member && member.sample.path.endsWith('bundle.zip!inner/mutex.exe'));
    assert.deepEqual(member.capabilities.map((c) => c.rule), ['ensure single instance with a named mutex']);
    assert.deepEqual(samples.get('notes.txt')?.capabilities, []);
    assert.equal((summary.findings as { capabilities: number }).capabilities, expected + 1);
    assert.equal(summary.files.withFindings, 0);
  } finally {
    t.remove();
  }
});

test("--capa-rules adds capa's corpus (and implies --capabilities)", async () => {
  const t = tempDir('fb-caps-');
  try {
    for (const source of ['servicedll.c', 'mutex.c']) copyFileSync(build(program(source), 'x64'), join(t.dir, source.replace(/\.c$/, '.exe')));
    const r = await sweepCli(['--capa-rules', join(ANCHORS_DIR, 'capa-rules'), '--all', '--format', 'ndjson', t.dir]);
    assert.equal(r.status, 0, r.stderr);
    const samples = byName(parseNdjson(r.stdout).records);
    for (const source of ['servicedll.c', 'mutex.c']) {
      const caps = samples.get(source.replace(/\.c$/, '.exe'))!.capabilities;
      for (const rule of program(source).capa) assert.ok(caps.some((c) => c.rule === rule && c.ruleSet === 'capa'), `${source}: capa's ${rule}`);
      for (const rule of program(source).ours) assert.ok(caps.some((c) => c.rule === rule && c.ruleSet === 'firebreak'), `${source}: ${rule}`);
    }
  } finally {
    t.remove();
  }
});

test('the cache keys on the capability rules: a second sweep is served from it, other rules (or none) are not', async () => {
  const t = tempDir('fb-caps-');
  try {
    const tree = join(t.dir, 'tree');
    mkdirSync(tree);
    copyFileSync(build(program('encode.c'), 'x86'), join(tree, 'encode.exe'));
    const cache = ['--cache', join(t.dir, 'cache.sqlite')];
    // The rule cache goes to the per-user cache folder: a temp one here.
    const env = { XDG_CACHE_HOME: join(t.dir, 'user-cache') };
    const run = async (args: string[]) => {
      const r = await sweepCli([...cache, '--all', '--format', 'ndjson', ...args, tree], env);
      assert.equal(r.status, 0, r.stderr);
      const n = parseNdjson(r.stdout);
      return { caps: byName(n.records).get('encode.exe')!.capabilities.map((c) => c.rule), fromCache: Number(n.summary.files.fromCache) };
    };
    const first = await run(['--capabilities']);
    assert.deepEqual(first, { caps: ['encode data with XOR or RC4'], fromCache: 0 });
    assert.deepEqual(await run(['--capabilities']), { caps: first.caps, fromCache: 1 });
    // One more rule folder: a new configuration, so the sample is analysed again and the new rule matches.
    const extra = join(t.dir, 'extra');
    mkdirSync(extra);
    writeFileSync(
      join(extra, 'xor.yml'),
      'rule:\n  meta:\n    name: test xor rule\n    namespace: test\n    scopes:\n      static: function\n      dynamic: unsupported\n  features:\n    - characteristic: nzxor\n',
    );
    const withExtra = await run(['--capa-rules', extra]);
    assert.equal(withExtra.fromCache, 0);
    assert.ok(withExtra.caps.includes('test xor rule'));
    assert.deepEqual(await run([]), { caps: [], fromCache: 0 });
  } finally {
    t.remove();
  }
});

test('a PE past its budget is partial, with an error, and not cacheable; a spent file budget skips the analysis', () => {
  const engine = createCapabilityEngine([{ path: BUNDLED_CAPABILITIES, ruleSet: 'firebreak' }]);
  const bytes = new Uint8Array(readFileSync(build(program('encode.c'), 'x64')));
  const sample = (deadline: number) => ({ display: 'encode.exe', bytes, hashes: hashBytes(bytes), depth: 0, otherHits: [], deadline });

  // A clock that moves a second per reading: recovery stops at its first time check.
  let t = 0;
  const a = emptyAnalysis();
  new CapabilityStep(engine, () => (t += 1000)).run(sample(10_000), a);
  assert.equal(a.partial, true);
  assert.equal(a.errors[0]?.code, 'E_TIMEOUT');
  assert.match(a.errors[0]!.message, /capability analysis partial: time budget/);
  assert.equal(isCacheable(a), false);

  const spent = emptyAnalysis();
  new CapabilityStep(engine, () => 20_000).run(sample(10_000), spent);
  assert.deepEqual(spent.capabilities, []);
  assert.equal(spent.partial, true);
  assert.match(spent.errors[0]!.message, /time budget is spent/);
  assert.equal(isCacheable(spent), false);

  const full = emptyAnalysis();
  new CapabilityStep(engine).run(sample(performance.now() + 60_000), full);
  assert.deepEqual(full.capabilities.map((c) => c.rule), ['encode data with XOR or RC4']);
  assert.equal(full.partial, undefined);
  assert.equal(isCacheable(full), true);
});

test('capabilities in text, SARIF (valid, informational results) and STIX (valid, ATT&CK attack-patterns used by the family)', async () => {
  const t = tempDir('fb-caps-');
  try {
    // scaud32.exe is a Flame file name in the bundled IOC lists: a finding, so every format reports the sample.
    copyFileSync(build(program('fgcapture.c'), 'x86'), join(t.dir, 'scaud32.exe'));
    const text = await sweepCli(['--capabilities', t.dir]);
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stdout, /\n {4}capa {2}capture screen when selected programs are in the foreground {2}\(T1113, T1010, E1113\.m01\) @ 0x[0-9a-f]+ {2}\[collection\/screen-capture\]\n/);
    assert.match(text.stdout, /IOC hits, 2 capabilities;/);

    const sarif = JSON.parse((await sweepCli(['--capabilities', '--format', 'sarif', t.dir])).stdout);
    const validate = sarifValidator();
    assert.equal(validate(sarif), true, JSON.stringify(validate.errors, null, 1));
    const results = sarif.runs[0].results as { ruleId: string; kind: string; level: string; locations: { logicalLocations?: { name: string }[] }[] }[];
    const cap = results.find((r) => r.ruleId === 'capability/firebreak/copy screen contents into a bitmap');
    assert.ok(cap);
    assert.equal(cap.kind, 'informational');
    assert.equal(cap.level, 'none');
    assert.match(cap.locations[0]!.logicalLocations![0]!.name, /^0x[0-9a-f]+$/);
    assert.ok(results.some((r) => r.ruleId.startsWith('ioc/') && r.level === 'warning'));

    const stix = JSON.parse((await sweepCli(['--capabilities', '--format', 'stix', t.dir])).stdout);
    const valid = stixBundleValidator();
    assert.equal(valid(stix), true, JSON.stringify(valid.errors, null, 1).slice(0, 4000));
    type Obj = { type: string; id: string; name?: string; external_references?: { source_name: string; external_id: string; url: string }[]; kill_chain_phases?: { phase_name: string }[]; relationship_type?: string; source_ref?: string; target_ref?: string; sighting_of_ref?: string };
    const objects = stix.objects as Obj[];
    const patterns = objects.filter((o) => o.type === 'attack-pattern');
    assert.deepEqual(patterns.map((p) => p.external_references![0]!.external_id).sort(), ['T1010', 'T1113']);
    const screen = patterns.find((p) => p.external_references![0]!.external_id === 'T1113')!;
    assert.equal(screen.name, 'Screen Capture');
    assert.deepEqual(screen.external_references![0], { source_name: 'mitre-attack', external_id: 'T1113', url: 'https://attack.mitre.org/techniques/T1113/' });
    assert.deepEqual(screen.kill_chain_phases?.map((k) => k.phase_name), ['collection']);
    const flame = objects.find((o) => o.type === 'malware' && o.name === 'Flame')!;
    const uses = objects.filter((o) => o.type === 'relationship' && o.relationship_type === 'uses');
    assert.deepEqual(uses.map((u) => [u.source_ref, u.target_ref]).sort(), patterns.map((p) => [flame.id, p.id]).sort());
    assert.equal(objects.filter((o) => o.type === 'sighting' && o.sighting_of_ref?.startsWith('attack-pattern--')).length, 2);
  } finally {
    t.remove();
  }
});
