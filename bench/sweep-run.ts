// The benchmark's second entry: sweep() as `firebreak sweep --format ndjson` runs it, with the PE summary step
// left out, to measure the issue-2 pipeline (read, hash, YARA, IOCs) alone.
// Usage: node dist/bench/sweep-run.js JOBS RULES PATH

import { createRenderer } from '../src/report/render/index.js';
import { sweep } from '../src/sweep/index.js';

const [jobs, rules, path] = process.argv.slice(2);
const renderer = await createRenderer('ndjson', { all: false });
const write = (text: string): Promise<void> => new Promise((ok, fail) => process.stdout.write(text, (e) => (e ? fail(e) : ok())));
const summary = await sweep({
  paths: [path!],
  rules: [rules!],
  jobs: Number(jobs),
  peSummary: 'off',
  onRecord: async (r) => {
    const text = renderer.record(r);
    if (text) await write(text);
  },
});
await write(renderer.end(summary));
