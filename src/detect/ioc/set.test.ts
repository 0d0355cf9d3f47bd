// IOC matching: hashes, names and paths, content in ASCII and UTF-16LE with boundaries, and registry hives.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { IocHit } from '../../core/findings.js';
import { ANCHORS_DIR, PROJECT_ROOT } from '../../../test/helpers/paths.js';
import { ContentAutomaton, type Needle } from './content.js';
import { loadIocLists, parseIocList } from './parse.js';
import { createIocSet } from './set.js';
import type { HiveView, IocSubject } from './types.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'detect', 'ioc');
const NO_HASH = { md5: '0'.repeat(32), sha1: '0'.repeat(40), sha256: '0'.repeat(64) };

function subject(path: string, bytes?: Uint8Array): IocSubject {
  return bytes ? { path, ...NO_HASH, bytes } : { path, ...NO_HASH };
}

function set(text: string) {
  return createIocSet([parseIocList(text, 'test.txt')]);
}

const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const utf16 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf16le'));

describe('IocSet.match: hashes, file names, paths', () => {
  it('hashes by lookup, in any case, each hit naming list, line, score and why', () => {
    const s = set('# hashes\nmd5:8F14E45FCEEA167A5A36DEDD4BEA2543;90;loader\nsha256:' + 'ab'.repeat(32) + '\n');
    const hits = s.match({ path: 'x', md5: '8f14e45fceea167a5a36dedd4bea2543', sha1: '1'.repeat(40), sha256: 'AB'.repeat(32) });
    assert.deepEqual(hits, [
      { type: 'md5', indicator: '8f14e45fceea167a5a36dedd4bea2543', list: 'test.txt', line: 2, score: 90, description: 'loader', why: 'md5 equals' },
      { type: 'sha256', indicator: 'ab'.repeat(32), list: 'test.txt', line: 3, score: 75, why: 'sha256 equals' },
    ]);
    assert.equal(s.count, 2);
    assert.deepEqual(s.lists, ['test.txt']);
  });

  it('filename regexes see the base name only; path regexes the whole path with separators as \\', () => {
    const s = set(
      [
        'filename:^mssecmgr\\.ocx$',
        'path:/Windows/Temp/~DF[0-9A-F]{4}\\.tmp$',
        'path:(?i)\\\\system32\\\\icsvnt32\\.dll$',
      ].join('\n'),
    );
    const types = (p: string): string[] => s.match(subject(p)).map((h) => `${h.type}@${h.line}`);
    assert.deepEqual(types('/evidence/c/Windows/System32/mssecmgr.ocx'), ['filename@1']);
    assert.deepEqual(types('/evidence/mssecmgr.ocx.bak'), []);
    assert.deepEqual(types('image.img#p1:/mssecmgr.ocx'), ['filename@1']);
    assert.deepEqual(types('usb.zip!mssecmgr.ocx'), ['filename@1']);
    assert.deepEqual(types('/mnt/c/Windows/Temp/~DF12AB.tmp'), ['path@2']);
    assert.deepEqual(types('C:\\Windows\\Temp\\~DF12AB.tmp'), ['path@2']);
    assert.deepEqual(types('/mnt/c/WINDOWS/System32/ICSVNT32.DLL'), ['path@3']);
    const [h] = s.match(subject('/mnt/c/Windows/Temp/~DF12AB.tmp'));
    assert.equal(h!.why, 'path "\\mnt\\c\\Windows\\Temp\\~DF12AB.tmp" matches');
  });

  it("a real Loki pattern matches a Unix path, and Loki's false-positive field vetoes a hit", async () => {
    const [list] = await loadIocLists([join(ANCHORS_DIR, 'signature-base', 'iocs', 'filename-iocs.txt')]);
    const s = createIocSet([list!]);
    const icsvnt = list!.indicators.find((i) => i.value.includes('icsvnt32'))!;
    const hits = s.match(subject('/cases/host7/Windows/System32/icsvnt32.dll'));
    assert.ok(hits.some((h) => h.line === icsvnt.line && h.score === icsvnt.score), JSON.stringify(hits));
    assert.ok(!s.match(subject('/cases/host7/Windows/System32/icsvnt32.dl')).some((h) => h.line === icsvnt.line));
    const withFp = parseIocList('(?i)\\\\procdump(64)?\\.exe;50;(?i)(SysInternals\\\\)\n', 'fp.txt');
    const fpSet = createIocSet([withFp]);
    assert.equal(fpSet.match(subject('/tmp/x/procdump64.exe')).length, 1);
    assert.equal(fpSet.match(subject('/opt/SysInternals/procdump64.exe')).length, 0);
  });
});

describe('IocSet.match: content in ASCII and UTF-16LE', () => {
  const s = set(
    [
      'domain:evil.com;90;test domain',
      'ip:10.1.2.3',
      'string:Flame\\;marker',
      'string:CaseSensitive',
      'ip:2001:db8::7',
    ].join('\n'),
  );
  const content = (data: Uint8Array): IocHit[] => s.match(subject('f', data));

  it('finds each indicator in both encodings, with its first offset', () => {
    const data = Uint8Array.from(Buffer.concat([ascii('xx '), utf16('EVIL.com'), ascii(' at 10.1.2.3, Flame;marker evil.com')]));
    const hits = content(data);
    assert.deepEqual(
      hits.map((h) => [h.type, h.indicator, h.offset]),
      [
        ['domain', 'evil.com', 3],
        ['ip', '10.1.2.3', 23],
        ['string', 'Flame\\;marker', 33],
      ],
    );
    assert.equal(hits[0]!.why, 'domain "evil.com" in UTF-16LE text at 0x3 (2 occurrences)');
    assert.equal(hits[0]!.description, 'test domain');
    assert.equal(hits[0]!.line, 1);
    assert.deepEqual(content(utf16('see 10.1.2.3 here')).map((h) => h.offset), [8]);
  });

  it('domains and addresses respect boundaries; strings are case-sensitive, domains are not', () => {
    const none = ['notevil.community', 'notevil.com', 'evil.com.au', 'evil.commerce', 'my-evil.com', '110.1.2.3', '10.1.2.34', '10.1.2.3.4', 'casesensitive'];
    for (const t of none) {
      assert.deepEqual(content(ascii(` ${t} `)), [], t);
      assert.deepEqual(content(utf16(` ${t} `)), [], `${t} (UTF-16LE)`);
    }
    for (const t of ['sub.evil.com', 'evil.com.', '"evil.com"', 'http://EVIL.COM/x', 'mail@evil.com', 'evil.com']) {
      assert.equal(content(ascii(t)).length, 1, t);
      assert.equal(content(utf16(t)).length, 1, `${t} (UTF-16LE)`);
    }
    assert.equal(content(ascii('ip=10.1.2.3;')).length, 1);
    assert.equal(content(ascii('[2001:DB8::7]')).length, 1);
    assert.equal(content(ascii('2001:db8::7:1')).length, 0);
    assert.equal(content(ascii('xCaseSensitivex')).length, 1);
  });

  it('empty files and sets without content indicators cost nothing and find nothing', () => {
    assert.deepEqual(content(new Uint8Array(0)), []);
    assert.deepEqual(set('md5:8f14e45fceea167a5a36dedd4bea2543').match(subject('f', ascii('evil.com'))), []);
  });
});

describe('ContentAutomaton', () => {
  /** What a plain search finds: every (needle, start) that passes the same case rule, in end-offset order. */
  function naive(needles: Needle[], data: Uint8Array): [number, number][] {
    const fold = (b: number): number => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
    const out: [number, number][] = [];
    for (let end = 1; end <= data.length; end++) {
      needles.forEach((n, id) => {
        const start = end - n.bytes.length;
        if (start < 0) return;
        for (let j = 0; j < n.bytes.length; j++) {
          const a = data[start + j]!;
          const b = n.bytes[j]!;
          if (n.foldCase ? fold(a) !== fold(b) : a !== b) return;
        }
        out.push([id, start]);
      });
    }
    return out;
  }

  it('finds exactly what a plain search finds (property, on small alphabets that overlap a lot)', () => {
    const byte = fc.constantFrom(0x41, 0x61, 0x42, 0x62, 0x00, 0x2e, 0xff);
    fc.assert(
      fc.property(
        fc.array(fc.record({ bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }).map((b) => b.map((x) => [0x41, 0x61, 0x42, 0x62, 0x00, 0x2e, 0xff][x % 7]!)), foldCase: fc.boolean() }), { minLength: 1, maxLength: 12 }),
        fc.array(byte, { maxLength: 200 }),
        (needles, data) => {
          const d = Uint8Array.from(data);
          const ac = new ContentAutomaton(needles);
          const got: [number, number][] = [];
          ac.scan(d, (id, start) => {
            got.push([id, start]);
          });
          const want = naive(needles, d);
          const key = (x: [number, number]): string => `${x[1] + needles[x[0]]!.bytes.length}:${x[0]}`;
          assert.deepEqual(got.map(key).sort(), want.map(key).sort());
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });

  it('stops when the callback returns false', () => {
    const ac = new ContentAutomaton([{ bytes: ascii('ab'), foldCase: false }]);
    let n = 0;
    ac.scan(ascii('ababab'), () => {
      n++;
      return false;
    });
    assert.equal(n, 1);
  });
});

describe('IocSet.matchHive', () => {
  /** A hive in memory: the shape formats/regf will provide. */
  function hive(name: string, values: [string, string, string][]): HiveView {
    return {
      name,
      forEachKey(visit) {
        for (const k of new Set(values.map((v) => v[0]))) visit(k);
      },
      forEachValue(visit) {
        for (const [k, n, d] of values) visit(k, n, d);
      },
    };
  }

  it('regkey: full key path, case-insensitive, root names abbreviated; HKCU matches every user hive', async () => {
    const [list] = await loadIocLists([join(FIXTURES, 'firebreak-list.txt')]);
    const s = createIocSet([list!]);
    const h = hive('/cases/SOFTWARE', [['HKLM\\Software\\FIREBREAK\\test', 'x', '1']]);
    assert.deepEqual(
      s.matchHive(h).map((x) => [x.type, x.line, x.why]),
      [['regkey', 12, 'key HKLM\\Software\\FIREBREAK\\test exists in hive /cases/SOFTWARE']],
    );
    assert.deepEqual(s.matchHive(hive('h', [['HKLM\\Software\\Firebreak\\Test\\Sub', 'x', '1']])), [], 'a subkey is not the key');
  });

  it('regvalue: key and name case-insensitive, optional data regex, (default) value', async () => {
    const [list] = await loadIocLists([join(FIXTURES, 'firebreak-list.txt')]);
    const s = createIocSet([list!]);
    const run = 'HKU\\S-1-5-21-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
    const hits = s.matchHive(
      hive('/cases/NTUSER.DAT', [
        [run, 'Updater', 'C:\\Users\\a\\AppData\\Local\\TEMP\\u.exe'],
        [run, 'Other', 'C:\\Temp\\x.exe'],
      ]),
    );
    assert.deepEqual(hits.map((x) => [x.type, x.line, x.score]), [['regvalue', 13, 90]]);
    assert.match(hits[0]!.why, /^value HKU\\S-1-5-21-1000\\.*\\Run\\Updater = "C:\\Users.*u\.exe" in hive \/cases\/NTUSER\.DAT$/);
    assert.deepEqual(s.matchHive(hive('n', [[run, 'updater', 'C:\\Program Files\\u.exe']])), [], 'data regex does not match');
    const svc = s.matchHive(hive('SYSTEM', [['HKLM\\SYSTEM\\CurrentControlSet\\Services\\TestSvc', '', 'anything']]));
    assert.deepEqual(svc.map((x) => x.line), [14]);
    assert.deepEqual(s.matchHive(hive('SYSTEM', [['HKLM\\SYSTEM\\CurrentControlSet\\Services\\TestSvc', 'ImagePath', 'x']])), []);
  });

  it('reports each indicator once per hive even when the key is visited under two names', () => {
    const s = set('regkey:HKLM\\SYSTEM\\CurrentControlSet\\Services\\x');
    const h = hive('SYSTEM', [
      ['HKLM\\SYSTEM\\CurrentControlSet\\Services\\x', 'a', '1'],
      ['HKLM\\SYSTEM\\currentcontrolset\\services\\X', 'b', '2'],
    ]);
    assert.equal(s.matchHive(h).length, 1);
  });
});

describe('a real combined set', () => {
  it('builds from the signature-base lists plus own and STIX lists', async () => {
    const dir = join(ANCHORS_DIR, 'signature-base', 'iocs');
    const lists = await loadIocLists([
      join(dir, 'hash-iocs.txt'),
      join(dir, 'filename-iocs.txt'),
      join(dir, 'c2-iocs.txt'),
      join(FIXTURES, 'firebreak-list.txt'),
      join(FIXTURES, 'bundle.json'),
    ]);
    const s = createIocSet(lists);
    assert.equal(s.count, lists.reduce((n, l) => n + l.indicators.length, 0));
    const c2 = lists[2]!.indicators.find((i) => i.type === 'domain')!;
    const hits = s.match(subject('/x/readme.txt', ascii(`contact ${c2.value} now`)));
    assert.ok(hits.some((h) => h.indicator === c2.value && h.list.endsWith('c2-iocs.txt') && h.offset === 8));
    assert.ok(readFileSync(join(FIXTURES, 'bundle.json')).length > 0);
  });
});
