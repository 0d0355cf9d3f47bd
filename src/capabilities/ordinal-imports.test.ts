// Imports by ordinal answer to capa's `dll.#N` names and to their resolved names, at file scope (`import`) and at
// call sites through the IAT (`api`), on MinGW programs that import ws2_32 by ordinal alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANCHORS_DIR, PROJECT_ROOT } from '../../test/helpers/paths.js';
import { compileC } from '../../test/helpers/mingw.js';
import { ARCHES } from '../../test/capa/programs.js';
import { buildFixtures, importLib } from '../../test/pe/build.js';
import { analyzeCapabilities, createCapabilityEngine } from './analyze.js';

/** One rule per feature, named after it: `<scope> <feature>`. */
function oneFeatureRules(features: [scope: 'file' | 'function', feature: string][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fb-ordinal-rules-'));
  features.forEach(([scope, feature], i) => {
    const text = ['rule:', '  meta:', `    name: ${JSON.stringify(`${scope} ${feature}`)}`, '    scopes:', `      static: ${scope}`, '      dynamic: unsupported', '  features:', `    - ${feature}`, ''];
    writeFileSync(join(dir, `r${i}.yml`), text.join('\n'));
  });
  return dir;
}

function matchedRules(file: string, rulesDir: string, ruleSet: string): Set<string> {
  const engine = createCapabilityEngine([{ path: rulesDir, ruleSet }]);
  assert.deepEqual(engine.failures.map((f) => f.reason), []);
  const a = analyzeCapabilities(readFileSync(file), { engine });
  assert.equal(a.partial, false, a.partialReason);
  return new Set(a.capabilities.map((c) => c.rule));
}

const MATCH: [scope: 'file' | 'function', feature: string][] = [
  ['file', 'import: ws2_32.#23'],
  ['file', 'import: ws2_32.#3'],
  ['file', 'import: ws2_32.#115'],
  ['file', 'import: ws2_32.#499'],
  ['file', 'import: ws2_32.socket'],
  ['file', 'import: socket'],
  ['file', 'import: WSAStartup'],
  ['function', 'api: ws2_32.#23 = socket'],
  ['function', 'api: ws2_32.#3'],
  ['function', 'api: ws2_32.#115'],
  ['function', 'api: ws2_32.#499'],
  ['function', 'api: socket'],
  ['function', 'api: ws2_32.socket'],
  ['function', 'api: closesocket'],
];
/** Names no import answers to: another ordinal, the parser's placeholder for an ordinal without a name, bare `#N`. */
const NO_MATCH: [scope: 'file' | 'function', feature: string][] = [
  ['file', 'import: ws2_32.#24'],
  ['file', 'import: ws2_32.ord499'],
  ['file', 'import: ord499'],
  ['file', 'import: "#23"'],
  ['function', 'api: ws2_32.#24'],
  ['function', 'api: ord499'],
  ['function', 'api: "#23"'],
];

test('ordinal imports yield dll.#N and their resolved names, as import and api features', () => {
  const dir = oneFeatureRules([...MATCH, ...NO_MATCH]);
  try {
    for (const arch of ARCHES) {
      const got = matchedRules(buildFixtures()[arch].features, dir, 'test');
      for (const [scope, f] of MATCH) assert.ok(got.has(`${scope} ${f}`), `${arch}: ${scope} ${f} should match`);
      for (const [scope, f] of NO_MATCH) assert.ok(!got.has(`${scope} ${f}`), `${arch}: ${scope} ${f} should not match`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("capa's create TCP socket matches a socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) call imported by ordinal", () => {
  const rule = join(ANCHORS_DIR, 'capa-rules', 'communication', 'socket', 'tcp', 'create-tcp-socket.yml');
  for (const arch of ARCHES) {
    const exe = compileC([join(PROJECT_ROOT, 'test', 'capa', 'tcpsocket-ordinal.c')], { arch, flags: ['-O2', '-s', importLib(arch, 'ws2_32.def', false)] });
    assert.ok(matchedRules(exe, rule, 'capa').has('create TCP socket'), arch);
  }
});
