// The one conformance suite every YaraEngine runs: the same rules and bytes must give the same YaraMatch results.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FirebreakError } from '../../core/errors.js';
import type { YaraMatch } from '../../core/findings.js';
import type { CompileOptions, EnginePreference, RuleSet, RuleSource, YaraEngine } from '../engine.js';
import { loadEngine } from '../load-engine.js';
import { loadRuleSources } from '../rules/load.js';
import { wineCorpusDir } from '../../../test/helpers/corpus.js';

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const wide = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf16le'));
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

function src(namespace: string, text: string): RuleSource {
  return { path: `mem/${namespace}.yar`, namespace, text };
}

/** Rule names that matched, sorted. */
function names(m: YaraMatch[]): string[] {
  return m.map((x) => x.rule).sort();
}

/** Offsets of string `id` in rule `rule`'s match. */
function offsets(m: YaraMatch[], rule: string, id: string): number[] {
  const r = m.find((x) => x.rule === rule);
  return r?.strings.find((s) => s.id === id)?.matches.map((x) => x.offset) ?? [];
}

const ENGINES: EnginePreference[] = ['native', 'wasm'];

for (const pref of ENGINES) {
  describe(`YaraEngine conformance: ${pref}`, () => {
    let engine: YaraEngine | undefined;
    let unavailable: string | undefined;
    const sets: RuleSet[] = [];

    before(async () => {
      try {
        engine = await loadEngine(pref);
      } catch (e) {
        if (e instanceof FirebreakError && e.code === 'E_ENGINE_UNAVAILABLE') unavailable = e.message;
        else throw e;
      }
    });
    after(() => {
      for (const s of sets) s.dispose();
    });

    /** Compiles for one test; a missing native binding skips the test and says why. */
    function compile(t: { skip(msg: string): void }, sources: RuleSource[], options?: CompileOptions): RuleSet | undefined {
      if (!engine) {
        t.skip(`engine not available on this platform: ${unavailable}`);
        return undefined;
      }
      const rs = engine.compile(sources, options);
      sets.push(rs);
      return rs;
    }

    it('text strings: offsets and lengths of every occurrence', (t) => {
      const rs = compile(t, [src('t', 'rule a { strings: $a = "hello" $b = "zzz" condition: $a or $b }')]);
      if (!rs) return;
      const m = rs.scan(bytes('say hello, hello'));
      assert.deepEqual(names(m), ['a']);
      assert.deepEqual(m[0]!.strings, [{ id: '$a', matches: [{ offset: 4, length: 5 }, { offset: 11, length: 5 }] }]);
      assert.deepEqual(rs.scan(bytes('say hell')), []);
    });

    it('hex strings: wildcards, nibbles, jumps and alternatives', (t) => {
      const rs = compile(t, [
        src(
          'h',
          `rule wild { strings: $a = { 4D 5A ?? 00 } condition: $a }
           rule nibble { strings: $a = { 4? 5A } condition: $a }
           rule jump { strings: $a = { AA [2-4] BB } condition: $a }
           rule alt { strings: $a = { CC ( 01 | 02 02 ) DD } condition: $a }`,
        ),
      ]);
      if (!rs) return;
      const data = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0xaa, 1, 2, 3, 0xbb, 0xcc, 2, 2, 0xdd]);
      const m = rs.scan(data);
      assert.deepEqual(names(m), ['alt', 'jump', 'nibble', 'wild']);
      assert.deepEqual(m.find((x) => x.rule === 'jump')!.strings[0]!.matches, [{ offset: 4, length: 5 }]);
      assert.deepEqual(m.find((x) => x.rule === 'alt')!.strings[0]!.matches, [{ offset: 9, length: 4 }]);
      // A jump longer than allowed does not match.
      assert.deepEqual(names(rs.scan(Uint8Array.from([0xaa, 1, 2, 3, 4, 5, 0xbb]))), []);
    });

    it('regular expressions, with case-insensitive and dot-all flags', (t) => {
      const rs = compile(t, [
        src(
          'r',
          `rule re { strings: $a = /ab[0-9]+c/ condition: $a }
           rule re_i { strings: $a = /hello world/i condition: $a }
           rule re_s { strings: $a = /x.y/s condition: $a }`,
        ),
      ]);
      if (!rs) return;
      const m = rs.scan(bytes('..ab123c.. HeLLo WoRLD x\ny'));
      assert.deepEqual(names(m), ['re', 're_i', 're_s']);
      assert.deepEqual(m.find((x) => x.rule === 're')!.strings[0]!.matches, [{ offset: 2, length: 6 }]);
      assert.deepEqual(names(rs.scan(bytes('abc x\ny'.replace('\n', '')))), []);
    });

    it('modifiers: nocase, wide, ascii wide, fullword, xor, base64', (t) => {
      const rs = compile(t, [
        src(
          'm',
          `rule no_case { strings: $a = "secret" nocase condition: $a }
           rule wide_only { strings: $a = "secret" wide condition: $a }
           rule both { strings: $a = "secret" ascii wide condition: #a == 2 }
           rule full_word { strings: $a = "evil" fullword condition: $a }
           rule xored { strings: $a = "payload" xor(1-255) condition: $a }
           rule b64 { strings: $a = "This program cannot" base64 condition: $a }
           rule b64wide { strings: $a = "This program cannot" base64wide condition: $a }`,
        ),
      ]);
      if (!rs) return;
      const xored = Uint8Array.from(bytes('payload').map((b) => b ^ 0x5a));
      const b64 = bytes(Buffer.from('xxThis program cannot be run').toString('base64'));
      const b64w = wide(Buffer.from('yyThis program cannot be run').toString('base64'));
      const data = concat(bytes('SeCrEt '), wide('secret'), bytes(' secret notevil evil. '), xored, bytes(' '), b64, bytes(' '), b64w);
      const m = rs.scan(data);
      assert.deepEqual(names(m), ['b64', 'b64wide', 'both', 'full_word', 'no_case', 'wide_only', 'xored']);
      assert.deepEqual(offsets(m, 'full_word', '$a'), [Buffer.from(data).indexOf(' evil.') + 1]);
      assert.deepEqual(offsets(m, 'wide_only', '$a'), [7]);
      // fullword rejects a match inside a word; xor does not match the plain text (key 0 is excluded).
      assert.deepEqual(names(rs.scan(bytes('notevilish payload'))), []);
    });

    it('conditions: counts, offsets, at, in, lengths, loops and filesize', (t) => {
      const rs = compile(t, [
        src(
          'c',
          `rule count3 { strings: $a = "ab" condition: #a == 3 }
           rule second_at { strings: $a = "ab" condition: @a[2] == 4 }
           rule at0 { strings: $a = "ab" condition: $a at 0 }
           rule in_range { strings: $a = "cd" condition: $a in (5..12) }
           rule len { strings: $a = /c+d/ condition: !a[1] == 4 }
           rule all_before { strings: $a = "ab" condition: for all i in (1..#a) : (@a[i] < 12) }
           rule two_of { strings: $x1 = "ab" $x2 = "cd" $x3 = "nope" condition: 2 of ($x*) }
           rule size { condition: filesize == 13 and uint16(0) == 0x6261 }`,
        ),
      ]);
      if (!rs) return;
      const m = rs.scan(bytes('abxxabcccdxab'));
      assert.deepEqual(names(m), ['all_before', 'at0', 'count3', 'in_range', 'len', 'second_at', 'size', 'two_of']);
      assert.deepEqual(names(rs.scan(bytes('zzzzzzzzzzzzzzab'))), []);
    });

    it('pe module conditions on a real PE, checked against pefile', (t) => {
      const file = join(wineCorpusDir(), 'notepad.exe');
      // pefile is the reference for what the pe module must see in this file.
      const facts = JSON.parse(
        execFileSync('/usr/bin/python3', [
          '-c',
          `import pefile, json, sys
p = pefile.PE(sys.argv[1])
imp = next((e.dll.decode(), i.name.decode()) for e in p.DIRECTORY_ENTRY_IMPORT for i in e.imports if i.name)
print(json.dumps({"sections": p.FILE_HEADER.NumberOfSections, "machine": p.FILE_HEADER.Machine,
  "timestamp": p.FILE_HEADER.TimeDateStamp, "dll": imp[0], "fn": imp[1], "isdll": p.is_dll()}))`,
          file,
        ]).toString(),
      ) as { sections: number; machine: number; timestamp: number; dll: string; fn: string; isdll: boolean };
      const rs = compile(t, [
        src(
          'pe',
          `import "pe"
           rule sections { condition: pe.number_of_sections == ${facts.sections} }
           rule sections_wrong { condition: pe.number_of_sections == ${facts.sections + 1} }
           rule machine { condition: pe.machine == ${facts.machine} }
           rule stamp { condition: pe.timestamp == ${facts.timestamp} }
           rule imports { condition: pe.imports("${facts.dll}", "${facts.fn}") }
           rule imports_wrong { condition: pe.imports("${facts.dll}", "NoSuchFunctionAnywhere") }
           rule dll { condition: pe.is_dll() }`,
        ),
      ]);
      if (!rs) return;
      const m = rs.scan(readFileSync(file));
      assert.deepEqual(names(m), ['imports', 'machine', 'sections', 'stamp', ...(facts.isdll ? ['dll'] : [])].sort());
      assert.deepEqual(names(rs.scan(bytes('MZ not a pe'))), []);
    });

    it('tags and meta of each type: text, integers, booleans, floats and non-UTF-8 bytes', (t) => {
      const rs = compile(t, [
        src(
          'meta',
          `rule tagged : apt flame {
             meta:
               author = "a \\"quoted\\" name\\twith tab"
               score = 75
               negative = -3
               hexnum = 0x10
               enabled = true
               disabled = false
               ratio = 0.5
               raw = "ab\\xff\\x00"
               score = 80
             condition: true }`,
        ),
      ]);
      if (!rs) return;
      const [m] = rs.scan(bytes('x'));
      assert.deepEqual(m!.tags, ['apt', 'flame']);
      assert.deepEqual(m!.meta, {
        author: 'a "quoted" name\twith tab',
        score: 80,
        negative: -3,
        hexnum: 16,
        enabled: true,
        disabled: false,
        ratio: 0.5,
        raw: 'ab\\xff\\x00',
      });
      assert.deepEqual(Object.keys(m!.meta)[1], 'score', 'a repeated key keeps its first place');
    });

    it('namespaces: one per file, the same rule name in two files, and global rules stay in theirs', (t) => {
      const rs = compile(t, [
        src('one', 'rule same { strings: $a = "x" condition: $a }'),
        src('two', 'rule same { strings: $a = "x" condition: $a }\nrule other { condition: filesize > 0 }'),
        src('three', 'global rule small { condition: filesize < 5 }\nrule big_only { strings: $a = "x" condition: $a }'),
      ]);
      if (!rs) return;
      const key = (m: YaraMatch[]): string[] => m.map((x) => `${x.namespace}:${x.rule}`).sort();
      assert.deepEqual(key(rs.scan(bytes('x'))), ['one:same', 'three:big_only', 'three:small', 'two:other', 'two:same']);
      // The global rule fails on a big input and so hides only its own namespace's rules.
      assert.deepEqual(key(rs.scan(bytes('xxxxxxxxxx'))), ['one:same', 'two:other', 'two:same']);
      assert.equal(rs.ruleCount, 5);
    });

    it('private rules and private strings are used but never reported', (t) => {
      const rs = compile(t, [
        src(
          'p',
          `private rule helper { strings: $h = "help" condition: $h }
           rule uses { strings: $a = "use" $b = "hidden" private condition: helper and $a and $b }`,
        ),
      ]);
      if (!rs) return;
      const m = rs.scan(bytes('help use hidden'));
      assert.deepEqual(names(m), ['uses']);
      assert.deepEqual(m[0]!.strings.map((s) => s.id), ['$a']);
      assert.deepEqual(names(rs.scan(bytes('use hidden'))), []);
    });

    it('externals: defined at compile time, overridden per scan, back to the default after', (t) => {
      const rs = compile(
        t,
        [
          src(
            'ext',
            `rule by_name { condition: filename == "evil.exe" }
             rule by_ext { condition: extension == ".dll" }
             rule by_num { condition: level > 2 }
             rule by_flag { condition: flagged }`,
          ),
        ],
        { externals: { filename: '', extension: '.dll', level: 1, flagged: false } },
      );
      if (!rs) return;
      const empty = new Uint8Array(0);
      assert.deepEqual(names(rs.scan(empty)), ['by_ext']);
      assert.deepEqual(names(rs.scan(empty, { filename: 'evil.exe', extension: '.exe', level: 3, flagged: true })), [
        'by_flag',
        'by_name',
        'by_num',
      ]);
      assert.deepEqual(names(rs.scan(empty)), ['by_ext'], 'overrides do not leak into the next scan');
      assert.deepEqual(names(rs.scan(empty, { filename: 'evil.exe' })), ['by_ext', 'by_name']);
      assert.deepEqual(names(rs.scan(empty, { filename: 'evil.exe', undeclared: 'x' })), ['by_ext', 'by_name'], 'undeclared names are ignored');
    });

    it('externals: text values that look like numbers or booleans stay text', (t) => {
      // The native binding re-types such text, so its engine scans these files with a WASM build of the same rules.
      const rs = compile(t, [src('ext', 'rule n { condition: filename == "123" }\nrule b { condition: filename == "True" }')], {
        externals: { filename: '' },
      });
      if (!rs) return;
      assert.deepEqual(names(rs.scan(new Uint8Array(0), { filename: '123' })), ['n']);
      assert.deepEqual(names(rs.scan(new Uint8Array(0), { filename: 'True' })), ['b']);
      assert.deepEqual(names(rs.scan(new Uint8Array(0), { filename: 'x' })), []);
    });

    it('externals: a non-integer number', (t) => {
      const rs = compile(t, [src('ext', 'rule r { condition: ratio > 0.7 }')], { externals: { ratio: 0.5 } });
      if (!rs) return;
      assert.deepEqual(names(rs.scan(new Uint8Array(0))), []);
      assert.deepEqual(names(rs.scan(new Uint8Array(0), { ratio: 0.75 })), ['r']);
    });

    // Only the native binding re-types text externals, so only its run has this case.
    if (pref === 'native') it('a compile-time text external the native binding would re-type is refused with E_ENGINE', (t) => {
      if (!engine) return t.skip(`engine not available on this platform: ${unavailable}`);
      assert.throws(
        () => engine!.compile([src('ext', 'rule n { condition: filename == "123" }')], { externals: { filename: '123' } }),
        (e: unknown) => e instanceof FirebreakError && e.code === 'E_ENGINE' && /filename="123"/.test(e.message),
      );
    });

    // The WASM build's scan timeout does not stop a scan (the sweep's worker watchdog bounds it instead, tested in
    // test/sweep), so only the native run has this case.
    if (pref === 'native') it('a scan over its time budget stops with E_TIMEOUT, and the next scan runs', (t) => {
      const rs = compile(t, [
        src('slow', 'rule slow { condition: for all i in (0..filesize) : ( for all j in (0..100) : (uint8(i) != j + 300) ) }\nrule quick { strings: $a = "abc" condition: $a }'),
      ]);
      if (!rs) return;
      const started = performance.now();
      assert.throws(
        () => rs.scan(new Uint8Array(8 << 20), undefined, { timeoutMs: 1000 }),
        (e: unknown) => e instanceof FirebreakError && e.code === 'E_TIMEOUT',
      );
      // Generous: the timer's own granularity is a second, and the machine may be busy.
      assert.ok(performance.now() - started < 30_000);
      assert.deepEqual(names(rs.scan(bytes('abc'), undefined, { timeoutMs: 1000 })), ['quick']);
    });

    it('serialize: native sets load from bytes with the same facts and hits; WASM sets cannot serialize', (t) => {
      const rs = compile(t, [src('one', 'rule a : t { meta: raw = "x\\xff" strings: $a = "abc" condition: $a }'), src('two', 'rule a { condition: filename == "q.exe" }')], {
        externals: { filename: '' },
      });
      if (!rs) return;
      const s = rs.serialize();
      if (pref === 'wasm') {
        assert.equal(s, undefined);
        return;
      }
      assert.ok(s && s.bytes.length > 0);
      const copy = structuredClone(s);
      const back = engine!.deserialize!(copy);
      sets.push(back);
      assert.equal(back.hash, rs.hash);
      assert.equal(back.ruleCount, rs.ruleCount);
      const data = bytes('zabc');
      assert.deepEqual(back.scan(data, { filename: 'q.exe' }), rs.scan(data, { filename: 'q.exe' }));
      assert.deepEqual(back.scan(data).map((m) => `${m.namespace}:${m.rule}`), ['one:a'], 'overrides do not leak after deserialize');
      assert.deepEqual(back.scan(data)[0]!.meta, { raw: 'x\\xff' });
    });

    it('compile errors name the file, line and column (E_RULE_SYNTAX)', async (t) => {
      if (!engine) return t.skip(`engine not available on this platform: ${unavailable}`);
      const dir = mkdtempSync(join(tmpdir(), 'fb-rules-'));
      try {
        writeFileSync(join(dir, 'a_good.yar'), 'rule good { strings: $a = "ok" condition: $a }\n');
        writeFileSync(join(dir, 'b_bad.yar'), '// header\nrule fine { condition: filesize > 0 }\n\nrule broken {\n  condition: nosuch_identifier\n}\n');
        const sources = await loadRuleSources([dir]);
        assert.throws(
          () => engine!.compile(sources),
          (e: unknown) => {
            assert.ok(e instanceof FirebreakError);
            assert.equal(e.code, 'E_RULE_SYNTAX');
            assert.equal(e.input, join(dir, 'b_bad.yar'));
            assert.equal(e.line, 5);
            assert.equal(e.column, 14);
            assert.match(e.message, /nosuch_identifier/);
            return true;
          },
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('skipBadRules leaves the bad file out, lists it, and hashes only what compiled', (t) => {
      const good = src('good', 'rule good { strings: $a = "ok" condition: $a }');
      const bad1 = src('bad1', 'rule bad1 {\n condition: $missing }');
      const bad2 = src('bad2', 'rule bad2 { strings: $a = "x" condition: true }');
      const rs = compile(t, [bad1, good, bad2], { skipBadRules: true });
      if (!rs) return;
      assert.deepEqual(rs.skipped.map((d) => [d.path, d.line, d.severity]), [
        ['mem/bad1.yar', 2, 'error'],
        ['mem/bad2.yar', 1, 'error'],
      ]);
      assert.deepEqual(rs.sources, [good]);
      assert.equal(rs.ruleCount, 1);
      assert.deepEqual(names(rs.scan(bytes('ok'))), ['good']);
      const clean = compile(t, [good], { skipBadRules: true })!;
      assert.equal(rs.hash, clean.hash);
      assert.deepEqual(clean.skipped, []);
    });

    it('warnings are kept, with their file and line', (t) => {
      const rs = compile(t, [
        src('w1', 'rule quiet { strings: $a = "abc" condition: $a }'),
        src('w2', '\n\nrule always { condition: true }'),
      ]);
      if (!rs) return;
      const w = rs.warnings.find((d) => /invariant/.test(d.message));
      assert.ok(w, `an invariant-expression warning among ${JSON.stringify(rs.warnings)}`);
      assert.equal(w.path, 'mem/w2.yar');
      assert.equal(w.line, 3);
      assert.equal(w.severity, 'warning');
    });

    it('empty input: filesize conditions match, string conditions do not', (t) => {
      const rs = compile(t, [
        src('e', 'rule empty { condition: filesize == 0 }\nrule needs_text { strings: $a = "a" condition: $a }'),
      ]);
      if (!rs) return;
      assert.deepEqual(names(rs.scan(new Uint8Array(0))), ['empty']);
    });

    it('large input: a needle near the end of 48 MiB is found at its offset', (t) => {
      const rs = compile(t, [src('big', 'rule needle { strings: $a = "N33DLE-in-a-haystack" condition: $a and filesize > 40MB }')]);
      if (!rs) return;
      const data = new Uint8Array(48 * 1024 * 1024);
      const at = data.length - 1000;
      data.set(bytes('N33DLE-in-a-haystack'), at);
      const m = rs.scan(data);
      assert.deepEqual(offsets(m, 'needle', '$a'), [at]);
    });

    it('maxMatchesPerPattern caps recorded matches (and counts, as in yara)', (t) => {
      const rs = compile(t, [src('cap', 'rule many { strings: $a = "ab" condition: $a }\nrule count { strings: $a = "ab" condition: #a > 5 }')], {
        maxMatchesPerPattern: 3,
      });
      if (!rs) return;
      const m = rs.scan(bytes('ab'.repeat(100)));
      assert.deepEqual(names(m), ['many']);
      assert.equal(m[0]!.strings[0]!.matches.length, 3);
    });

    it('hash: stable for the same input, changed by text, externals, cap and engine', async (t) => {
      const s = [src('h', 'rule h { condition: filesize > 1 }')];
      const a = compile(t, s, { externals: { filename: '' } });
      if (!a) return;
      const b = compile(t, s, { externals: { filename: '' } })!;
      assert.equal(a.hash, b.hash);
      assert.match(a.hash, /^[0-9a-f]{64}$/);
      assert.notEqual(a.hash, compile(t, s, { externals: { filename: 'x' } })!.hash);
      assert.notEqual(a.hash, compile(t, s, { externals: { filename: '' }, maxMatchesPerPattern: 5 })!.hash);
      assert.notEqual(a.hash, compile(t, [src('h', 'rule h { condition: filesize > 2 }')], { externals: { filename: '' } })!.hash);
      const other = await loadEngine(pref === 'native' ? 'wasm' : 'native').catch(() => undefined);
      if (other) {
        const o = other.compile(s, { externals: { filename: '' } });
        assert.notEqual(a.hash, o.hash);
        o.dispose();
      }
    });

    it('a worker thread rebuilds the same set from plain data (or loads it serialized) and gets the same hash and hits', async (t) => {
      const rs = compile(t, [src('wk', 'rule w : tag { meta: n = 1 strings: $a = "work" condition: $a }')], {
        externals: { filename: '' },
      });
      if (!rs) return;
      const data = bytes('a work item, work');
      const workerCode = `
        const { parentPort, workerData } = require('node:worker_threads');
        import(workerData.module).then(async ({ loadEngine }) => {
          const engine = await loadEngine(workerData.engine);
          const rs = engine.compile(workerData.sources, workerData.options);
          const loaded = workerData.serialized ? engine.deserialize(workerData.serialized) : undefined;
          parentPort.postMessage({ hash: rs.hash, hits: rs.scan(workerData.data), loaded: loaded && { hash: loaded.hash, hits: loaded.scan(workerData.data) } });
          rs.dispose();
          loaded?.dispose();
        });`;
      const worker = new Worker(workerCode, {
        eval: true,
        workerData: {
          module: new URL('../load-engine.js', import.meta.url).href,
          engine: rs.engine,
          sources: rs.sources,
          options: { externals: { filename: '' } },
          serialized: rs.serialize(),
          data,
        },
      });
      type Reply = { hash: string; hits: YaraMatch[] };
      const reply = await new Promise<Reply & { loaded?: Reply }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      assert.equal(reply.hash, rs.hash);
      assert.deepEqual(reply.hits, rs.scan(data));
      assert.equal(reply.loaded === undefined, pref === 'wasm', 'native sets travel serialized; WASM ones cannot');
      if (reply.loaded) assert.deepEqual(reply.loaded, { hash: rs.hash, hits: rs.scan(data) });
    });

    it('no sources: an empty set that matches nothing', (t) => {
      const rs = compile(t, []);
      if (!rs) return;
      assert.equal(rs.ruleCount, 0);
      assert.deepEqual(rs.scan(bytes('anything')), []);
    });
  });
}

describe('loadRuleSources', () => {
  it('reads folders recursively in sorted order, one namespace per file, and errors name the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-load-'));
    try {
      mkdirSync(join(dir, 'b', 'deep'), { recursive: true });
      writeFileSync(join(dir, 'z.yar'), 'rule z { condition: true }');
      writeFileSync(join(dir, 'a.YARA'), 'rule a { condition: true }');
      writeFileSync(join(dir, 'b', 'deep', 'c.yar'), 'rule c { condition: true }');
      writeFileSync(join(dir, 'notes.txt'), 'not rules');
      const s = await loadRuleSources([dir, join(dir, 'z.yar')]);
      assert.deepEqual(
        s.map((x) => [x.namespace, x.path]),
        [
          ['a', join(dir, 'a.YARA')],
          ['b/deep/c', join(dir, 'b', 'deep', 'c.yar')],
          ['z', join(dir, 'z.yar')],
        ],
        'the same file named twice is read once',
      );
      await assert.rejects(loadRuleSources([join(dir, 'missing.yar')]), (e: unknown) => {
        assert.ok(e instanceof FirebreakError);
        assert.equal(e.code, 'E_RULE_IO');
        assert.equal(e.input, join(dir, 'missing.yar'));
        return true;
      });
      mkdirSync(join(dir, 'empty'));
      await assert.rejects(loadRuleSources([join(dir, 'empty')]), /no \.yar or \.yara files/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives two files with the same relative name distinct namespaces', async () => {
    const d1 = mkdtempSync(join(tmpdir(), 'fb-ns1-'));
    const d2 = mkdtempSync(join(tmpdir(), 'fb-ns2-'));
    try {
      writeFileSync(join(d1, 'x.yar'), 'rule x { condition: true }');
      writeFileSync(join(d2, 'x.yar'), 'rule x { condition: true }');
      const s = await loadRuleSources([d1, d2]);
      assert.deepEqual(s.map((x) => x.namespace), ['x', 'x~2']);
    } finally {
      rmSync(d1, { recursive: true, force: true });
      rmSync(d2, { recursive: true, force: true });
    }
  });
});
