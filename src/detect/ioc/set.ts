// Builds an IocSet from parsed lists: hash maps, name and path regexes, one content automaton, registry lookups.

import type { IocHit } from '../../core/findings.js';
import { ContentAutomaton, type Needle } from './content.js';
import { requiredLiteral } from './literal.js';
import { decodeStringIndicator } from './parse-text.js';
import { compilePythonRegex } from '../../core/pyregex.js';
import { HASH_TYPES, type HashType, type HiveView, type Indicator, type IocList, type IocSet, type IocSubject } from './types.js';
import { normalKeyPath, splitRegValue } from './values.js';

/** Content hits counted per indicator and file at most (the first one is reported, with the count). */
export const MAX_COUNTED_OCCURRENCES = 10_000;

interface RegexIndicator {
  ind: Indicator;
  re: RegExp;
  fp?: RegExp;
}

interface ValueIndicator {
  ind: Indicator;
  data?: RegExp;
}

type Encoding = 'ASCII' | 'UTF-16LE';

interface ContentRef {
  ind: Indicator;
  encoding: Encoding;
}

/** The part of a display path after its last separator (`/`, `\`, or `!` of an archive member). */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'), path.lastIndexOf('!'));
  return path.slice(i + 1);
}

/** A display path with every separator written `\`, the form Loki's Windows-style path patterns expect. */
export function windowsPath(path: string): string {
  return path.replace(/\//g, '\\');
}

/** A path regex whose `/` (a separator to whoever wrote it) also stands for `\` in the normalised path. */
export function compilePathRegex(source: string): RegExp {
  const re = compilePythonRegex(source);
  if (!re.source.includes('/')) return re;
  let out = '';
  const s = re.source;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      out += s[i + 1] === '/' ? '\\\\' : c + (s[i + 1] ?? '');
      i++;
    } else out += c === '/' ? '\\\\' : c;
  }
  return new RegExp(out, re.flags);
}

/**
 * Name or path regexes with a prefilter: one automaton pass over the text finds the regexes whose required
 * literal occurs (see literal.ts); only those, and the few without a literal, are run.
 */
class RegexGroup {
  private readonly entries: RegexIndicator[] = [];
  private automaton: ContentAutomaton | undefined;
  private owner: number[] = [];
  private always: Uint8Array = new Uint8Array(0);
  private mark: Uint32Array = new Uint32Array(0);
  private stamp = 0;

  add(r: RegexIndicator): void {
    this.entries.push(r);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Builds the prefilter once every entry is in. */
  seal(): void {
    const needles: Needle[] = [];
    this.always = new Uint8Array(this.entries.length);
    this.mark = new Uint32Array(this.entries.length);
    this.entries.forEach((r, i) => {
      const lit = requiredLiteral(r.re.source);
      if (lit === undefined) this.always[i] = 1;
      else {
        needles.push({ bytes: Uint8Array.from(Buffer.from(lit, 'latin1')), foldCase: true });
        this.owner.push(i);
      }
    });
    this.automaton = needles.length > 0 ? new ContentAutomaton(needles) : undefined;
  }

  /** The entries whose regex matches `text` and whose false-positive regex does not, in list order. */
  matching(text: string): RegexIndicator[] {
    if (++this.stamp === 0xffffffff) {
      this.mark.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    this.automaton?.scan(Buffer.from(text, 'utf8'), (id) => {
      this.mark[this.owner[id]!] = stamp;
    });
    const out: RegexIndicator[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      if (this.mark[i] !== stamp && this.always[i] === 0) continue;
      const r = this.entries[i]!;
      if (r.re.test(text) && !r.fp?.test(text)) out.push(r);
    }
    return out;
  }
}

// Characters that continue a host name or a dotted number; a content hit next to one is part of something longer.
const isAlnum = (u: number): boolean => (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5a) || (u >= 0x61 && u <= 0x7a);
const isLabel = (u: number): boolean => isAlnum(u) || u === 0x2d || u === 0x5f;
const isDigit = (u: number): boolean => u >= 0x30 && u <= 0x39;
const DOT = 0x2e;
const COLON = 0x3a;

/** Reads the code unit at `at` (1 or 2 bytes), or -1 outside the data. */
function unitAt(data: Uint8Array, at: number, width: 1 | 2): number {
  if (at < 0 || at + width > data.length) return -1;
  return width === 1 ? data[at]! : data[at]! | (data[at + 1]! << 8);
}

/** A domain hit must not sit inside a longer label (`notevil.com`) nor continue into more labels (`evil.com.au`). */
function domainBoundary(width: 1 | 2): Needle['accept'] {
  return (data, start, end) => {
    const prev = unitAt(data, start - width, width);
    if (prev >= 0 && isLabel(prev)) return false;
    const next = unitAt(data, end, width);
    if (next >= 0 && isLabel(next)) return false;
    if (next === DOT) {
      const after = unitAt(data, end + width, width);
      if (after >= 0 && isAlnum(after)) return false;
    }
    return true;
  };
}

/** An address hit must not be part of a longer dotted number (`11.2.3.45`) or word. */
function ipBoundary(width: 1 | 2, v6: boolean): Needle['accept'] {
  return (data, start, end) => {
    const prev = unitAt(data, start - width, width);
    if (prev >= 0 && (isAlnum(prev) || prev === DOT || (v6 && prev === COLON))) return false;
    const next = unitAt(data, end, width);
    if (next >= 0 && (isAlnum(next) || (v6 && next === COLON))) return false;
    if (next === DOT) {
      const after = unitAt(data, end + width, width);
      if (after >= 0 && isDigit(after)) return false;
    }
    return true;
  };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function hit(ind: Indicator, why: string, offset?: number): IocHit {
  const h: IocHit = { type: ind.type, indicator: ind.value, list: ind.list, line: ind.line, score: ind.score, why };
  if (ind.description !== undefined) h.description = ind.description;
  if (offset !== undefined) h.offset = offset;
  return h;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** `hku\<user>\rest` -> `hkcu\rest`, so an HKCU indicator matches the key in every user's hive. */
function currentUserAlias(lowerKey: string): string | undefined {
  if (!lowerKey.startsWith('hku\\')) return undefined;
  const i = lowerKey.indexOf('\\', 4);
  return i < 0 ? undefined : `hkcu${lowerKey.slice(i)}`;
}

class CompiledIocSet implements IocSet {
  readonly count: number;
  readonly lists: string[];
  readonly hashTypes = new Set<HashType>();
  private readonly hashes = new Map<string, Indicator[]>();
  private readonly filenames = new RegexGroup();
  private readonly paths = new RegexGroup();
  private readonly content: ContentRef[] = [];
  private readonly automaton: ContentAutomaton | undefined;
  private readonly keys = new Map<string, Indicator[]>();
  private readonly values = new Map<string, ValueIndicator[]>();

  constructor(lists: readonly IocList[]) {
    this.lists = lists.map((l) => l.name);
    const needles: Needle[] = [];
    let count = 0;
    for (const list of lists) {
      for (const ind of list.indicators) {
        count++;
        switch (ind.type) {
          case 'md5':
          case 'sha1':
          case 'sha256':
            push(this.hashes, `${ind.type}:${ind.value.toLowerCase()}`, ind);
            this.hashTypes.add(ind.type);
            break;
          case 'filename':
          case 'path': {
            const make = ind.type === 'path' ? compilePathRegex : compilePythonRegex;
            const r: RegexIndicator = { ind, re: make(ind.value) };
            if (ind.falsePositive) r.fp = make(ind.falsePositive);
            (ind.type === 'path' ? this.paths : this.filenames).add(r);
            break;
          }
          case 'string': {
            const d = decodeStringIndicator(ind.value);
            needles.push({ bytes: d.ascii, foldCase: false });
            this.content.push({ ind, encoding: 'ASCII' });
            needles.push({ bytes: d.utf16, foldCase: false });
            this.content.push({ ind, encoding: 'UTF-16LE' });
            break;
          }
          case 'domain':
          case 'ip': {
            const text = ind.value;
            const v6 = ind.type === 'ip' && text.includes(':');
            for (const width of [1, 2] as const) {
              const bytes = Uint8Array.from(Buffer.from(text, width === 1 ? 'latin1' : 'utf16le'));
              const accept = ind.type === 'domain' ? domainBoundary(width) : ipBoundary(width, v6);
              needles.push({ bytes, foldCase: ind.type === 'domain' || v6, accept });
              this.content.push({ ind, encoding: width === 1 ? 'ASCII' : 'UTF-16LE' });
            }
            break;
          }
          case 'regkey':
            push(this.keys, normalKeyPath(ind.value).toLowerCase(), ind);
            break;
          case 'regvalue': {
            const parts = splitRegValue(ind.value)!;
            const v: ValueIndicator = { ind };
            if (parts.data !== undefined) v.data = compilePythonRegex(parts.data);
            push(this.values, `${parts.key.toLowerCase()}\0${parts.name.toLowerCase()}`, v);
            break;
          }
        }
      }
    }
    this.count = count;
    this.automaton = needles.length > 0 ? new ContentAutomaton(needles) : undefined;
    this.filenames.seal();
    this.paths.seal();
  }

  match(subject: IocSubject): IocHit[] {
    const hits: IocHit[] = [];
    // Only the types some indicator has are read: a sweep computes a sample's hashes as they are asked for.
    for (const type of HASH_TYPES) {
      if (!this.hashTypes.has(type)) continue;
      const value = subject[type];
      if (value === undefined) continue;
      for (const ind of this.hashes.get(`${type}:${value.toLowerCase()}`) ?? []) hits.push(hit(ind, `${type} equals`));
    }
    if (this.filenames.size > 0) {
      const matched = new Set<Indicator>();
      for (const name of [baseName(subject.path), ...(subject.altNames ?? [])]) {
        for (const r of this.filenames.matching(name)) {
          if (matched.has(r.ind)) continue;
          matched.add(r.ind);
          hits.push(hit(r.ind, `file name "${name}" matches`));
        }
      }
    }
    if (this.paths.size > 0) {
      const path = windowsPath(subject.path);
      for (const r of this.paths.matching(path)) hits.push(hit(r.ind, `path "${path}" matches`));
    }
    if (this.automaton && subject.bytes && subject.bytes.length > 0) hits.push(...this.matchContent(subject.bytes));
    return hits;
  }

  /** One hit per indicator: its first occurrence (either encoding), with how often it occurs. */
  private matchContent(bytes: Uint8Array): IocHit[] {
    const first = new Map<Indicator, { offset: number; encoding: Encoding; count: number }>();
    this.automaton!.scan(bytes, (id, start) => {
      const ref = this.content[id]!;
      const seen = first.get(ref.ind);
      if (!seen) first.set(ref.ind, { offset: start, encoding: ref.encoding, count: 1 });
      else if (seen.count < MAX_COUNTED_OCCURRENCES) seen.count++;
    });
    const hits: IocHit[] = [];
    for (const [ind, f] of first) {
      const times = f.count === 1 ? '' : ` (${f.count >= MAX_COUNTED_OCCURRENCES ? `${MAX_COUNTED_OCCURRENCES}+` : f.count} occurrences)`;
      hits.push(hit(ind, `${ind.type} "${ind.value}" in ${f.encoding} text at ${hex(f.offset)}${times}`, f.offset));
    }
    return hits.sort((a, b) => a.offset! - b.offset!);
  }

  matchHive(hive: HiveView): IocHit[] {
    const hits: IocHit[] = [];
    const reported = new Set<Indicator>();
    if (this.keys.size > 0) {
      hive.forEachKey((keyPath) => {
        const lower = normalKeyPath(keyPath).toLowerCase();
        const alias = currentUserAlias(lower);
        for (const k of alias ? [lower, alias] : [lower]) {
          for (const ind of this.keys.get(k) ?? []) {
            if (reported.has(ind)) continue;
            reported.add(ind);
            hits.push(hit(ind, `key ${keyPath} exists in hive ${hive.name}`));
          }
        }
      });
    }
    if (this.values.size > 0) {
      hive.forEachValue((keyPath, valueName, data) => {
        const lower = normalKeyPath(keyPath).toLowerCase();
        const alias = currentUserAlias(lower);
        const name = valueName.toLowerCase();
        for (const k of alias ? [lower, alias] : [lower]) {
          for (const v of this.values.get(`${k}\0${name}`) ?? []) {
            if (reported.has(v.ind) || (v.data && !v.data.test(data))) continue;
            reported.add(v.ind);
            const shown = data.length > 200 ? `${data.slice(0, 200)}...` : data;
            hits.push(hit(v.ind, `value ${keyPath}\\${valueName || '(default)'} = "${shown}" in hive ${hive.name}`));
          }
        }
      });
    }
    return hits;
  }
}

/** An IocSet over parsed lists. Cheap enough to build in every worker from the plain IocList data. */
export function createIocSet(lists: readonly IocList[]): IocSet {
  return new CompiledIocSet(lists);
}
