// `firebreak media`: text and JSON reports on built images, the implant artefacts, --extract safety, exit statuses
// and the one-line errors for images that cannot be read.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { runCli } from '../../test/helpers/cli.js';
import { mkfsFat, putFile, tempDir } from '../../test/media/fat-builder.js';
import { buildHostile, HOSTILE_NAMES } from '../../test/media/hostile.js';
import { buildZoo, pattern, type Zoo } from '../../test/media/zoo.js';
import type { MediaReport } from '../formats/fat/analyse.js';

const work = tempDir();
after(() => rmSync(work, { recursive: true, force: true }));

function oneLine(stderr: string, ...patterns: RegExp[]): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  for (const p of patterns) assert.match(lines[0]!, p);
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      assert.ok(!st.isSymbolicLink(), `symlink written: ${p}`);
      if (st.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('media on the FAT16 zoo volume', () => {
  let zoo: Zoo;
  before(() => {
    zoo = buildZoo('FAT16', work);
  });

  test('text: the listing in tree order with deleted and hidden entries marked, then the anomalies; exit 1', async () => {
    const r = await runCli(['media', zoo.path]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /zoo-FAT16\.img: 8388608 bytes, partition table: none/);
    assert.match(lines[1]!, /^volume whole @0x0: FAT16, \d+ clusters of 512 bytes/);
    // The Flame container: long name ".", Hidden+System+Archive, its 8.3 name noted.
    assert.ok(lines.some((l) => /^ {2}f {4}-HSA +5000 0x[0-9a-f]+ +\/\. {2}\(8\.3 HUB001\.DAT\)$/.test(l)), 'Flame "." entry line');
    // A deleted file inside a folder, after the folder's line (pre-order), with how much can be recovered.
    const docs = lines.findIndex((l) => / \/DOCS$/.test(l));
    const gone = lines.findIndex((l) => l.includes('/DOCS/Deleted Long Name.txt'));
    assert.ok(docs > 0 && gone > docs, 'deleted file listed under its folder');
    assert.match(lines[gone]!, /^ {2}f\* .*\(8\.3 _ELETE~1\.TXT; deleted, recoverable: full\)$/);
    assert.match(r.stdout, /HIGH +FAT_FLAME_DOT_CONTAINER @0x[0-9a-f]+ Flame's USB container: a file whose long name is "\." with 8\.3 name HUB001\.DAT/);
    assert.match(r.stdout, /HIGH +FAT_GAUSS_THUMBS_DB .*"\/\.thumbs\.db", hidden,/);
    assert.match(r.stdout, /HIGH +FAT_GAUSS_SYSTEM32 .*"\/System32\.dat"/);
    assert.match(r.stdout, /MEDIUM +FAT_AUTORUN_INF/);
  });

  test('json: one document whose entries and anomalies match the text report', async () => {
    const [t, j] = await Promise.all([runCli(['media', zoo.path]), runCli(['media', '--format', 'json', zoo.path])]);
    assert.equal(j.status, 1, j.stderr);
    const report = JSON.parse(j.stdout) as MediaReport;
    const v = report.volumes[0]!;
    assert.equal(v.kind, 'FAT16');
    const flame = v.entries.find((e) => e.path === '/.')!;
    assert.deepEqual(
      { name: flame.name, shortName: flame.shortName, hidden: flame.hidden, system: flame.system, attributes: flame.attributes, size: flame.size },
      { name: '.', shortName: 'HUB001.DAT', hidden: true, system: true, attributes: '-HSA', size: 5000 },
    );
    assert.equal(readFileSync(zoo.path).subarray(flame.dataOffset!, flame.dataOffset! + 5000).compare(Buffer.from(zoo.contents.get('/.')!)), 0);
    const codes = new Set(v.anomalies.map((a) => a.code));
    for (const c of ['FAT_FLAME_DOT_CONTAINER', 'FAT_GAUSS_THUMBS_DB', 'FAT_GAUSS_SYSTEM32', 'FAT_SLACK_DATA', 'FAT_CROSS_LINK']) assert.ok(codes.has(c), c);
    // The text listing holds the same paths in the same order.
    const textPaths = t.stdout
      .split('\n')
      .filter((l) => /^ {2}[fd][ *] {3}[-RHSA]{4} /.test(l))
      .map((l) => /0x[0-9a-f]+ +(\/.*?)(?: {2}\(.*\))?$/.exec(l)![1]);
    assert.deepEqual(textPaths, v.entries.map((e) => e.path));
  });

  test('a volume with nothing suspicious exits 0', async () => {
    const clean = mkfsFat(join(work, 'clean.img'), 'FAT12');
    putFile(clean, '::/report.txt', 'quarterly figures\n', work);
    putFile(clean, '::/Long Name Document.docx', pattern(3000, 9), work);
    const r = await runCli(['media', clean]);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /\/Long Name Document\.docx {2}\(8\.3 LONGNA~1\.DOC\)/);
    assert.doesNotMatch(r.stdout, /anomalies/);
  });
});

describe('media --extract', () => {
  let image: string;
  before(() => {
    image = buildHostile(work).path;
  });

  test('hostile names become visible, unique names inside the folder; contents are written intact', async () => {
    const out = join(work, 'extract-hostile');
    const r = await runCli(['media', '--extract', out, image]);
    assert.notEqual(r.status, 2, r.stderr);
    const files = filesUnder(out);
    const root = realpathSync(out);
    for (const f of files) assert.ok(realpathSync(join(out, f)).startsWith(root + sep), `${f} escapes the folder`);
    const names = files.map((f) => f.split(sep));
    for (const parts of names) {
      assert.equal(parts[0], 'whole');
      for (const p of parts) {
        assert.notEqual(p, '.');
        assert.notEqual(p, '..');
        assert.doesNotMatch(p, /[\u0000-\u001f/\\]/);
        assert.doesNotMatch(p, /^(CON|NUL)(\.|$)/i);
      }
    }
    assert.equal(files.length, HOSTILE_NAMES.length);
    assert.deepEqual(
      files.map((f) => f.slice('whole/'.length)),
      ['%252E', '%2E', '%2E%2E', '..%5C..%5Cevil', 'SAME', '_CON', '_con.txt', 'a%01b', 'nul%20', 'ok.txt', 'ok.txt~2', 'same', 'trailing%2E', 'x%2Fy'],
    );
    // Each file holds its own content: the second ok.txt went to ok.txt~2, nothing was written over.
    const byName = new Map(files.map((f) => [f.slice('whole/'.length), readFileSync(join(out, f), 'utf8')]));
    const mapped: Record<string, string> = {
      '.': '%2E',
      '..': '%2E%2E',
      '%2E': '%252E',
      CON: '_CON',
      'con.txt': '_con.txt',
      'a\u0001b': 'a%01b',
      'x/y': 'x%2Fy',
      '..\\..\\evil': '..%5C..%5Cevil',
      'trailing.': 'trailing%2E',
      'nul ': 'nul%20',
    };
    const seen = new Set<string>();
    HOSTILE_NAMES.forEach((n, i) => {
      let name = mapped[n] ?? n;
      if (seen.has(name)) name = `${name}~2`;
      seen.add(name);
      assert.equal(byName.get(name), `content of ${i}\n`, n);
    });
  });

  test('an existing folder that is not empty is refused, and nothing in it is touched', async () => {
    const out = join(work, 'extract-clash');
    mkdirSync(out);
    // An existing, non-empty folder is refused before anything is written.
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const refused = await runCli(['media', '--extract', out, image]);
    assert.equal(refused.status, 2);
    oneLine(refused.stderr, /extract-clash/, /not empty/, /\[E_OUTPUT\]/);
    assert.deepEqual(readdirSync(out), ['keep.txt']);
    assert.equal(readFileSync(join(out, 'keep.txt'), 'utf8'), 'mine');
  });

  test('the zoo: deleted-but-recoverable files are extracted, the "." container under a visible name', async () => {
    const zoo = buildZoo('FAT12', work, 'zoo-extract.img');
    const out = join(work, 'extract-zoo');
    const r = await runCli(['media', '--format', 'json', '--extract', out, zoo.path]);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { extracted: { path: string; written: string; deleted: boolean; complete: boolean }[] };
    const flame = report.extracted.find((x) => x.path === '/.')!;
    assert.equal(relative(out, flame.written), join('whole', '%2E'));
    assert.deepEqual(readFileSync(flame.written), Buffer.from(zoo.contents.get('/.')!));
    const gone = report.extracted.find((x) => x.path === '/DOCS/Deleted Long Name.txt')!;
    assert.deepEqual({ deleted: gone.deleted, complete: gone.complete }, { deleted: true, complete: true });
    assert.equal(readFileSync(gone.written, 'utf8'), 'this file was deleted\n');
  });
});

describe('media on images it cannot read: exit 2, one line naming the input', () => {
  test('a missing file', async () => {
    const p = join(work, 'no-such.img');
    const r = await runCli(['media', p]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    oneLine(r.stderr, /^firebreak media: /, /no-such\.img/, /\[E_INPUT_NOT_FOUND\]$/);
  });

  test('garbage bytes', async () => {
    const p = join(work, 'garbage.img');
    writeFileSync(p, pattern(1024 * 1024, 77));
    const r = await runCli(['media', p]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    oneLine(r.stderr, /garbage\.img/, /no FAT or exFAT volume/, /\[E_INPUT_MALFORMED\]$/);
  });

  test('an image cut inside its boot sector', async () => {
    const zoo = buildZoo('FAT12', work, 'zoo-cut.img');
    const p = join(work, 'cut.img');
    writeFileSync(p, readFileSync(zoo.path).subarray(0, 300));
    const r = await runCli(['media', p]);
    assert.equal(r.status, 2);
    oneLine(r.stderr, /cut\.img/, /shorter than one boot sector/, /\[E_INPUT_MALFORMED\]$/);
  });

  test('an image cut short after its FATs is still read, and says what is missing', async () => {
    const zoo = buildZoo('FAT16', work, 'zoo-half.img');
    const p = join(work, 'half.img');
    writeFileSync(p, readFileSync(zoo.path).subarray(0, 128 * 1024));
    const r = await runCli(['media', p]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /MEDIUM +FAT_VOLUME_TRUNCATED .*only 131072 are present/);
  });

  test('an unknown --format', async () => {
    const r = await runCli(['media', '--format', 'xml', join(work, 'whatever.img')]);
    assert.equal(r.status, 2);
    oneLine(r.stderr, /unknown --format 'xml'/, /\[E_USAGE\]$/);
  });
});
