// Validates STIX 2.1 documents against the official OASIS JSON schemas kept in ../shared/anchors/schemas.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ANCHORS_DIR } from '../helpers/paths.js';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

const STIX_DIR = join(ANCHORS_DIR, 'schemas', 'stix2.1', 'schemas');
const BUNDLE_ID = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/bundle.json';

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? schemaFiles(p) : n.endsWith('.json') ? [p] : [];
  });
}

let validator: ((doc: unknown) => boolean) & { errors?: unknown } | undefined;

/** The schema errors of a STIX bundle, or [] when it is valid. */
export function stixBundleErrors(doc: unknown): unknown[] {
  if (!validator) {
    // The STIX schemas write their regexes for non-Unicode mode.
    const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    ajv.addFormat('idn-hostname', true);
    for (const f of schemaFiles(STIX_DIR)) ajv.addSchema(JSON.parse(readFileSync(f, 'utf8')) as object);
    validator = ajv.getSchema(BUNDLE_ID) as typeof validator;
    if (!validator) throw new Error(`STIX bundle schema ${BUNDLE_ID} not found under ${STIX_DIR}`);
  }
  return validator(doc) ? [] : ((validator.errors as unknown[]) ?? ['invalid']);
}
