// The bundled rule "download module over HTTP and load it" combines two capabilities of one program. No test program
// may chain a download into a load, so its logic is checked here on feature sets holding its parts' matches, each
// part having its own compiled ground truth (test/capa/httpclient.c, test/capa/downloadload.c).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../test/helpers/paths.js';
import { FeatureSet } from '../features/featureset.js';
import { evaluate } from './evaluate.js';
import { parseRule } from './parse.js';

const FILE = join(PROJECT_ROOT, 'rules', 'capabilities', 'load-code', 'module-drop', 'download-and-load-module.yml');
const rule = parseRule(readFileSync(FILE, 'utf8'), FILE);

function withParts(parts: { match?: [string, string][]; imports?: string[] }): FeatureSet {
  const fs = new FeatureSet();
  let at = 0x401000;
  for (const [name, ns] of parts.match ?? []) fs.addMatch(name, ns, [(at += 0x100)]);
  for (const i of parts.imports ?? []) fs.add({ type: 'import', value: i }, 0x500000);
  return fs;
}

const WRITE_LOAD: [string, string] = ['write module to disk and load it', 'load-code/module-drop'];
const HTTP: [string, string] = ['send request and read response over HTTP', 'communication/http/client'];

test('download module over HTTP and load it: both parts in one program, in any two functions', () => {
  assert.equal(rule.name, 'download module over HTTP and load it');
  assert.equal(evaluate(rule.node, withParts({ match: [WRITE_LOAD, HTTP] })).success, true);
  assert.equal(evaluate(rule.node, withParts({ match: [WRITE_LOAD], imports: ['urlmon.URLDownloadToFileW'] })).success, true);
  assert.equal(evaluate(rule.node, withParts({ match: [WRITE_LOAD], imports: ['wininet.InternetReadFile'] })).success, true);
});

test('download module over HTTP and load it: either part alone is not it', () => {
  assert.equal(evaluate(rule.node, withParts({ match: [WRITE_LOAD] })).success, false);
  assert.equal(evaluate(rule.node, withParts({ match: [HTTP] })).success, false);
  assert.equal(evaluate(rule.node, withParts({ imports: ['urlmon.URLDownloadToFileA', 'kernel32.LoadLibraryA'] })).success, false);
});
