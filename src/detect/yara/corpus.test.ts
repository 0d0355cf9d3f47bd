// On the Wine PE corpus with bench.yar: native and WASM give identical hits, and both agree with Debian's yara.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FirebreakError } from '../../core/errors.js';
import type { YaraMatch } from '../../core/findings.js';
import type { RuleSet, YaraEngine } from '../engine.js';
import { loadEngine } from '../load-engine.js';
import { loadRuleSources } from '../rules/load.js';
import { wineCorpusDir, wineCorpusFiles } from '../../../test/helpers/corpus.js';
import { SHARED_DIR } from '../../../test/helpers/paths.js';

const BENCH_YAR = join(SHARED_DIR, 'corpus', 'bench.yar');

/** Every hit of one file, in a canonical order, as comparable text: rule, then each string's offsets and lengths. */
function canonical(matches: YaraMatch[]): string[] {
  return matches
    .map((m) => {
      const strings = [...m.strings]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((s) => `${s.id}=${s.matches.map((x) => `${x.offset}+${x.length}`).join(',')}`);
      return `${m.namespace}:${m.rule} ${strings.join(' ')}`;
    })
    .sort();
}

async function tryEngine(pref: 'native' | 'wasm'): Promise<YaraEngine | string> {
  try {
    return await loadEngine(pref);
  } catch (e) {
    if (e instanceof FirebreakError && e.code === 'E_ENGINE_UNAVAILABLE') return e.message;
    throw e;
  }
}

describe('engines on the Wine corpus with bench.yar', () => {
  const files = wineCorpusFiles();
  /** file name -> canonical hits, per engine; filled once and shared by the tests below. */
  const hits = new Map<string, Map<string, string[]>>();
  const sets: RuleSet[] = [];
  const unavailable = new Map<string, string>();

  before(async () => {
    const sources = await loadRuleSources([BENCH_YAR]);
    for (const pref of ['native', 'wasm'] as const) {
      const engine = await tryEngine(pref);
      if (typeof engine === 'string') {
        unavailable.set(pref, engine);
        continue;
      }
      const rs = engine.compile(sources);
      sets.push(rs);
      const perFile = new Map<string, string[]>();
      for (const f of files) perFile.set(basename(f), canonical(rs.scan(readFileSync(f))));
      hits.set(pref, perFile);
    }
  });
  after(() => {
    for (const s of sets) s.dispose();
  });

  it('WASM and native give identical (file, rule, string offsets) hits', (t) => {
    const native = hits.get('native');
    const wasm = hits.get('wasm');
    if (!native || !wasm) return t.skip(`an engine is not available here: ${[...unavailable.values()].join('; ')}`);
    assert.ok(files.length > 600, `the corpus has ${files.length} files`);
    let total = 0;
    for (const [file, n] of native) {
      assert.deepEqual(wasm.get(file), n, `hits differ on ${file}`);
      total += n.length;
    }
    assert.ok(total > 7000, `only ${total} hits: the corpus or rules are not what this test expects`);
  });

  it('the set of (file, rule) hits equals that of Debian yara -r', (t) => {
    const ours = hits.get('native') ?? hits.get('wasm');
    if (!ours) return t.skip(`no engine is available here: ${[...unavailable.values()].join('; ')}`);
    const out = execFileSync('yara', ['-r', '-w', BENCH_YAR, wineCorpusDir()], { maxBuffer: 256 * 1024 * 1024 }).toString();
    const theirs = new Set<string>();
    for (const line of out.split('\n')) {
      const m = /^(\S+) (.+)$/.exec(line);
      if (m) theirs.add(`${basename(m[2]!)} ${m[1]}`);
    }
    const mine = new Set<string>();
    for (const [file, list] of ours) for (const h of list) mine.add(`${file} ${h.split(' ')[0]!.split(':')[1]}`);
    const onlyOurs = [...mine].filter((x) => !theirs.has(x));
    const onlyTheirs = [...theirs].filter((x) => !mine.has(x));
    assert.deepEqual({ onlyOurs: onlyOurs.slice(0, 20), onlyTheirs: onlyTheirs.slice(0, 20) }, { onlyOurs: [], onlyTheirs: [] });
    assert.equal(mine.size, theirs.size);
    assert.ok(mine.size > 7000, `only ${mine.size} hits`);
  });
});
