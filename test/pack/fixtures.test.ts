// The pack's fixtures: rebuilt by the script they match the committed examples/, Debian's yara agrees with the
// engine on them, the hives and the USB images are well formed, and each fixture yields its family verdict.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadEngine } from '../../src/detect/load-engine.js';
import { loadRuleSources } from '../../src/detect/rules/load.js';
import { familyVerdict, loadFamilies } from '../../src/detect/families.js';
import { loadPackIocs } from '../../src/detect/ruletest/iocs.js';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { DiskImageSource } from '../../src/sweep/sources/disk-image.js';
import { buildFixtures, EXAMPLES_DIR } from './build-fixtures.js';
import { FIXTURES } from './fixtures.js';

const RULES = join(PROJECT_ROOT, 'rules');
const IMAGE_FILE_MACHINE_I386 = 0x14c;

/** (rule, file relative to its folder) pairs Debian's yara reports for a folder. */
function yaraHits(dir: string): string[] {
  const files = ['duqu', 'flame', 'gauss', 'miniflame', 'stuxnet'].map((f) => join(RULES, 'yara', `${f}.yar`));
  const out = execFileSync('yara', ['-w', '-r', ...files, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [rule, ...path] = l.split(' ');
      return `${rule} ${relative(dir, path.join(' '))}`;
    })
    .sort();
}

function peMachine(bytes: Uint8Array): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return v.getUint16(v.getUint32(0x3c, true) + 4, true);
}

test('the build script rebuilds examples/: generated files byte for byte, PE files with the same hits, all 32-bit', () => {
  const out = mkdtempSync(join(tmpdir(), 'fb-pack-'));
  try {
    const built = buildFixtures(out);
    assert.equal(built.length, FIXTURES.length);
    for (const b of built) {
      const committed = readFileSync(join(EXAMPLES_DIR, b.fixture.path));
      const rebuilt = readFileSync(b.file);
      if (b.fixture.kind === 'generated') assert.ok(committed.equals(rebuilt), `${b.fixture.path} differs from a rebuild`);
      else {
        assert.equal(peMachine(rebuilt), IMAGE_FILE_MACHINE_I386, b.fixture.path);
        assert.equal(peMachine(committed), IMAGE_FILE_MACHINE_I386, b.fixture.path);
      }
    }
    assert.deepEqual(yaraHits(out), yaraHits(EXAMPLES_DIR));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("Debian's yara and the engine agree on examples/, and each rule hits exactly the files in its own folder", async () => {
  const reference = yaraHits(EXAMPLES_DIR);
  const engine = await loadEngine();
  const set = engine.compile(await loadRuleSources([join(RULES, 'yara')]));
  const mine: string[] = [];
  for (const f of FIXTURES) {
    for (const m of set.scan(readFileSync(join(EXAMPLES_DIR, f.path)))) mine.push(`${m.rule} ${f.path}`);
  }
  assert.deepEqual(mine.sort(), reference);
  const expected = FIXTURES.filter((f) => f.rule !== undefined).map((f) => `${f.rule} ${f.path}`).sort();
  assert.deepEqual(reference, expected);
  set.dispose();
});

test('the hive fixtures read back with hivexsh: the miniFlame markers and the Stuxnet service key', () => {
  const hive = join(EXAMPLES_DIR, 'miniflame/MiniFlame_TimeZone_Bias_Host_Marker/Windows/System32/config/SYSTEM');
  const script = 'cd ControlSet001\\Control\\TimeZoneInformation\nlsval\ncd \\ControlSet001\\Services\\Nla\\Parameters\nlsval\n';
  const r = spawnSync('hivexsh', [hive], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"standarddatebias"=dword:00000000/);
  assert.match(r.stdout, /"standardtimebias"=dword:00000000/);
  assert.match(r.stdout, /"ServiceDll"=str\(2\):"%windir%\\\\system32\\\\icsvnt32\.ocx"/);
  const stux = spawnSync('hivexsh', [join(EXAMPLES_DIR, 'stuxnet/host/Windows/System32/config/SYSTEM')], {
    input: 'cd ControlSet001\\Services\\MRxCls\nlsval\n',
    encoding: 'utf8',
  });
  assert.equal(stux.status, 0, stux.stderr);
  assert.match(stux.stdout, /"ImagePath"=str\(2\):"\\\\SystemRoot\\\\System32\\\\drivers\\\\mrxcls\.sys"/);
});

/** Root-directory listing of a FAT image by sleuthkit: `fls -r`, and with `-a` (every entry, hidden ones too). */
function flsListing(img: string): { plain: string; all: string } {
  const fsck = spawnSync('fsck.fat', ['-n', img], { encoding: 'utf8' });
  assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
  return { plain: execFileSync('fls', ['-r', img], { encoding: 'utf8' }), all: execFileSync('fls', ['-r', '-a', img], { encoding: 'utf8' }) };
}

test('the Flame USB image is a clean FAT12 volume whose "." entry only fls -a shows, and holds nothing of Gauss', () => {
  const { plain, all } = flsListing(join(EXAMPLES_DIR, 'flame/Flame_USB_Dot_Container_Entry/usb-stick.img'));
  assert.doesNotMatch(plain, /\t\.\n/);
  assert.match(all, /r\/r \d+:\t\.\n/);
  assert.match(all, /README\.TXT/);
  assert.doesNotMatch(all, /System32|thumbs/i);
});

test("the Gauss USB image is a clean FAT12 volume with Gauss's payload names and its hidden .thumbs.db", () => {
  const { all } = flsListing(join(EXAMPLES_DIR, 'gauss/usb-stick/usb-stick.img'));
  assert.match(all, /\tSystem32\.dat\n/);
  assert.match(all, /\tSystem32\.bin\n/);
  assert.match(all, /\t\.thumbs\.db\n/);
  assert.doesNotMatch(all, /\t\.\n/);
});

/** The members of a disk-image fixture, as the sweep's disk-image source yields them. */
async function imageMembers(bytes: Uint8Array, display: string): Promise<{ path: string; bytes: Uint8Array }[]> {
  const source = new DiskImageSource({ maxMemberSize: 1 << 20 });
  assert.ok(source.sniff(bytes), `${display} is not a disk image`);
  const out: { path: string; bytes: Uint8Array }[] = [];
  for await (const e of source.open({ display, bytes, depth: 0 }, { bytesLeft: 1 << 24, entriesLeft: 1000 })) {
    if (e.kind === 'member') out.push({ path: display + e.suffix, bytes: e.bytes });
  }
  return out;
}

test('every fixture yields the family its rule or IOC list names, and the 4.x one reads as the issue asks', async () => {
  const engine = await loadEngine();
  const set = engine.compile(await loadRuleSources([join(RULES, 'yara')]));
  const catalog = await loadFamilies(join(RULES, 'families'));
  const iocs = await loadPackIocs(join(RULES, 'iocs'));
  const { createHash } = await import('node:crypto');
  const verdictOf = (path: string, bytes: Uint8Array): ReturnType<typeof familyVerdict> => {
    const h = (alg: string): string => createHash(alg).update(bytes).digest('hex');
    const hits = iocs.set.match({ path, bytes, md5: h('md5'), sha1: h('sha1'), sha256: h('sha256') });
    const hive = iocs.openHive?.(path, bytes);
    if (hive) hits.push(...iocs.set.matchHive(hive));
    return familyVerdict({ yara: set.scan(bytes), iocs: hits }, catalog);
  };
  for (const f of FIXTURES) {
    const path = join(EXAMPLES_DIR, f.path);
    const family = catalog.find(f.path.split('/')[0]!)!;
    const bytes = readFileSync(path);
    // A stick image's hits are on its members: each member with a verdict names the folder's family.
    const judged = f.kind === 'generated' && f.container === true ? await imageMembers(bytes, path) : [{ path, bytes }];
    const verdicts = judged.map((m) => ({ path: m.path, v: verdictOf(m.path, m.bytes) })).filter((x) => x.v !== null);
    assert.ok(verdicts.length > 0, `${f.path}: no verdict`);
    for (const { path: p, v } of verdicts) assert.equal(v!.name, family.name, `${p}: ${v!.summary}`);
  }
  const spe = readFileSync(join(EXAMPLES_DIR, 'miniflame/MiniFlame_4x_Nla_ServiceDll_Trigger/spe-4x.ocx'));
  assert.equal(familyVerdict({ yara: set.scan(spe), iocs: [] }, catalog)?.summary, 'miniFlame 4.x, a plugin of Flame and Gauss');
  set.dispose();
});
