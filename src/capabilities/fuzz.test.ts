// Fuzzing the rule parser with mutated real capa rules: it returns a rule or a RuleLoadError, never anything else.
// FUZZ_RUNS=N raises the number of inputs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ANCHORS_DIR } from '../../test/helpers/paths.js';
import { parseRule, RuleLoadError } from './parse.js';
import { RuleSet } from './ruleset.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEEDS = [
  'collection/screenshot/capture-screenshot.yml',
  'load-code/pe/parse-pe-header.yml',
  'data-manipulation/encryption/rc4/encrypt-data-using-rc4-ksa.yml',
  'host-interaction/hardware/enumerate-devices-by-category.yml',
  'anti-analysis/anti-debugging/debugger-detection/check-for-software-breakpoints.yml',
].map((p) => readFileSync(join(ANCHORS_DIR, 'capa-rules', p), 'utf8'));

const edit = fc.oneof(
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), ch: fc.constantFrom(' ', '-', ':', '\n', '(', ')', '/', '0', 'x', '#', '"', '=', '\t', '[', '{') }),
  fc.record({ kind: fc.constant('dropline' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dupline' as const), at: fc.nat() }),
);

function apply(text: string, edits: { kind: string; at: number; ch?: string }[]): string {
  let t = text;
  for (const e of edits) {
    if (e.kind === 'char') {
      const i = e.at % (t.length + 1);
      t = t.slice(0, i) + e.ch! + t.slice(i + 1);
    } else {
      const lines = t.split('\n');
      const i = e.at % lines.length;
      if (e.kind === 'dropline') lines.splice(i, 1);
      else lines.splice(i, 0, lines[i]!);
      t = lines.join('\n');
    }
  }
  return t;
}

test('mutated capa rules parse or fail with a reason; a rule set of them builds', () => {
  fc.assert(
    fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 6 }), (which, edits) => {
      const text = apply(SEEDS[which]!, edits);
      try {
        const r = parseRule(text, 'fuzz.yml');
        assert.equal(typeof r.name, 'string');
        new RuleSet([r]);
      } catch (e) {
        if (!(e instanceof RuleLoadError)) throw e;
        assert.ok(e.message.length > 0);
      }
    }),
    { numRuns: RUNS, seed: 1234 },
  );
});
