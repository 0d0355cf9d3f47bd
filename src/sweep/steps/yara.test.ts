// The YARA step: path externals reach the engine (text that looks like a number included), and a scan the engine
// stops for time leaves the sample reported, marked timeout, and out of the cache.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FirebreakError } from '../../core/errors.js';
import { loadEngine } from '../../detect/load-engine.js';
import type { RuleSet } from '../../detect/engine.js';
import { emptyAnalysis, isCacheable } from '../analysis.js';
import { hashBytes } from '../hashes.js';
import { scanTimeoutMs } from '../limits.js';
import { defaultExternals, YaraStep } from './yara.js';

const bytes = new TextEncoder().encode('some bytes');
const sample = (display: string) => ({ display, bytes, hashes: hashBytes(bytes), depth: 0, otherHits: [] });

test('file names that look like numbers or booleans reach filename rules as text', async () => {
  const engine = await loadEngine('auto');
  const rules = engine.compile(
    [{ path: 'n.yar', namespace: 'n', text: 'rule by_number { condition: filename == "123" }\nrule by_word { condition: filename == "TRUE" and extension == "" }' }],
    { externals: defaultExternals() },
  );
  try {
    const step = new YaraStep(rules, true);
    for (const [display, rule] of [['case/123', 'by_number'], ['case/x.zip!TRUE', 'by_word']] as const) {
      const a = emptyAnalysis();
      step.run(sample(display), a);
      assert.deepEqual(a.yara.map((m) => m.rule), [rule], display);
      assert.deepEqual(a.errors, []);
    }
  } finally {
    rules.dispose();
  }
});

test('a scan the engine stops for time: no matches, skipped timeout, not cached; the budget is in the options', () => {
  let asked: number | undefined;
  const stopping = {
    scan(_b: Uint8Array, _e: unknown, options?: { timeoutMs?: number }) {
      asked = options?.timeoutMs;
      throw new FirebreakError('E_TIMEOUT', 'yara-x scan stopped after 45 s');
    },
    dispose() {},
  } as unknown as RuleSet;
  const a = emptyAnalysis();
  new YaraStep(stopping, false).run(sample('big.bin'), a);
  assert.deepEqual(a.yara, []);
  assert.deepEqual(a.skipped, { reason: 'timeout', detail: 'yara-x scan stopped after 45 s' });
  assert.equal(isCacheable(a), false);
  assert.equal(asked, scanTimeoutMs(bytes.length));
  // Three quarters of the file's budget, in whole 5 s steps: 45 s for a small file, more for a large one.
  assert.equal(scanTimeoutMs(0), 45_000);
  assert.equal(scanTimeoutMs(400 * 1024 * 1024), 120_000);
});
