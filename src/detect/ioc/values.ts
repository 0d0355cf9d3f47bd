// Checks and normal forms of indicator values that every list format shares: hashes, domains, IPs, registry paths.

import { isIP } from 'node:net';
import type { IocType } from '../../core/findings.js';
import { compilePythonRegex } from '../../core/pyregex.js';

/** Shortest content indicator searched for: anything shorter would hit in most binaries. */
export const MIN_CONTENT_BYTES = 4;
/** Longest content indicator (domain, ip, string) searched for. */
export const MAX_CONTENT_BYTES = 1024;

export const HASH_LENGTHS: Record<'md5' | 'sha1' | 'sha256', number> = { md5: 32, sha1: 40, sha256: 64 };

/** The hash type of a hex string by its length, or undefined. */
export function hashTypeOf(hex: string): 'md5' | 'sha1' | 'sha256' | undefined {
  if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  return hex.length === 32 ? 'md5' : hex.length === 40 ? 'sha1' : hex.length === 64 ? 'sha256' : undefined;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** A domain in lower case without a trailing dot, or undefined when it is not a host name with at least one dot. */
export function normalDomain(text: string): string | undefined {
  const d = text.trim().toLowerCase().replace(/\.$/, '');
  if (d.length < MIN_CONTENT_BYTES || d.length > 253) return undefined;
  const labels = d.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^[0-9]+$/.test(labels[labels.length - 1]!)) {
    return undefined;
  }
  return d;
}

/** An IPv4 or IPv6 address as written (IPv6 in lower case), or undefined. */
export function normalIp(text: string): string | undefined {
  const t = text.trim();
  return isIP(t) ? t.toLowerCase() : undefined;
}

const HIVE_ROOTS: Record<string, string> = {
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKEY_CURRENT_USER: 'HKCU',
  HKEY_USERS: 'HKU',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKEY_CURRENT_CONFIG: 'HKCC',
};

/** A registry key path with its root abbreviated (HKEY_LOCAL_MACHINE -> HKLM), single backslashes, no trailing one. */
export function normalKeyPath(text: string): string {
  const parts = text.trim().replace(/\//g, '\\').split('\\').filter((p) => p.length > 0);
  if (parts.length > 0) parts[0] = HIVE_ROOTS[parts[0]!.toUpperCase()] ?? parts[0]!.toUpperCase();
  return parts.join('\\');
}

/** The key part of a regvalue indicator: `PATH\NAME[=DATA-REGEX]`, split at the first `=`. */
export interface RegValueParts {
  key: string;
  name: string;
  data?: string;
}

export function splitRegValue(text: string): RegValueParts | undefined {
  const eq = text.indexOf('=');
  const left = eq < 0 ? text : text.slice(0, eq);
  const slash = left.lastIndexOf('\\');
  if (slash <= 0) return undefined;
  const key = normalKeyPath(left.slice(0, slash));
  let name = left.slice(slash + 1);
  if (/^\(default\)$/i.test(name)) name = '';
  if (!key.includes('\\')) return undefined;
  return eq < 0 ? { key, name } : { key, name, data: text.slice(eq + 1) };
}

/**
 * Whether an indicator value is well formed for its type; the reason when not. Regexes are checked by compiling
 * them (Python syntax is accepted, see core/pyregex.ts).
 */
export function checkValue(type: IocType, value: string): string | undefined {
  switch (type) {
    case 'md5':
    case 'sha1':
    case 'sha256':
      return hashTypeOf(value) === type ? undefined : `not a ${type} (${HASH_LENGTHS[type]} hex digits)`;
    case 'filename':
    case 'path':
      return regexProblem(value);
    case 'string': {
      const n = Buffer.byteLength(value, 'utf8');
      if (n < MIN_CONTENT_BYTES) return `shorter than ${MIN_CONTENT_BYTES} bytes, it would match nearly every file`;
      return n > MAX_CONTENT_BYTES ? `longer than ${MAX_CONTENT_BYTES} bytes` : undefined;
    }
    case 'domain':
      return normalDomain(value) === undefined ? 'not a domain name (labels of letters, digits, - and _, with a dot)' : undefined;
    case 'ip':
      return normalIp(value) === undefined ? 'not an IPv4 or IPv6 address' : undefined;
    case 'regkey':
      return normalKeyPath(value).includes('\\') ? undefined : 'not a registry key path (ROOT\\Key\\...)';
    case 'regvalue': {
      const parts = splitRegValue(value);
      if (!parts) return 'not a registry value (ROOT\\Key\\...\\Name[=DATA-REGEX])';
      return parts.data === undefined ? undefined : regexProblem(parts.data);
    }
  }
}

function regexProblem(source: string): string | undefined {
  try {
    compilePythonRegex(source);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
