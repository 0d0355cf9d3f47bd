// The feature model shared by extraction and rules: one discriminated union, a stable key per feature, a display form.

/**
 * Features an extractor yields, at file scope (from formats/) and code scope (from code/), as capa defines them.
 * Numbers and offsets are bigints: capa treats numbers as unsigned up to 64 bits and offsets as signed.
 */
export type ExtractedFeature =
  | { type: 'api'; value: string }
  | { type: 'string'; value: string }
  /** Up to 0x100 bytes at an address an instruction references (a view into the image, never copied). */
  | { type: 'bytes'; value: Uint8Array; va: number }
  | { type: 'number'; value: bigint }
  | { type: 'offset'; value: bigint }
  | { type: 'operand-number'; index: number; value: bigint }
  | { type: 'operand-offset'; index: number; value: bigint }
  | { type: 'mnemonic'; value: string }
  | { type: 'characteristic'; value: Characteristic }
  | { type: 'basic-block' }
  | { type: 'export'; value: string }
  | { type: 'import'; value: string }
  | { type: 'section'; value: string }
  | { type: 'function-name'; value: string }
  | { type: 'os'; value: string }
  | { type: 'arch'; value: string }
  | { type: 'format'; value: string }
  /** .NET metadata features: the rule format has them; native code never yields them. */
  | { type: 'class'; value: string }
  | { type: 'namespace'; value: string }
  | { type: 'property'; value: string; access: 'read' | 'write' | null }
  /** A rule (or a namespace) that matched: rules match on other rules through these. */
  | { type: 'match'; value: string };

/** Features that only rules carry: they scan string features instead of being looked up by key. */
export type RuleOnlyFeature =
  | { type: 'substring'; value: string }
  | { type: 'regex'; value: string; re: RegExp };

export type Feature = ExtractedFeature | RuleOnlyFeature;

export type FeatureType = Feature['type'];

/** Every characteristic of capa's format; `unmanaged call` and `mixed mode` are .NET-only and never yielded here. */
export const CHARACTERISTICS = [
  'embedded pe',
  'forwarded export',
  'mixed mode',
  'loop',
  'recursive call',
  'calls from',
  'calls to',
  'tight loop',
  'stack string',
  'nzxor',
  'peb access',
  'fs access',
  'gs access',
  'cross section flow',
  'indirect call',
  'call $+5',
  'unmanaged call',
] as const;

export type Characteristic = (typeof CHARACTERISTICS)[number];

export function isCharacteristic(s: string): s is Characteristic {
  return (CHARACTERISTICS as readonly string[]).includes(s);
}

/** Hex of a bigint with a sign, the way keys and displays write numbers: 0x10, -0x4. */
export function hexBig(v: bigint): string {
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

function hexBytes(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

/**
 * The identity of an extracted feature: two features with the same key are the same feature (capa's equality:
 * type and value, descriptions ignored). Bytes are keyed by the address they were read at, because they are
 * matched by prefix scan, never looked up.
 */
export function featureKey(f: ExtractedFeature): string {
  switch (f.type) {
    case 'number':
    case 'offset':
      return `${f.type}\u0000${hexBig(f.value)}`;
    case 'operand-number':
    case 'operand-offset':
      return `${f.type}[${f.index}]\u0000${hexBig(f.value)}`;
    case 'bytes':
      return `bytes\u0000${f.va}`;
    case 'basic-block':
      return 'basic-block';
    case 'property':
      return `property/${f.access ?? ''}\u0000${f.value}`;
    default:
      return `${f.type}\u0000${f.value}`;
  }
}

/** Key of a `match` feature, the one kind of feature the engine adds itself. */
export function matchKey(name: string): string {
  return `match\u0000${name}`;
}

/** A person's view of a feature, in the rule syntax: `api(CreateFileA)`, `number(0x10)`, `operand[1].offset(0x2c)`. */
export function featureText(f: Feature): string {
  switch (f.type) {
    case 'number':
    case 'offset':
      return `${f.type}(${hexBig(f.value)})`;
    case 'operand-number':
      return `operand[${f.index}].number(${hexBig(f.value)})`;
    case 'operand-offset':
      return `operand[${f.index}].offset(${hexBig(f.value)})`;
    case 'bytes':
      return `bytes(${hexBytes(f.value.subarray(0, 16))}${f.value.length > 16 ? '...' : ''})`;
    case 'basic-block':
      return 'basic block';
    case 'string':
    case 'substring':
      return `${f.type}(${JSON.stringify(f.value)})`;
    case 'regex':
      return `regex(${f.value})`;
    case 'property':
      return `property${f.access ? `/${f.access}` : ''}(${f.value})`;
    default:
      return `${f.type}(${f.value})`;
  }
}
