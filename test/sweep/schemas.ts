// Validators for the official SARIF 2.1.0 and STIX 2.1 JSON schemas in ../shared/anchors/schemas.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ANCHORS_DIR } from '../helpers/paths.js';

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
type AjvLike = { addSchema(s: object): unknown; getSchema(id: string): Validate | undefined; compile(s: object): Validate };
type AjvCtor = new (opts: Record<string, unknown>) => AjvLike;

const Ajv = ((AjvModule as unknown as { default?: AjvCtor }).default ?? AjvModule) as unknown as AjvCtor;
const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvCtor }).default ?? Ajv2020Module) as unknown as AjvCtor;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: AjvLike) => void;

const SCHEMAS = join(ANCHORS_DIR, 'schemas');

/** The SARIF schema is draft-04, which ajv 8 reads once `id` is spelled `$id` (it uses no draft-04-only keyword). */
export function sarifValidator(): Validate {
  const schema = JSON.parse(readFileSync(join(SCHEMAS, 'sarif-2.1.0', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

export function stixBundleValidator(): Validate {
  // STIX patterns in the schemas are written for Python's regex engine: unicode mode would reject some.
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  const root = join(SCHEMAS, 'stix2.1', 'schemas');
  let bundleId = '';
  for (const dir of readdirSync(root)) {
    for (const f of readdirSync(join(root, dir))) {
      if (!f.endsWith('.json')) continue;
      const s = JSON.parse(readFileSync(join(root, dir, f), 'utf8')) as { $id: string };
      ajv.addSchema(s);
      if (dir === 'common' && f === 'bundle.json') bundleId = s.$id;
    }
  }
  const v = ajv.getSchema(bundleId);
  if (!v) throw new Error('STIX bundle schema not found');
  return v;
}
