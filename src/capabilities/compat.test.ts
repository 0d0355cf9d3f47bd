// capa corpus compatibility: at least 95 % of non-nursery static rules load, and docs/capa-compat.md says which do not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANCHORS_DIR, PROJECT_ROOT } from '../../test/helpers/paths.js';
import { capaCompatibility, renderCompatMarkdown } from './compat.js';

const CAPA_RULES = join(ANCHORS_DIR, 'capa-rules');
const DOC = join(PROJECT_ROOT, 'docs', 'capa-compat.md');

test('loads at least 95 % of the non-nursery capa rules with a static scope', () => {
  const r = capaCompatibility(CAPA_RULES);
  assert.ok(r.staticRules > 600, `expected the whole corpus, saw ${r.staticRules} rules`);
  assert.ok(r.percent >= 95, `${r.percent.toFixed(1)} % loaded; failures: ${r.failures.map((f) => `${f.path}: ${f.reason}`).join('; ')}`);
  // Every failure has a reason a person can act on.
  for (const f of [...r.failures, ...r.nurseryFailures]) assert.ok(f.reason.length > 5, f.path);
  // .NET-only rules load but are reported as unable to match a native PE.
  assert.ok(r.neverMatch.some((n) => /\.NET/.test(n.reason)), 'no .NET-only rule was found');
  assert.ok(r.neverMatch.every((n) => !/\/nursery\//.test(n.path)));
});

test('docs/capa-compat.md matches the corpus (UPDATE_GOLDEN=1 rewrites it)', () => {
  const text = renderCompatMarkdown(capaCompatibility(CAPA_RULES), CAPA_RULES);
  if (process.env.UPDATE_GOLDEN) writeFileSync(DOC, text);
  assert.ok(existsSync(DOC), 'docs/capa-compat.md is missing; run with UPDATE_GOLDEN=1');
  assert.equal(readFileSync(DOC, 'utf8'), text);
});
