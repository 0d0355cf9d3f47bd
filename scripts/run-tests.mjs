#!/usr/bin/env node
// Runs every built *.test.js under dist/ with Node's test runner (Node 20 has no glob for --test).
// Usage: node scripts/run-tests.mjs [substring ...]   — only test files whose path contains one of the substrings.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
}
for (const d of ['dist/src', 'dist/test']) {
  try { walk(join(root, d)); } catch { /* not built yet */ }
}
const chosen = files.filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s))).sort();
if (chosen.length === 0) {
  console.error(`run-tests: no test files${filters.length ? ` match ${filters.join(', ')}` : ' (run npm run build first)'}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...chosen], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
