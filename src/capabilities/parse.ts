// Parses one capa-format YAML rule into the rule model, with capa's validation; a bad rule gives a reason, not a crash.

import { parseDocument } from 'yaml';
import { featureKey, isCharacteristic, type ExtractedFeature, type Feature } from '../features/feature.js';
import { comGuid, guidBytes, type ComType } from './com.js';
import { translatePythonRegex } from '../core/pyregex.js';
import {
  DYNAMIC_SCOPES,
  MAX_RULE_DEPTH,
  STATIC_SCOPES,
  parseSpec,
  type DynamicScope,
  type FeatureNode,
  type Node,
  type Rule,
  type Scope,
  type Scopes,
  type StaticScope,
} from './rule.js';

/** Why a rule did not load; collected into the compatibility list rather than thrown to the user. */
export class RuleLoadError extends Error {
  constructor(
    message: string,
    readonly category: RuleFailureCategory = 'syntax',
  ) {
    super(message);
    this.name = 'RuleLoadError';
  }
}

export type RuleFailureCategory = 'syntax' | 'unsupported-feature' | 'regex' | 'com' | 'dependency' | 'duplicate';

/** capa's limit on a `bytes:` pattern. */
export const MAX_BYTES_FEATURE_SIZE = 0x100;
/** capa's limit on operand indexes. */
export const MAX_OPERAND_INDEX = 4;
/** Largest rule file read; capa's largest is a few KiB. */
export const MAX_RULE_TEXT = 1 << 20;

const VALID_OS = new Set([
  'windows', 'linux', 'macos', 'android', 'any', 'hpux', 'netbsd', 'hurd', '86open', 'solaris', 'aix', 'irix',
  'freebsd', 'tru64', 'modesto', 'openbsd', 'openvms', 'nsk', 'aros', 'fenixos', 'cloud', 'syllable', 'nacl',
  'dragonfly BSD', 'illumos', 'z/os', 'unix',
]);
const VALID_ARCH = new Set(['i386', 'amd64', 'aarch64', 'any']);
const VALID_FORMAT = new Set(['pe', 'elf', 'dotnet']);

type FeatureKind = Feature['type'];

const GLOBAL_FEATURES: FeatureKind[] = ['os', 'arch', 'format'];
const SUPPORTED: Record<Scope | 'global', { types: Set<FeatureKind>; chars: Set<string> }> = (() => {
  const mk = (types: FeatureKind[], chars: string[]) => ({ types: new Set<FeatureKind>(types), chars: new Set(chars) });
  const s = {
    global: mk(GLOBAL_FEATURES, []),
    file: mk(['match', 'export', 'import', 'section', 'function-name', 'string', 'substring', 'regex', 'class', 'namespace'], [
      'embedded pe',
      'mixed mode',
      'forwarded export',
    ]),
    process: mk(['match'], []),
    thread: mk([], []),
    'span of calls': mk([], []),
    call: mk(['match', 'regex', 'string', 'substring', 'api', 'number'], []),
    function: mk(['match', 'basic-block'], ['calls from', 'calls to', 'loop', 'recursive call']),
    'basic block': mk(['match'], ['tight loop', 'stack string']),
    instruction: mk(
      ['match', 'api', 'property', 'number', 'string', 'substring', 'regex', 'bytes', 'offset', 'mnemonic', 'operand-number', 'operand-offset', 'class', 'namespace'],
      ['nzxor', 'peb access', 'fs access', 'gs access', 'indirect call', 'call $+5', 'cross section flow', 'unmanaged call'],
    ),
  };
  const add = (to: { types: Set<FeatureKind>; chars: Set<string> }, from: { types: Set<FeatureKind>; chars: Set<string> }) => {
    for (const t of from.types) to.types.add(t);
    for (const c of from.chars) to.chars.add(c);
  };
  for (const k of ['file', 'process', 'thread', 'span of calls', 'call', 'function', 'basic block', 'instruction'] as const) add(s[k], s.global);
  add(s['span of calls'], s.call);
  add(s.thread, s['span of calls']);
  add(s.process, s.thread);
  add(s['basic block'], s.instruction);
  add(s.function, s['basic block']);
  return s;
})();

const STATIC_ORDER: StaticScope[] = ['file', 'function', 'basic block', 'instruction'];
const DYNAMIC_ORDER: DynamicScope[] = ['file', 'process', 'thread', 'span of calls', 'call'];

function isSubscopeCompatible(scope: Scope | null, sub: Scope, order: readonly Scope[]): boolean {
  if (!scope) return false;
  const a = order.indexOf(scope);
  const b = order.indexOf(sub);
  return a >= 0 && b >= 0 && b >= a;
}

function ensureFeatureValid(scopes: Scopes, f: Feature): void {
  const types = new Set<FeatureKind>();
  const chars = new Set<string>();
  for (const s of [scopes.static, scopes.dynamic]) {
    if (!s) continue;
    for (const t of SUPPORTED[s].types) types.add(t);
    for (const c of SUPPORTED[s].chars) chars.add(c);
  }
  if (f.type === 'characteristic') {
    if (!chars.has(f.value)) throw new RuleLoadError(`feature characteristic(${f.value}) not supported for scopes ${scopesText(scopes)}`);
    return;
  }
  if (!types.has(f.type)) throw new RuleLoadError(`feature ${f.type} not supported for scopes ${scopesText(scopes)}`);
}

function scopesText(s: Scopes): string {
  return `static: ${s.static ?? 'unsupported'}, dynamic: ${s.dynamic ?? 'unsupported'}`;
}

/** capa's parse_int: `0x..`/`-0x..` hex, otherwise decimal. */
export function parseInt64(text: string): bigint {
  const s = text.trim().replace(/_/g, '');
  if (/^-?0x[0-9a-fA-F]+$/.test(s)) return s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s);
  if (/^[-+]?[0-9]+$/.test(s)) return BigInt(s);
  throw new RuleLoadError(`unexpected value: "${text}", must begin with numerical value`);
}

function parseBytes(text: string): Uint8Array {
  const hex = text.replace(/ /g, '');
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RuleLoadError(`unexpected bytes value: must be a valid hex sequence: "${text}"`);
  if (hex.length / 2 > MAX_BYTES_FEATURE_SIZE) {
    throw new RuleLoadError(`unexpected bytes value: byte sequences must be no larger than ${MAX_BYTES_FEATURE_SIZE} bytes`);
  }
  const b = new Uint8Array(hex.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return b;
}

type YamlValue = string | bigint | number | boolean | null | YamlValue[] | { [k: string]: YamlValue };

interface ValueAndDescription {
  value: string | bigint | number | boolean | Uint8Array;
  description?: string;
}

const NUMERIC_KEYS = /^(number|offset)$|^operand\[\d+\]\.(number|offset)$/;

/** capa's parse_description: split an inline ` = description` except for strings, and convert the value's type. */
function parseDescription(raw: YamlValue, key: string, description: string | undefined): ValueAndDescription {
  if (key === 'string') return { value: raw as string, description };
  if (typeof raw !== 'string') {
    if (typeof raw === 'bigint' || typeof raw === 'number' || typeof raw === 'boolean') return { value: raw, description };
    throw new RuleLoadError(`unexpected value for ${key}: ${JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
  let value: string = raw;
  let desc = description;
  const cut = raw.indexOf(' = ');
  if (cut >= 0) {
    if (description) throw new RuleLoadError(`unexpected value: "${raw}", only one description allowed (inline description with \` = \`)`);
    value = raw.slice(0, cut);
    desc = raw.slice(cut + 3);
    if (desc === '') throw new RuleLoadError(`unexpected value: "${raw}", description cannot be empty`);
  }
  if (key === 'bytes') return { value: parseBytes(value), description: desc };
  if (NUMERIC_KEYS.test(key)) return { value: parseInt64(value), description: desc };
  return { value, description: desc };
}

function asBigInt(v: ValueAndDescription['value'], key: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string') return parseInt64(v);
  throw new RuleLoadError(`unexpected ${key} value: ${String(v)}`);
}

function asString(v: ValueAndDescription['value'], key: string): string {
  if (typeof v !== 'string') throw new RuleLoadError(`unexpected ${key} value type: ${typeof v}`);
  return v;
}

/** capa's trim_dll_part: `kernel32.CreateFileA` matches on `CreateFileA`; ordinals and .NET names keep their dots. */
export function trimDllPart(api: string): string {
  if (api.includes('.#')) return api;
  if ((api.match(/\./g) ?? []).length === 1 && !api.includes('::')) return api.split('.')[1]!;
  return api;
}

function stringFeature(value: string): Feature {
  if (value.startsWith('/') && (value.endsWith('/') || value.endsWith('/i')) && value.length >= 2) {
    const ignoreCase = value.endsWith('/i') && value.length >= 3;
    const body = ignoreCase ? value.slice(1, -2) : value.slice(1, -1);
    try {
      // capa compiles with re.DOTALL, and `/.../i` adds IGNORECASE.
      const t = translatePythonRegex(body);
      const flags = new Set([...t.flags, 's', ...(ignoreCase ? ['i'] : [])]);
      return { type: 'regex', value, re: new RegExp(t.source, [...flags].join('')) };
    } catch (e) {
      throw new RuleLoadError(`invalid regular expression ${value}: ${(e as Error).message}`, 'regex');
    }
  }
  return { type: 'string', value };
}

function leaf(feature: Feature, description: string | undefined): FeatureNode {
  let key: string | null = null;
  if (feature.type !== 'substring' && feature.type !== 'regex' && feature.type !== 'bytes' && !(feature.type === 'os' && feature.value === 'any')) {
    key = featureKey(feature as ExtractedFeature);
  }
  return description === undefined ? { kind: 'feature', feature, key } : { kind: 'feature', feature, key, description };
}

/** capa's parse_feature: the feature for a key, given its already-converted value. */
function makeFeature(key: string, v: ValueAndDescription): Feature {
  const value = v.value;
  const op = /^operand\[(\d+)\]\.(number|offset)$/.exec(key);
  if (op) {
    const index = Number(op[1]);
    if (index > MAX_OPERAND_INDEX) throw new RuleLoadError(`operand index ${index} out of range`);
    const n = asBigInt(value, key);
    return op[2] === 'number' ? { type: 'operand-number', index, value: n } : { type: 'operand-offset', index, value: n };
  }
  if (key.startsWith('property/') || key === 'property') {
    const access = key === 'property' ? null : key.slice('property/'.length);
    if (access !== null && access !== 'read' && access !== 'write') throw new RuleLoadError(`unexpected ${key} access ${access}`);
    return { type: 'property', value: asString(value, key), access };
  }
  switch (key) {
    case 'api':
      return { type: 'api', value: trimDllPart(asString(value, key)) };
    case 'string':
      if (typeof value !== 'string') throw new RuleLoadError(`ambiguous string value ${String(value)}, must be defined as explicit string`);
      return stringFeature(value);
    case 'substring':
      return { type: 'substring', value: asString(value, key) };
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw new RuleLoadError('unexpected bytes value');
      return { type: 'bytes', value, va: -1 };
    case 'number':
      return { type: 'number', value: asBigInt(value, key) };
    case 'offset':
      return { type: 'offset', value: asBigInt(value, key) };
    case 'mnemonic':
      return { type: 'mnemonic', value: asString(value, key) };
    case 'basic blocks':
      return { type: 'basic-block' };
    case 'characteristic': {
      const c = asString(value, key);
      if (!isCharacteristic(c)) throw new RuleLoadError(`unknown characteristic: ${c}`);
      return { type: 'characteristic', value: c };
    }
    case 'export':
    case 'import':
    case 'section':
    case 'function-name':
    case 'class':
    case 'namespace':
      return { type: key, value: asString(value, key) };
    case 'match':
      return { type: 'match', value: asString(value, key) };
    case 'os': {
      const s = asString(value, key);
      if (!VALID_OS.has(s)) throw new RuleLoadError(`unexpected os value ${s}`);
      return { type: 'os', value: s };
    }
    case 'arch': {
      const s = asString(value, key);
      if (!VALID_ARCH.has(s)) throw new RuleLoadError(`unexpected arch value ${s}`);
      return { type: 'arch', value: s };
    }
    case 'format': {
      const s = asString(value, key);
      if (!VALID_FORMAT.has(s)) throw new RuleLoadError(`unexpected format value ${s}`);
      return { type: 'format', value: s };
    }
    default:
      throw new RuleLoadError(`unexpected statement: ${key}`);
  }
}

/** capa's build_feature for `count(...)` keys: a range over the inner feature's number of locations. */
function buildCount(key: string, raw: YamlValue, description: string | undefined): Node {
  let term = key.slice('count('.length, -1);
  let arg = '';
  const paren = term.indexOf('(');
  if (paren >= 0) {
    arg = term.slice(paren + 1);
    term = term.slice(0, paren);
    if (!arg.endsWith(')')) throw new RuleLoadError(`unexpected count term: ${key}`);
    arg = arg.slice(0, -1);
  }
  let feature: Feature;
  if (!arg) {
    if (term !== 'basic blocks') throw new RuleLoadError(`count(${term}) needs an argument`);
    feature = { type: 'basic-block' };
  } else if (term === 'string') {
    feature = { type: 'string', value: arg };
  } else {
    const vd = parseDescription(arg, term, undefined);
    feature = makeFeature(term, vd);
  }
  let min: number;
  let max: number;
  const toNum = (b: bigint) => (b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(b));
  if (typeof raw === 'bigint' || typeof raw === 'number') {
    min = max = Number(raw);
  } else if (typeof raw === 'string' && raw.endsWith(' or more')) {
    min = toNum(parseInt64(raw.slice(0, -' or more'.length)));
    max = Number.MAX_SAFE_INTEGER;
  } else if (typeof raw === 'string' && raw.endsWith(' or fewer')) {
    min = 0;
    max = toNum(parseInt64(raw.slice(0, -' or fewer'.length)));
  } else if (typeof raw === 'string' && raw.startsWith('(')) {
    if (!raw.endsWith(')')) throw new RuleLoadError(`invalid range: ${raw}`);
    const [lo, hi] = raw.slice(1, -1).split(',').map((s) => s.trim());
    min = lo ? toNum(parseInt64(lo)) : 0;
    max = hi ? toNum(parseInt64(hi)) : Number.MAX_SAFE_INTEGER;
    if (min < 0 || max < 0) throw new RuleLoadError('range min or max less than zero');
    if (max < min) throw new RuleLoadError('range max less than min');
  } else if (typeof raw === 'string') {
    min = max = toNum(parseInt64(raw));
  } else {
    throw new RuleLoadError(`unexpected range: ${String(raw)}`);
  }
  const child = leaf(feature, undefined);
  return description === undefined ? { kind: 'range', child, min, max } : { kind: 'range', child, min, max, description };
}

function isMap(v: YamlValue): v is { [k: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** capa's pop_statement_description_entry: one `- description: ...` child documents the statement. */
function popDescription(list: YamlValue[]): { children: YamlValue[]; description?: string } {
  const descs = list.filter((c) => isMap(c) && Object.keys(c).length === 1 && 'description' in c);
  if (descs.length > 1) throw new RuleLoadError('statements can only have one description');
  if (descs.length === 0) return { children: list };
  const d = descs[0] as { description: YamlValue };
  return { children: list.filter((c) => c !== descs[0]), description: String(d.description) };
}

/** Dedupes feature children by key (capa's `unique` over hashable features); statements never compare equal. */
function unique(nodes: Node[]): Node[] {
  const seen = new Set<string>();
  const out: Node[] = [];
  for (const n of nodes) {
    if (n.kind === 'feature' && n.key !== null) {
      if (seen.has(n.key)) continue;
      seen.add(n.key);
    }
    out.push(n);
  }
  return out;
}

function childList(v: YamlValue, key: string): YamlValue[] {
  if (!Array.isArray(v)) throw new RuleLoadError(`${key} expects a list of statements`);
  return v;
}

function buildStatements(d: YamlValue, scopes: Scopes, depth: number): Node {
  if (depth > MAX_RULE_DEPTH) throw new RuleLoadError('rule logic nested too deeply');
  if (!isMap(d)) throw new RuleLoadError(`unexpected statement: ${JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  const keys = Object.keys(d);
  if (keys.length === 0) throw new RuleLoadError('empty statement');
  if (keys.length > 2) throw new RuleLoadError('too many statements');
  const key = keys[0]!;
  const body = d[key]!;
  const list = () => popDescription(childList(body, key));
  const build = (items: YamlValue[], s: Scopes) => unique(items.map((c) => buildStatements(c, s, depth + 1)));
  const withDesc = <T extends Node>(n: T, description: string | undefined): T => (description === undefined ? n : { ...n, description });

  if (key === 'and' || key === 'or') {
    const { children, description } = list();
    return withDesc({ kind: key, children: build(children, scopes) }, description);
  }
  if (key === 'not') {
    const { children, description } = list();
    if (children.length !== 1) throw new RuleLoadError('not statement must have exactly one child statement');
    return withDesc({ kind: 'not', child: buildStatements(children[0]!, scopes, depth + 1) }, description);
  }
  const some = /^(\d+) or more$/.exec(key);
  if (some || key === 'optional') {
    const { children, description } = list();
    return withDesc({ kind: 'some', count: some ? Number(some[1]) : 0, children: build(children, scopes) }, description);
  }
  if ((DYNAMIC_SCOPES as readonly string[]).includes(key) && key !== 'file') {
    const sub = key as DynamicScope;
    if (!isSubscopeCompatible(scopes.dynamic, sub, DYNAMIC_ORDER)) throw new RuleLoadError(`\`${key}\` subscope not supported in dynamic scope ${scopes.dynamic ?? 'unsupported'}`);
    const { children, description } = list();
    if (children.length !== 1) throw new RuleLoadError('subscope must have exactly one child statement');
    return withDesc({ kind: 'subscope', scope: sub, child: buildStatements(children[0]!, { static: null, dynamic: sub }, depth + 1) }, description);
  }
  if (key === 'function' || key === 'basic block' || key === 'instruction') {
    const sub = key as StaticScope;
    if (!isSubscopeCompatible(scopes.static, sub, STATIC_ORDER)) throw new RuleLoadError(`\`${key}\` subscope not supported in static scope ${scopes.static ?? 'unsupported'}`);
    const { children, description } = list();
    const subScopes: Scopes = { static: sub, dynamic: null };
    let child: Node;
    if (children.length === 1) child = buildStatements(children[0]!, subScopes, depth + 1);
    else if (key === 'instruction') child = { kind: 'and', children: build(children, subScopes) };
    else throw new RuleLoadError('subscope must have exactly one child statement');
    return withDesc({ kind: 'subscope', scope: sub, child }, description);
  }
  const descriptionRaw = d.description;
  const description = descriptionRaw === undefined || descriptionRaw === null ? undefined : String(descriptionRaw);
  if (key.startsWith('count(') && key.endsWith(')')) {
    const n = buildCount(key, body, description);
    if (n.kind === 'range') ensureFeatureValid(scopes, n.child.feature);
    return n;
  }
  if (key.startsWith('com/')) {
    const type = key.slice(4);
    if (type !== 'class' && type !== 'interface') throw new RuleLoadError(`unexpected COM type: ${type}`);
    const vd = parseDescription(body, key, description);
    const name = asString(vd.value, key);
    const guid = comGuid(type as ComType, name);
    if (!guid) throw new RuleLoadError(`COM ${type} '${name}' is not in the bundled COM table`, 'com');
    const label = `${type === 'class' ? 'CLSID_' : 'IID_'}${name}`;
    return {
      kind: 'or',
      children: [leaf({ type: 'string', value: guid }, `${label} as GUID string`), leaf({ type: 'bytes', value: guidBytes(guid), va: -1 }, `${label} as bytes`)],
    };
  }
  const vd = parseDescription(body, key, description);
  const feature = makeFeature(key, vd);
  ensureFeatureValid(scopes, feature);
  return leaf(feature, vd.description);
}

function parseScopes(meta: { [k: string]: YamlValue }): Scopes {
  if ('scope' in meta) throw new RuleLoadError('legacy rule detected (rule.meta.scope), please update to the new syntax');
  const raw = meta.scopes;
  if (raw === undefined) throw new RuleLoadError("please specify at least one of this rule's (static/dynamic) scopes");
  if (!isMap(raw)) throw new RuleLoadError('the scopes field must contain a dictionary specifying the scopes');
  if (!('static' in raw)) throw new RuleLoadError('static scope must be provided');
  if (!('dynamic' in raw)) throw new RuleLoadError('dynamic scope must be provided');
  if (Object.keys(raw).length !== 2) throw new RuleLoadError('scope flavors can be either static or dynamic');
  const st = raw.static === 'unsupported' ? null : raw.static;
  const dy = raw.dynamic === 'unsupported' ? null : raw.dynamic;
  if (!st && !dy) throw new RuleLoadError('invalid scopes value. At least one scope must be specified');
  if (st && !(STATIC_SCOPES as readonly YamlValue[]).includes(st)) throw new RuleLoadError(`${String(st)} is not a valid static scope`);
  if (dy && !(DYNAMIC_SCOPES as readonly YamlValue[]).includes(dy)) throw new RuleLoadError(`${String(dy)} is not a valid dynamic scope`);
  return { static: (st || null) as StaticScope | null, dynamic: (dy || null) as DynamicScope | null };
}

function stringList(v: YamlValue | undefined, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new RuleLoadError(`${what} mapping must be a list`);
  return v.map((x) => String(x));
}

/** Parses one rule file's text. Throws RuleLoadError with capa's reason when the rule is invalid. */
export function parseRule(text: string, path: string, options: { nursery?: boolean; ruleSet?: string } = {}): Rule {
  if (text.length > MAX_RULE_TEXT) throw new RuleLoadError(`rule file larger than ${MAX_RULE_TEXT} bytes`);
  // YAML 1.1 with 64-bit integers: capa reads rules with PyYAML (YAML 1.1), and numbers reach 0xFFFFFFFFFFFFFFFF.
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: false });
  if (doc.errors.length > 0) throw new RuleLoadError(`YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const root = doc.toJS({ maxAliasCount: 100 }) as YamlValue;
  if (!isMap(root) || !isMap(root.rule ?? null)) throw new RuleLoadError('empty or invalid YAML document');
  const rule = root.rule as { [k: string]: YamlValue };
  const meta = rule.meta;
  if (!isMap(meta ?? null)) throw new RuleLoadError('rule has no meta block');
  const m = meta as { [k: string]: YamlValue };
  const name = m.name;
  if (typeof name !== 'string' || !name) throw new RuleLoadError('rule has no name');
  try {
    const scopes = parseScopes(m);
    const statements = rule.features;
    if (!Array.isArray(statements) || statements.length !== 1) throw new RuleLoadError('rule must begin with a single top level statement');
    const node = buildStatements(statements[0]!, scopes, 0);
    if (node.kind === 'subscope') throw new RuleLoadError('top level statement may not be a subscope');
    const ns = m.namespace;
    const out: Rule = {
      name,
      scopes,
      node,
      lib: m.lib === true,
      attack: stringList(m['att&ck'], 'ATT&CK').map(parseSpec),
      mbc: stringList(m.mbc, 'MBC').map(parseSpec),
      authors: stringList(m.authors, 'authors'),
      references: stringList(m.references, 'references'),
      path,
      nursery: options.nursery ?? false,
      ruleSet: options.ruleSet ?? 'capa',
    };
    if (typeof ns === 'string' && ns) out.namespace = ns;
    if (typeof m.description === 'string') out.description = m.description;
    return out;
  } catch (e) {
    if (e instanceof RuleLoadError) {
      const err = new RuleLoadError(e.message, e.category);
      (err as RuleLoadError & { ruleName?: string }).ruleName = name;
      throw err;
    }
    throw e;
  }
}

/** The name a failed rule declared, when it got that far. */
export function failedRuleName(e: unknown): string | undefined {
  return (e as { ruleName?: string }).ruleName;
}
