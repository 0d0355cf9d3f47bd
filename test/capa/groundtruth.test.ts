// Ground truth: each C program, built for x86 and x64, shows its behaviour in our rules and in capa's; negatives show none.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapabilities, createCapabilityEngine } from '../../src/capabilities/analyze.js';
import { dependencyNames, indexNamespaces } from '../../src/capabilities/ruleset.js';
import { ANCHORS_DIR, PROJECT_ROOT } from '../helpers/paths.js';
import { ARCHES, NEGATIVE_CAPA, PROGRAMS, build } from './programs.js';

const engine = createCapabilityEngine([
  { path: join(PROJECT_ROOT, 'rules', 'capabilities'), ruleSet: 'firebreak' },
  { path: join(ANCHORS_DIR, 'capa-rules'), ruleSet: 'capa' },
]);

test('every rule loads (bundled and capa corpus)', () => {
  assert.deepEqual(engine.failures, []);
  const ours = [...engine.rules.rules.values()].filter((r) => r.ruleSet === 'firebreak' && !r.parent);
  assert.ok(ours.length >= 12, `bundled rules: ${ours.length}`);
});

test("bundled rules never change what capa's rules depend on (no shared names or matched namespaces)", () => {
  const all = [...engine.rules.rules.values()];
  const namespaces = indexNamespaces(all);
  const ours = new Set(all.filter((r) => r.ruleSet === 'firebreak').map((r) => r.name));
  for (const r of all.filter((x) => x.ruleSet === 'capa')) {
    for (const d of dependencyNames(r, namespaces)) assert.ok(!ours.has(d), `${r.name} would depend on bundled rule ${d}`);
  }
});

for (const p of PROGRAMS) {
  for (const arch of ARCHES) {
    test(`${p.source} (${arch})`, () => {
      const bytes = new Uint8Array(readFileSync(build(p, arch)));
      const r = analyzeCapabilities(bytes, { engine });
      assert.equal(r.isPe, true);
      assert.equal(r.partial, false, r.partialReason);
      const ours = new Set(r.capabilities.filter((c) => c.ruleSet === 'firebreak').map((c) => c.rule));
      const capa = new Set(r.capabilities.filter((c) => c.ruleSet === 'capa').map((c) => c.rule));
      for (const name of p.ours) assert.ok(ours.has(name), `missing our rule "${name}"; found: ${[...ours].join(', ')}`);
      for (const name of p.capa) assert.ok(capa.has(name), `missing capa rule "${name}"; found: ${[...capa].join(', ')}`);
      for (const name of p.not ?? []) assert.ok(!ours.has(name) && !capa.has(name), `unexpected "${name}"`);
      if (p.negative) {
        assert.deepEqual([...ours], [], 'a negative matched bundled rules');
        for (const name of NEGATIVE_CAPA) assert.ok(!capa.has(name), `negative matched capa rule "${name}"`);
      }
      // Every capability names where it was found, and carries its ATT&CK or MBC tags as the rule gives them.
      for (const c of r.capabilities) {
        assert.ok(c.addresses.length > 0 || c.scope === 'file', `${c.rule} has no address`);
        const rule = engine.rules.get(c.rule)!;
        assert.deepEqual(c.attack.map((a) => a.id), rule.attack.map((a) => a.id));
      }
    });
  }
}

test('--verbose evidence names the matching features and their addresses', () => {
  const p = PROGRAMS.find((x) => x.source === 'mutex.c')!;
  const r = analyzeCapabilities(new Uint8Array(readFileSync(build(p, 'x64'))), { engine, evidence: true });
  const c = r.capabilities.find((x) => x.rule === 'ensure single instance with a named mutex')!;
  const text = JSON.stringify(c.evidence);
  assert.match(text, /api\(CreateMutex/);
  assert.match(text, /number\(0xb7\)/);
  assert.match(text, /"addresses":\["0x[0-9a-f]+"/);
});
