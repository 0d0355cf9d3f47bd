// STIX 2.1: a bundle with, per hit, an indicator and a sighting of it, whose observed-data points at the sample's
// file object. An IOC that STIX patterning can say (a file hash, a file name, a domain, an IP address) is its own
// pattern, one indicator however many files it hits; any other hit (a YARA rule, whose text a report does not carry,
// a content string, a path or a registry value) is an indicator for the sample it hit: its SHA-256 as the pattern,
// named after the rule or indicator that found it. A sample
// with a family verdict adds a malware object for the family (and one for its variant, `variant-of` the family),
// malware objects for the families it relates to, relationships (each indicator `indicates` it; the family's
// relations), and a sighting of the malware with the verdict's score as its confidence. A sample's capabilities
// (--capabilities) add an attack-pattern per ATT&CK technique they map to (with its ATT&CK external reference and
// kill-chain phase), a sighting of each, and, when the sample has a family, a `uses` relationship from it.
// Ids are name-based UUIDs over the content, so rendering the same report twice gives the same bundle.

import { basename } from 'node:path';
import type { CapabilityMatch, FamilyVerdict, IocHit } from '../../core/findings.js';
import { hasFindings } from '../model.js';
import type { SampleReport, SweepSummary } from '../schema.js';
import type { Renderer } from './types.js';
import { uuidv5 } from './uuid.js';

/** STIX 2.1's namespace for deterministic cyber-observable ids (section 2.9). */
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Firebreak's namespace for the ids of the objects it creates. */
const FIREBREAK_NAMESPACE = '6b1c7f43-2f8e-4d0c-9a51-3e5b0f6d2a17';

type Json = Record<string, unknown>;

/** A family-file relation as a STIX relationship type (its vocabulary has variant-of; the rest are related-to). */
const RELATIONSHIP: Record<string, { type: string; says: string }> = {
  'variant-of': { type: 'variant-of', says: 'is a variant of' },
  'plugin-of': { type: 'related-to', says: 'is a plugin of' },
  'hosts-plugin': { type: 'related-to', says: 'hosts the plugin' },
  'shares-origin': { type: 'related-to', says: 'shares an origin with' },
};

const malwareId = (name: string): string => `malware--${uuidv5(FIREBREAK_NAMESPACE, `malware|${name}`)}`;

/** A STIX pattern string literal: quote and backslash escaped (STIX 2.1 patterning, section 9.5). */
function literal(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The IOC as a STIX pattern of its own, where patterning can say it; undefined for the others. */
export function iocPattern(h: Pick<IocHit, 'type' | 'indicator'>): string | undefined {
  const v = h.indicator;
  switch (h.type) {
    case 'md5':
      return `[file:hashes.MD5 = ${literal(v.toLowerCase())}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${literal(v.toLowerCase())}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${literal(v.toLowerCase())}]`;
    case 'domain':
      return `[domain-name:value = ${literal(v.toLowerCase())}]`;
    case 'ip':
      return v.includes(':') ? `[ipv6-addr:value = ${literal(v)}]` : `[ipv4-addr:value = ${literal(v)}]`;
    case 'filename':
      return `[file:name MATCHES ${literal(v)}]`;
    default:
      return undefined;
  }
}

/** ATT&CK technique and sub-technique IDs; capa's MBC IDs and malformed ones are not ATT&CK and get no object. */
const ATTACK_ID = /^T\d{4}(?:\.\d{3})?$/;

/** A technique's page on attack.mitre.org: T1071.001 is techniques/T1071/001/. */
export function attackUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;
}

/** The techniques a sample's capabilities map to, each with its name, tactics and the capabilities naming it. */
function techniques(caps: readonly CapabilityMatch[]): Map<string, { name: string; tactics: Set<string>; rules: string[] }> {
  const out = new Map<string, { name: string; tactics: Set<string>; rules: string[] }>();
  for (const c of caps) {
    for (const a of c.attack) {
      if (!ATTACK_ID.test(a.id)) continue;
      const t = out.get(a.id) ?? { name: a.technique ?? a.id, tactics: new Set<string>(), rules: [] };
      if (a.tactic) t.tactics.add(a.tactic);
      if (!t.rules.includes(c.rule)) t.rules.push(c.rule);
      out.set(a.id, t);
    }
  }
  return out;
}

export function stixRenderer(): Renderer {
  const samples: SampleReport[] = [];
  return {
    record(r) {
      if (r.type === 'sample' && hasFindings(r)) samples.push(r);
      return '';
    },
    end(summary: SweepSummary) {
      const when = summary.finishedAt;
      const objects: Json[] = [];
      const seen = new Set<string>();
      const add = (o: Json): void => {
        if (seen.has(o.id as string)) return;
        seen.add(o.id as string);
        objects.push(o);
      };
      const malware = (name: string, description?: string): string => {
        const id = malwareId(name);
        add({ type: 'malware', spec_version: '2.1', id, created: when, modified: when, name, is_family: true, ...(description ? { description } : {}) });
        return id;
      };
      const relationship = (type: string, source: string, target: string, description: string): void => {
        add({
          type: 'relationship',
          spec_version: '2.1',
          id: `relationship--${uuidv5(FIREBREAK_NAMESPACE, `relationship|${type}|${source}|${target}|${description}`)}`,
          created: when,
          modified: when,
          relationship_type: type,
          source_ref: source,
          target_ref: target,
          description,
        });
      };
      /** The malware object the sample was seen as (its family's, or its variant's); see attackPatterns. */
      const familyObjects = (f: FamilyVerdict, indicators: string[], observedId: string, sha256: string, path: string): string => {
        const family = malware(f.name);
        // The variant is its own (sub-)family object, so a sighting can name exactly what was seen.
        const seen = f.variant ? malware(`${f.name} ${f.variant}`) : family;
        if (seen !== family) relationship('variant-of', seen, family, `${f.name} ${f.variant} is a variant of ${f.name}`);
        for (const rel of f.relations ?? []) {
          const map = RELATIONSHIP[rel.relation] ?? { type: 'related-to', says: rel.relation };
          relationship(map.type, family, malware(rel.family), `${f.name} ${map.says} ${rel.family}`);
        }
        for (const indicator of indicators) relationship('indicates', indicator, seen, `evidence for ${f.summary}`);
        add({
          type: 'sighting',
          spec_version: '2.1',
          id: `sighting--${uuidv5(FIREBREAK_NAMESPACE, `sighting|family|${f.name}|${f.variant ?? ''}|${sha256}|${path}|${summary.startedAt}`)}`,
          created: when,
          modified: when,
          first_seen: summary.startedAt,
          last_seen: summary.finishedAt,
          count: 1,
          confidence: Math.max(0, Math.min(100, Math.round(f.score))),
          sighting_of_ref: seen,
          observed_data_refs: [observedId],
          description: `${f.summary} at ${path}: ${f.why.join('; ')}`,
        });
        return seen;
      };
      const attackPatterns = (caps: readonly CapabilityMatch[], observedId: string, sha256: string, path: string, seenAs: string | undefined): void => {
        for (const [id, t] of techniques(caps)) {
          const patternId = `attack-pattern--${uuidv5(FIREBREAK_NAMESPACE, `attack-pattern|${id}`)}`;
          add({
            type: 'attack-pattern',
            spec_version: '2.1',
            id: patternId,
            created: when,
            modified: when,
            name: t.name,
            external_references: [{ source_name: 'mitre-attack', external_id: id, url: attackUrl(id) }],
            ...(t.tactics.size
              ? { kill_chain_phases: [...t.tactics].map((tactic) => ({ kill_chain_name: 'mitre-attack', phase_name: tactic.toLowerCase().replace(/\s+/g, '-') })) }
              : {}),
          });
          add({
            type: 'sighting',
            spec_version: '2.1',
            id: `sighting--${uuidv5(FIREBREAK_NAMESPACE, `sighting|attack-pattern|${id}|${sha256}|${path}|${summary.startedAt}`)}`,
            created: when,
            modified: when,
            first_seen: summary.startedAt,
            last_seen: summary.finishedAt,
            count: 1,
            sighting_of_ref: patternId,
            observed_data_refs: [observedId],
            description: `${id} at ${path}, by the capabilities: ${t.rules.join('; ')}`,
          });
          if (seenAs) relationship('uses', seenAs, patternId, `the code at ${path} can: ${t.rules.join('; ')}`);
        }
      };
      for (const r of samples) {
        const s = r.sample;
        const name = basename(s.path.slice(Math.max(s.path.lastIndexOf('!'), s.path.lastIndexOf(':')) + 1)) || s.path;
        const fileId = `file--${uuidv5(SCO_NAMESPACE, JSON.stringify({ hashes: { 'SHA-256': s.sha256 }, name }))}`;
        add({ type: 'file', spec_version: '2.1', id: fileId, hashes: { MD5: s.md5, 'SHA-1': s.sha1, 'SHA-256': s.sha256 }, size: s.size, name });
        const observedId = `observed-data--${uuidv5(FIREBREAK_NAMESPACE, `observed|${s.sha256}|${s.path}|${summary.startedAt}`)}`;
        add({
          type: 'observed-data',
          spec_version: '2.1',
          id: observedId,
          created: when,
          modified: when,
          first_observed: summary.startedAt,
          last_observed: summary.finishedAt,
          number_observed: 1,
          object_refs: [fileId],
        });
        const samplePattern = `[file:hashes.'SHA-256' = '${s.sha256}']`;
        const indicators: string[] = [];
        /** `own`: the hit's own pattern (an IOC's), which makes one indicator for every sample it hits. */
        const hit = (key: string, name: string, description: string | undefined, labels: string[], where: string, own?: string): void => {
          const pattern = own ?? samplePattern;
          const indicatorId = `indicator--${uuidv5(FIREBREAK_NAMESPACE, own ? `indicator|${key}` : `indicator|${key}|${s.sha256}`)}`;
          add({
            type: 'indicator',
            spec_version: '2.1',
            id: indicatorId,
            created: when,
            modified: when,
            name,
            ...(description ? { description } : {}),
            indicator_types: ['malicious-activity'],
            pattern,
            pattern_type: 'stix',
            pattern_version: '2.1',
            valid_from: when,
            ...(labels.length ? { labels } : {}),
          });
          indicators.push(indicatorId);
          add({
            type: 'sighting',
            spec_version: '2.1',
            id: `sighting--${uuidv5(FIREBREAK_NAMESPACE, `sighting|${key}|${s.sha256}|${s.path}|${summary.startedAt}`)}`,
            created: when,
            modified: when,
            first_seen: summary.startedAt,
            last_seen: summary.finishedAt,
            count: 1,
            sighting_of_ref: indicatorId,
            observed_data_refs: [observedId],
            description: `${name} at ${where}`,
          });
        };
        for (const m of r.yara) {
          const desc = typeof m.meta.description === 'string' ? m.meta.description : undefined;
          hit(`yara|${m.namespace}|${m.rule}`, `YARA ${m.namespace}:${m.rule}`, desc, m.tags, s.path);
        }
        for (const h of r.iocs) {
          const own = iocPattern(h);
          // An indicator of its own is the same object for every sample it hits: no sample's `why` in it.
          hit(`ioc|${h.list}|${h.line ?? ''}|${h.type}|${h.indicator}`, `IOC ${h.type} ${h.indicator}`, own ? h.description : (h.description ?? h.why), [], s.path, own);
        }
        const seenAs = r.family ? familyObjects(r.family, indicators, observedId, s.sha256, s.path) : undefined;
        if (r.capabilities.length) attackPatterns(r.capabilities, observedId, s.sha256, s.path, seenAs);
      }
      const bundle = {
        type: 'bundle',
        id: `bundle--${uuidv5(FIREBREAK_NAMESPACE, `bundle|${summary.startedAt}|${summary.roots.join('|')}`)}`,
        // A bundle with nothing in it leaves `objects` out: the schema wants at least one.
        ...(objects.length ? { objects } : {}),
      };
      return `${JSON.stringify(bundle, null, 2)}\n`;
    },
  };
}
