// Tells IOC list formats apart by their content and reads lists from files.

import { readFile, stat } from 'node:fs/promises';
import { FirebreakError } from '../../core/errors.js';
import { parseLokiC2List, parseLokiFilenameList, parseLokiHashList } from './parse-loki.js';
import { parseStixBundle } from './parse-stix.js';
import { IOC_TYPES, isCommentLine, listLines, parseFirebreakList } from './parse-text.js';
import type { IocFormat, IocList } from './types.js';
import { hashTypeOf, normalDomain, normalIp } from './values.js';

/** Lines looked at to tell the format. */
export const FORMAT_SAMPLE_LINES = 500;
/** Largest list file read. */
export const MAX_LIST_BYTES = 256 * 1024 * 1024;

const OWN = new RegExp(`^\\s*(${IOC_TYPES.join('|')})\\s*:`, 'i');

function lineFormat(line: string): IocFormat | undefined {
  if (OWN.test(line)) return 'firebreak';
  const fields = line.split(';');
  const first = fields[0]!.trim();
  if (hashTypeOf(first)) return 'loki-hash';
  // A Loki filename line can look like a host (`svchost.exe;50`); the vote over many lines settles it.
  if ((normalIp(first) || normalDomain(first)) && fields.length <= 2) return 'loki-c2';
  if (fields.length >= 2 && /^\s*-?\d+\s*$/.test(fields[1]!)) return 'loki-filename';
  return undefined;
}

/**
 * The format of a list by its content: a JSON object is a STIX bundle; otherwise the kind most of its first
 * non-comment lines look like (own `type:value` lines win ties, then Loki hash, filename and C2 lines).
 * Throws E_IOC_SYNTAX when no line looks like any of them.
 */
export function detectFormat(text: string, name: string): IocFormat {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*[{[]/.test(body)) return 'stix';
  const votes = new Map<IocFormat, number>();
  let looked = 0;
  let firstUnknown: number | undefined;
  const lines = listLines(body, name);
  for (let i = 0; i < lines.length && looked < FORMAT_SAMPLE_LINES; i++) {
    if (isCommentLine(lines[i]!)) continue;
    looked++;
    const f = lineFormat(lines[i]!);
    if (f) votes.set(f, (votes.get(f) ?? 0) + 1);
    else firstUnknown ??= i + 1;
  }
  if (looked === 0) return 'firebreak';
  const order: IocFormat[] = ['firebreak', 'loki-hash', 'loki-filename', 'loki-c2'];
  let best: IocFormat | undefined;
  for (const f of order) if ((votes.get(f) ?? 0) > (best ? votes.get(best)! : 0)) best = f;
  if (!best) {
    throw new FirebreakError(
      'E_IOC_SYNTAX',
      'not an IOC list Firebreak reads (TYPE:VALUE lines, Loki hash/filename/C2 lists, or a STIX 2.1 bundle)',
      { input: name, line: firstUnknown },
    );
  }
  return best;
}

/** Parses one list, its format told by content. `name` is how hits and warnings will name the list. */
export function parseIocList(text: string, name: string, format: IocFormat = detectFormat(text, name)): IocList {
  switch (format) {
    case 'firebreak':
      return parseFirebreakList(text, name);
    case 'loki-hash':
      return parseLokiHashList(text, name);
    case 'loki-filename':
      return parseLokiFilenameList(text, name);
    case 'loki-c2':
      return parseLokiC2List(text, name);
    case 'stix':
      return parseStixBundle(text.replace(/^\uFEFF/, ''), name);
  }
}

/** Reads and parses list files; a missing or unreadable file is E_INPUT_NOT_FOUND / E_INPUT_UNREADABLE. */
export async function loadIocLists(paths: string[]): Promise<IocList[]> {
  const out: IocList[] = [];
  for (const p of paths) {
    let text: string;
    try {
      const st = await stat(p);
      if (!st.isFile()) throw new FirebreakError('E_INPUT_UNREADABLE', 'not a file', { input: p });
      if (st.size > MAX_LIST_BYTES) throw new FirebreakError('E_INPUT_TOO_LARGE', `IOC list larger than ${MAX_LIST_BYTES} bytes`, { input: p });
      text = await readFile(p, 'utf8');
    } catch (e) {
      if (e instanceof FirebreakError) throw e;
      const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'E_INPUT_NOT_FOUND' : 'E_INPUT_UNREADABLE';
      throw new FirebreakError(code, `cannot read IOC list: ${e instanceof Error ? e.message : String(e)}`, { input: p, cause: e });
    }
    out.push(parseIocList(text, p));
  }
  return out;
}
