// IOC list parsing: Firebreak's own format, Loki/signature-base lists as they are, STIX 2.1 bundles, format detection.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FirebreakError } from '../../core/errors.js';
import { ANCHORS_DIR, PROJECT_ROOT } from '../../../test/helpers/paths.js';
import { stixBundleErrors } from '../../../test/detect/stix-schema.js';
import { detectFormat, loadIocLists, parseIocList } from './parse.js';
import { translatePythonRegex } from '../../core/pyregex.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'detect', 'ioc');
const LOKI = join(ANCHORS_DIR, 'signature-base', 'iocs');

function throwsIocSyntax(f: () => unknown, line: number, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof FirebreakError, String(e));
    assert.equal(e.code, 'E_IOC_SYNTAX');
    assert.equal(e.input, 'list.txt');
    assert.equal(e.line, line);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('Firebreak IOC format', () => {
  it('reads every type with scores, descriptions, escapes and comments', async () => {
    const [list] = await loadIocLists([join(FIXTURES, 'firebreak-list.txt')]);
    assert.equal(list!.format, 'firebreak');
    const by = (type: string) => list!.indicators.filter((i) => i.type === type);
    assert.deepEqual(
      list!.indicators.map((i) => i.type),
      ['sha256', 'md5', 'sha1', 'filename', 'path', 'string', 'domain', 'ip', 'regkey', 'regvalue', 'regvalue'],
    );
    const sha = by('sha256')[0]!;
    assert.equal(sha.value, 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f');
    assert.equal(sha.score, 95);
    assert.equal(sha.description, 'test loader');
    assert.equal(sha.line, 4);
    assert.equal(by('md5')[0]!.score, 75, 'the default score');
    assert.equal(by('sha1')[0]!.score, 60);
    assert.equal(by('string')[0]!.value, 'Flame\\;test marker', 'kept as written; the matcher decodes the escape');
    assert.equal(by('string')[0]!.description, 'a string with a semicolon');
    assert.equal(by('regkey')[0]!.value, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Firebreak\\Test');
    assert.deepEqual(list!.warnings, []);
  });

  it('a bad line is E_IOC_SYNTAX naming list and line', () => {
    throwsIocSyntax(() => parseIocList('# c\nmd5:abc\n', 'list.txt', 'firebreak'), 2, /not a md5/);
    throwsIocSyntax(() => parseIocList('sha1:a9993e364706816aba3e25717850c26c9cd0d89d\nmutex:x\n', 'list.txt', 'firebreak'), 2, /TYPE:VALUE/);
    throwsIocSyntax(() => parseIocList('\n\nfilename:evil(.exe\n', 'list.txt'), 3, /not a valid regex/);
    throwsIocSyntax(() => parseIocList('domain:localhost\n', 'list.txt', 'firebreak'), 1, /not a domain/);
    throwsIocSyntax(() => parseIocList('ip:300.1.2.3\n', 'list.txt', 'firebreak'), 1, /not an IPv4/);
    throwsIocSyntax(() => parseIocList('string:ab\n', 'list.txt', 'firebreak'), 1, /shorter than/);
    throwsIocSyntax(() => parseIocList('md5:8f14e45fceea167a5a36dedd4bea2543;150\n', 'list.txt'), 1, /outside 0\.\.100/);
    throwsIocSyntax(() => parseIocList('regvalue:Run\n', 'list.txt', 'firebreak'), 1, /registry value/);
  });

  it('a non-numeric second field is the description', () => {
    const l = parseIocList('domain:Evil.Example.COM.;known C2; seen 2012\n', 'list.txt');
    assert.deepEqual(l.indicators[0], {
      type: 'domain',
      value: 'evil.example.com',
      score: 75,
      description: 'known C2; seen 2012',
      list: 'list.txt',
      line: 1,
    });
  });

  it('never fails with anything but a FirebreakError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('md5:', 'path:(?i)', 'regvalue:HKLM\\a\\b=', ';', '#', '\n'))), (parts) => {
        try {
          parseIocList(parts.join(''), 'fuzz.txt');
        } catch (e) {
          if (!(e instanceof FirebreakError)) throw e;
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
  });
});

describe('Loki / signature-base lists, read from the real files', () => {
  /** Non-comment, non-blank lines of a real list, counted independently of the parser. */
  function dataLines(file: string): string[] {
    return readFileSync(join(LOKI, file), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  }

  it('hash-iocs.txt: every line a hash of the right type with its description', async () => {
    const [list] = await loadIocLists([join(LOKI, 'hash-iocs.txt')]);
    assert.equal(list!.format, 'loki-hash');
    const lines = dataLines('hash-iocs.txt');
    assert.equal(list!.indicators.length + list!.warnings.length, lines.length);
    assert.ok(list!.indicators.length > 3000);
    for (const ind of list!.indicators) {
      assert.equal(ind.value.length, { md5: 32, sha1: 40, sha256: 64 }[ind.type as 'md5']);
      assert.equal(ind.score, 100);
    }
    const first = lines[0]!.split(';');
    const ind = list!.indicators.find((i) => i.value === first[0]!.toLowerCase())!;
    assert.equal(ind.description, first.slice(1).join(';').trim());
  });

  it('filename-iocs.txt: regex, score, false-positive regex and the comment above as description', async () => {
    const [list] = await loadIocLists([join(LOKI, 'filename-iocs.txt')]);
    assert.equal(list!.format, 'loki-filename');
    const lines = dataLines('filename-iocs.txt');
    assert.equal(list!.indicators.length + list!.warnings.length, lines.length);
    for (const w of list!.warnings) assert.match(w.message, /left out$/);
    assert.ok(list!.indicators.every((i) => i.type === 'path'), 'Loki matches these against the full path');
    const withFp = list!.indicators.filter((i) => i.falsePositive !== undefined);
    assert.equal(withFp.length, lines.filter((l) => l.split(';').length >= 3 && l.split(';')[2]!.trim() !== '').length);
    const text = readFileSync(join(LOKI, 'filename-iocs.txt'), 'utf8').split(/\r?\n/);
    const at = text.findIndex((l) => l.startsWith('\\\\Windows\\\\System32\\\\icsvnt32'));
    const ind = list!.indicators.find((i) => i.line === at + 1)!;
    assert.equal(ind.value, text[at]!.split(';')[0]);
    assert.equal(ind.score, Number(text[at]!.split(';')[1]));
    let c = at - 1;
    while (!text[c]!.startsWith('#') || text[c]!.replace(/^#+\s*/, '').trim() === '') c--;
    assert.equal(ind.description, text[c]!.replace(/^#+\s*/, '').trim());
  });

  it('c2-iocs.txt: domains and addresses, with the score field when given', async () => {
    const [list] = await loadIocLists([join(LOKI, 'c2-iocs.txt')]);
    assert.equal(list!.format, 'loki-c2');
    assert.equal(list!.indicators.length + list!.warnings.length, dataLines('c2-iocs.txt').length);
    assert.ok(list!.indicators.some((i) => i.type === 'ip') && list!.indicators.some((i) => i.type === 'domain'));
    const scored = dataLines('c2-iocs.txt').find((l) => /;\d+$/.test(l))!;
    const ind = list!.indicators.find((i) => i.value === scored.split(';')[0])!;
    assert.equal(ind.score, Number(scored.split(';')[1]));
  });

  it('Python regex syntax JS lacks is translated, or reported as a one-line warning naming the line', () => {
    const text = [
      '# Test list',
      '(?i)\\\\mimikatz\\.exe;80',
      '\\\\evil(?P<n>[0-9])(?P=n)\\.dll;70',
      '(?i:scoped)\\.exe;60',
      'x(?>atomic)\\.exe;60',
      '\\\\ok\\.exe;50;(?i)\\\\Program Files\\\\',
    ].join('\n');
    const list = parseIocList(text, 'fn-iocs.txt');
    assert.equal(list.format, 'loki-filename');
    assert.deepEqual(list.indicators.map((i) => i.line), [2, 3, 6]);
    assert.deepEqual(list.warnings.map((w) => [w.line, /scoped|atomic/.exec(w.message)?.[0]]), [
      [4, 'scoped'],
      [5, 'atomic'],
    ]);
    assert.deepEqual(translatePythonRegex('(?i)\\\\mimikatz\\.exe'), { source: '\\\\mimikatz\\.exe', flags: 'i' });
    assert.deepEqual(translatePythonRegex('\\Aa(?P<n>b)(?P=n)c{,3}\\Z(?#note)'), { source: '^a(?<n>b)\\k<n>c{0,3}$', flags: '' });
    assert.deepEqual(translatePythonRegex('(?x) a b # comment\n [ ]'), { source: 'ab[ ]', flags: '' });
    assert.deepEqual(translatePythonRegex('[]a]'), { source: '[\\]a]', flags: '' });
  });

  it('every pattern of the real filename-iocs.txt translates', () => {
    const lines = dataLines('filename-iocs.txt');
    for (const l of lines) {
      const [re, , fp] = l.split(';');
      assert.doesNotThrow(() => translatePythonRegex(re!), l);
      if (fp) assert.doesNotThrow(() => translatePythonRegex(fp), l);
    }
  });
});

describe('STIX 2.1 bundles', () => {
  const text = readFileSync(join(FIXTURES, 'bundle.json'), 'utf8');

  it('the fixture is a valid STIX 2.1 bundle (OASIS schemas)', () => {
    assert.deepEqual(stixBundleErrors(JSON.parse(text)), []);
  });

  it('reads hash, file-name, domain and IP patterns; AND, non-STIX and revoked indicators become warnings', () => {
    const list = parseIocList(text, 'bundle.json');
    assert.equal(list.format, 'stix');
    assert.deepEqual(
      list.indicators.map((i) => [i.type, i.value, i.score]),
      [
        ['sha256', 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f', 90],
        ['md5', '8f14e45fceea167a5a36dedd4bea2543', 90],
        ['filename', '^mssecmgr\\.ocx$', 75],
        ['filename', '^~DEB[0-9]{2}\\.tmp$', 75],
        ['filename', '^wusetupv.*\\.exe$', 75],
        ['domain', 'c2.example.net', 75],
        ['ip', '192.0.2.77', 75],
      ],
    );
    const lines = text.split('\n');
    const hashLine = lines.findIndex((l) => l.includes('indicator--8e2e2d2b')) + 1;
    assert.equal(list.indicators[0]!.line, hashLine);
    assert.equal(list.indicators[5]!.description, 'Test C2 names: Documentation-range names and addresses only');
    assert.deepEqual(
      list.warnings.map((w) => /AND|yara|revoked/.exec(w.message)?.[0]),
      ['AND', 'yara', 'revoked'],
    );
  });

  it('malformed JSON and non-bundles are E_IOC_SYNTAX', () => {
    assert.throws(() => parseIocList('{\n  "type": "bundle",\n  oops\n}', 'b.json'), (e: unknown) => {
      assert.ok(e instanceof FirebreakError);
      assert.equal(e.code, 'E_IOC_SYNTAX');
      assert.equal(e.line, 3);
      return true;
    });
    assert.throws(() => parseIocList('{"type": "indicator"}', 'b.json'), /not a STIX 2.1 bundle/);
  });
});

describe('format detection by content', () => {
  it('tells each format apart whatever the file is called', () => {
    assert.equal(detectFormat('# x\nsha1:a9993e364706816aba3e25717850c26c9cd0d89d\n', 'a'), 'firebreak');
    assert.equal(detectFormat('8f14e45fceea167a5a36dedd4bea2543;Zxshell\n', 'a'), 'loki-hash');
    assert.equal(detectFormat('\\\\svcsstat\\.exe;70\nsvchost.exe;50\n\\\\a\\\\b;60\n', 'a'), 'loki-filename');
    assert.equal(detectFormat('evil.example.com\n192.0.2.1;65\n', 'a'), 'loki-c2');
    assert.equal(detectFormat('\uFEFF {"type":"bundle"}', 'a'), 'stix');
    assert.equal(detectFormat('# only comments\n', 'a'), 'firebreak');
    assert.throws(() => detectFormat('hello world\nanother line\n', 'odd.txt'), (e: unknown) => {
      assert.ok(e instanceof FirebreakError);
      assert.equal(e.code, 'E_IOC_SYNTAX');
      assert.equal(e.line, 1);
      return true;
    });
  });
});
