// The worker pool: a file over its time budget is reported as a timeout, its worker replaced, and the files
// queued behind it still analysed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngine, loadRuleSources } from '../../src/detect/index.js';
import { HASH_NAMES } from '../../src/sweep/hashes.js';
import { WorkerPool } from '../../src/sweep/pool.js';
import { tempDir } from './helpers.js';

test('a file over its time budget times out, and the pool goes on with a new worker', async () => {
  const t = tempDir();
  try {
    // A condition that visits every byte: slow enough on 16 MiB to outlast a 20 ms budget.
    const rules = join(t.dir, 'slow.yar');
    writeFileSync(rules, 'rule slow { condition: for all i in (0..filesize - 4) : ( uint32(i) != 0x12345678 ) }\nrule small { strings: $a = "tiny" condition: $a }\n');
    writeFileSync(join(t.dir, 'big.bin'), Buffer.alloc(16 * 1024 * 1024, 1));
    writeFileSync(join(t.dir, 'small.txt'), 'a tiny file');
    const engine = await loadEngine('auto');
    const plan = { engine: engine.name, rules: await loadRuleSources([rules]), compile: {}, iocLists: [], pathExternals: false, maxSize: 1 << 30, exclude: [], pe: 'off' as const, hashes: { every: [...HASH_NAMES] } };
    const pool = new WorkerPool(plan, 1, (size) => (size > 1024 * 1024 ? 20 : 60_000), 10);
    try {
      const big = pool.run({ id: 1, display: 'big.bin', path: join(t.dir, 'big.bin') }, 16 * 1024 * 1024);
      const small = pool.run({ id: 2, display: 'small.txt', path: join(t.dir, 'small.txt') }, 11);
      const a = await big;
      assert.equal(a.kind, 'unread');
      assert.equal(a.kind === 'unread' && a.skipped?.reason, 'timeout');
      const b = await small;
      assert.equal(b.kind, 'sample');
      assert.deepEqual(b.kind === 'sample' && b.analysis.yara.map((m) => m.rule), ['slow', 'small']);
    } finally {
      await pool.close();
    }
  } finally {
    t.remove();
  }
});
