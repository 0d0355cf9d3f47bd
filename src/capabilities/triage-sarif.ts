// SARIF 2.1.0 for a triage: one run, a rule per capability, YARA rule and indicator, a result per finding.

import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VERSION } from '../core/version.js';
import type { TriageResult } from './triage.js';

type Json = Record<string, unknown>;

function uri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path
    .split(/[\\/]/)
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/**
 * Capabilities are `note` results (what the code can do, not a verdict) located by virtual address as a logical
 * location; YARA and IOC hits are `error`/`warning` results at their byte offsets.
 */
export function renderTriageSarif(t: TriageResult, options: { verbose: boolean }): string {
  const r = t.report;
  const artifactUri = uri(r.sample.path);
  const rules: Json[] = [];
  const index = new Map<string, number>();
  const rule = (id: string, make: () => Json): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = rules.length;
      rules.push({ id, ...make() });
      index.set(id, i);
    }
    return i;
  };
  const artifact = { uri: artifactUri, index: 0 };
  const results: Json[] = [];
  for (const c of r.capabilities) {
    const id = `capability/${c.ruleSet ?? 'firebreak'}/${c.rule}`;
    const ruleIndex = rule(id, () => ({
      name: c.rule,
      shortDescription: { text: c.rule },
      properties: {
        namespace: c.namespace ?? '',
        scope: c.scope,
        ruleSet: c.ruleSet ?? 'firebreak',
        tags: [...c.attack.map((a) => a.id), ...c.mbc.map((m) => m.id)].filter(Boolean),
        attack: c.attack,
        mbc: c.mbc,
      },
    }));
    const locations = (c.addresses.length > 0 ? c.addresses : [null]).slice(0, 16).map((a) => ({
      physicalLocation: { artifactLocation: artifact },
      ...(a ? { logicalLocations: [{ name: a, kind: c.scope === 'function' ? 'function' : 'member' }] } : {}),
    }));
    const result: Json = {
      ruleId: id,
      ruleIndex,
      kind: 'informational',
      level: 'none',
      message: { text: `${c.rule}${c.attack.length ? ` (${c.attack.map((a) => a.id).join(', ')})` : ''}` },
      locations,
    };
    if (options.verbose && c.evidence) result.properties = { evidence: c.evidence };
    results.push(result);
  }
  for (const m of r.yara) {
    const id = `yara/${m.namespace}/${m.rule}`;
    const ruleIndex = rule(id, () => ({ name: m.rule, shortDescription: { text: `YARA rule ${m.rule}` }, properties: { namespace: m.namespace, tags: m.tags } }));
    const first = m.strings.find((s) => s.matches.length > 0)?.matches[0];
    results.push({
      ruleId: id,
      ruleIndex,
      kind: 'fail',
      level: 'error',
      message: { text: `YARA rule ${m.namespace}:${m.rule} matched` },
      locations: [{ physicalLocation: { artifactLocation: artifact, ...(first ? { region: { byteOffset: first.offset, byteLength: first.length } } : {}) } }],
    });
  }
  for (const h of r.iocs) {
    const id = `ioc/${h.list}${h.line !== undefined ? `:${h.line}` : ''}/${h.type}`;
    const ruleIndex = rule(id, () => ({ name: `${h.type}:${h.indicator}`, shortDescription: { text: h.description ?? `IOC ${h.type} ${h.indicator}` } }));
    results.push({
      ruleId: id,
      ruleIndex,
      kind: 'fail',
      level: h.score >= 75 ? 'error' : 'warning',
      message: { text: `IOC ${h.type} ${h.indicator}: ${h.why}` },
      locations: [{ physicalLocation: { artifactLocation: artifact, ...(h.offset !== undefined ? { region: { byteOffset: h.offset } } : {}) } }],
    });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'firebreak', version: VERSION, semanticVersion: VERSION, rules } },
        artifacts: [{ location: { uri: artifactUri }, length: r.sample.size, hashes: { md5: r.sample.md5, 'sha-1': r.sample.sha1, 'sha-256': r.sample.sha256 } }],
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: r.errors.map((e) => ({ level: 'warning', message: { text: `${e.code}: ${e.message}` } })),
          },
        ],
        properties: { pe: r.pe, partial: r.partial ?? false, anomalies: t.anomalies },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
