import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parse } from 'yaml';
import type { IocHit, YaraMatch } from '../core/findings.js';
import { FirebreakError } from '../core/errors.js';
import { buildCatalog, familyJsonSchema, familyVerdict, loadFamilies, parseFamilyFile, type FamilyRecord } from './families.js';
import { PROJECT_ROOT } from '../../test/helpers/paths.js';

const FAMILY_DIR = join(PROJECT_ROOT, 'rules', 'families');
const SCHEMA_FILE = join(FAMILY_DIR, 'family.schema.json');

function yara(rule: string, meta: Record<string, string>): YaraMatch {
  return { rule, namespace: 'test', tags: [], meta, strings: [] };
}

function ioc(list: string, type: IocHit['type'], indicator: string, score: number): IocHit {
  return { type, indicator, list, line: 1, score, why: 'test' };
}

test('the bundled family files load, and the five families relate as the intel says', async () => {
  const catalog = await loadFamilies(FAMILY_DIR);
  assert.deepEqual(catalog.families.map((f) => f.id).sort(), ['duqu', 'flame', 'gauss', 'miniflame', 'stuxnet']);
  const mini = catalog.find('SPE')!;
  assert.equal(mini.id, 'miniflame');
  assert.deepEqual(mini.relations.filter((r) => r.type === 'plugin-of').map((r) => r.family), ['flame', 'gauss']);
  for (const f of catalog.families) {
    const others = catalog.families.filter((o) => o !== f).map((o) => o.id).sort();
    assert.deepEqual(f.relations.filter((r) => r.type === 'shares-origin').map((r) => r.family).sort(), others, f.id);
  }
  assert.equal(catalog.find('flamer')?.attack.software, 'S0143');
  assert.equal(catalog.find('duqu')?.attack.software, 'S0038');
  assert.equal(catalog.find('stuxnet')?.attack.software, 'S0603');
  assert.equal(catalog.find('gauss')?.attack.software, null);
});

test('family.schema.json is the JSON Schema of familyFileSchema and accepts every bundled family file', () => {
  const schema = familyJsonSchema();
  if (process.env.UPDATE_GOLDEN) writeFileSync(SCHEMA_FILE, `${JSON.stringify(schema, null, 2)}\n`);
  assert.deepEqual(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')), schema);
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  for (const name of ['miniflame', 'flame', 'gauss', 'duqu', 'stuxnet']) {
    const doc = parse(readFileSync(join(FAMILY_DIR, `${name}.yaml`), 'utf8')) as unknown;
    assert.ok(validate(doc), `${name}: ${JSON.stringify(validate.errors)}`);
  }
  assert.equal(validate({ id: 'x', name: 'X' }), false);
});

test('a malformed family file is E_RULE_SYNTAX naming the file and the line of the bad key', () => {
  const text = 'id: x\nname: X\naliases: []\ndescription: d\nattack: {software: S1, techniques: []}\nvariants: []\nrelations: []\nreferences: []\n';
  assert.throws(
    () => parseFamilyFile(text, 'bad.yaml'),
    (e: unknown) => e instanceof FirebreakError && e.code === 'E_RULE_SYNTAX' && e.input === 'bad.yaml' && e.line === 5 && /attack\.software/.test(e.message),
  );
  assert.throws(() => parseFamilyFile('id: [unclosed\n', 'y.yaml'), (e: unknown) => e instanceof FirebreakError && e.line === 1);
  // Found by the fuzz test: an alias to no anchor made the YAML library throw a plain ReferenceError.
  assert.throws(() => parseFamilyFile('id: x\naliases: [*nothing]\n', 'z.yaml'), (e: unknown) => e instanceof FirebreakError && e.code === 'E_RULE_SYNTAX');
});

function record(id: string, extra: Partial<FamilyRecord> = {}): FamilyRecord {
  return {
    id,
    name: id.toUpperCase(),
    aliases: [],
    description: 'd',
    attack: { software: null, techniques: [] },
    variants: [],
    relations: [],
    references: [],
    path: `${id}.yaml`,
    ...extra,
  };
}

test('a catalog refuses duplicate ids, shared aliases and relations to unknown families', () => {
  assert.throws(() => buildCatalog([record('a'), record('a')]), /family id 'a'/);
  assert.throws(() => buildCatalog([record('a', { aliases: ['x'] }), record('b', { aliases: ['X'] })]), /alias 'X'/);
  assert.throws(() => buildCatalog([record('a', { relations: [{ type: 'plugin-of', family: 'zz' }] })]), /unknown family 'zz'/);
});

test('the verdict names miniFlame 4.x, a plugin of Flame and Gauss, from a low-confidence variant rule and a medium one', async () => {
  const catalog = await loadFamilies(FAMILY_DIR);
  const v = familyVerdict(
    {
      yara: [
        yara('MiniFlame_SPE_CommandSet', { family: 'miniFlame', confidence: 'medium' }),
        yara('MiniFlame_4x_Nla_ServiceDll_Trigger', { family: 'miniFlame', variant: '4.x', confidence: 'low' }),
      ],
      iocs: [],
    },
    catalog,
  )!;
  assert.equal(v.name, 'miniFlame');
  assert.equal(v.variant, '4.x');
  assert.equal(v.summary, 'miniFlame 4.x, a plugin of Flame and Gauss');
  assert.equal(v.score, 75);
  assert.deepEqual(v.relations?.slice(0, 2), [
    { relation: 'plugin-of', family: 'Flame' },
    { relation: 'plugin-of', family: 'Gauss' },
  ]);
  assert.match(v.why[0]!, /MiniFlame_SPE_CommandSet \(confidence medium\)/);
});

test('IOC hits name the family of their list, and a family file can turn an indicator into a variant', async () => {
  const catalog = await loadFamilies(FAMILY_DIR);
  const v = familyVerdict(
    {
      yara: [],
      iocs: [ioc('/x/rules/iocs/miniflame.txt', 'regvalue', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Nla\\Parameters\\ServiceDll=(?i)\\.ocx$', 70)],
    },
    catalog,
  )!;
  assert.equal(v.summary, 'miniFlame 4.x, a plugin of Flame and Gauss');
  const s = familyVerdict({ yara: [], iocs: [ioc('C:\\lists\\Stuxnet.txt', 'domain', 'todaysfutbol.com', 80)] }, catalog)!;
  assert.equal(s.summary, 'Stuxnet, of the same origin as Duqu, Flame, Gauss and miniFlame');
  assert.equal(s.score, 80);
  const f = familyVerdict({ yara: [yara('X', { family: 'Flamer', confidence: 'high' })], iocs: [] }, catalog)!;
  assert.equal(f.summary, 'Flame, host of the miniFlame plugin');
});

test('the strongest family wins and the others are named in why; hits of no known family give null', async () => {
  const catalog = await loadFamilies(FAMILY_DIR);
  const v = familyVerdict(
    {
      yara: [yara('A', { family: 'Gauss', confidence: 'low' }), yara('B', { family: 'Duqu', confidence: 'high' })],
      iocs: [ioc('gauss.txt', 'filename', '^x$', 60), ioc('other.txt', 'md5', 'ab', 100)],
    },
    catalog,
  )!;
  assert.equal(v.name, 'Duqu');
  assert.equal(v.score, 90);
  assert.ok(v.why.includes('also matched Gauss (score 65, 2 hits)'), v.why.join(' | '));
  assert.equal(familyVerdict({ yara: [yara('C', { family: 'Nobody' })], iocs: [ioc('misc.txt', 'md5', 'ab', 100)] }, catalog), null);
  assert.equal(familyVerdict({ yara: [], iocs: [] }, catalog), null);
});

test('an anomaly a family file claims as its artefact is evidence at its confidence; other anomalies are not', async () => {
  const catalog = await loadFamilies(FAMILY_DIR);
  const dot = { code: 'FAT_FLAME_DOT_CONTAINER', severity: 'high' as const, message: 'a file whose long name is "."' };
  const v = familyVerdict({ yara: [], iocs: [], anomalies: [dot, { code: 'FAT_SLACK_DATA', severity: 'low', message: 'slack' }] }, catalog)!;
  assert.equal(v.name, 'Flame');
  assert.equal(v.score, 90);
  assert.deepEqual(v.why, ['artefact FAT_FLAME_DOT_CONTAINER (confidence high): a file whose long name is "."']);
  const gauss = familyVerdict({ yara: [], iocs: [], anomalies: [{ code: 'FAT_GAUSS_SYSTEM32', severity: 'high', message: 'System32.dat' }] }, catalog)!;
  assert.deepEqual([gauss.name, gauss.score], ['Gauss', 70]);
  assert.equal(familyVerdict({ yara: [], iocs: [], anomalies: [{ code: 'FAT_SLACK_DATA', severity: 'low', message: 'slack' }] }, catalog), null);
  // Two families may not claim one code.
  const claim = { artefacts: [{ code: 'FAT_X', confidence: 'low' as const }] };
  assert.throws(() => buildCatalog([record('a', claim), record('b', claim)]), /artefact FAT_X is also claimed/);
});

test('fuzz: a mutated family file parses or throws E_RULE_SYNTAX, nothing else', () => {
  const seeds = ['miniflame', 'flame', 'gauss', 'duqu', 'stuxnet'].map((n) => readFileSync(join(FAMILY_DIR, `${n}.yaml`), 'utf8'));
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: seeds.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.string({ maxLength: 6 })), { maxLength: 5 }),
      (seed, edits) => {
        let s = seeds[seed]!;
        for (const [at, del, ins] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + ins + s.slice(i + del);
        }
        try {
          parseFamilyFile(s, 'fuzz.yaml');
        } catch (e) {
          assert.ok(e instanceof FirebreakError && e.code === 'E_RULE_SYNTAX', String(e));
        }
      },
    ),
    { numRuns: Number(process.env.FIREBREAK_FUZZ_RUNS ?? 500), seed: 11 },
  );
});
