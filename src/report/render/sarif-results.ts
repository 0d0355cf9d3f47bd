// The one mapping of findings to SARIF 2.1.0 rules and results, shared by the sweep's SARIF log and the triage's:
// a YARA match or IOC hit is a `fail` result (error, or warning for IOCs under score 75) at its byte region, with
// the sample's family verdict in its message and properties; a capability is an `informational` result (level
// `none`: what code can do is not a verdict) at its virtual addresses, as logical locations.

import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CapabilityMatch, FamilyVerdict, IocHit, YaraMatch } from '../../core/findings.js';
import { parseHex } from '../../core/address.js';

export type Json = Record<string, unknown>;

/** Logical locations given per capability result; a capability can match in hundreds of functions. */
export const MAX_CAPABILITY_LOCATIONS = 16;

/** A display path as a URI reference: absolute paths as file: URLs, others percent-encoded per segment. */
export function artifactUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** The run's `tool.driver.rules`: one descriptor per rule id, in first-use order, and each one's index. */
export class SarifRules {
  readonly descriptors: Json[] = [];
  private readonly index = new Map<string, number>();

  indexOf(id: string, make: () => Json): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.descriptors.length;
      this.descriptors.push({ id, ...make() });
      this.index.set(id, i);
    }
    return i;
  }
}

/** Where a sample's results point: its artifact's URI and index in the run's `artifacts`. */
export interface SarifArtifact {
  uri: string;
  index: number;
}

/** What a sample's family verdict adds to each of its detections: a sentence in the message, the verdict as a property. */
export interface FamilyNote {
  note: string;
  properties?: Json;
}

export function familyNote(f: FamilyVerdict | null): FamilyNote {
  if (!f) return { note: '' };
  return {
    note: ` [family: ${f.summary}, score ${f.score}]`,
    properties: {
      family: { name: f.name, ...(f.variant ? { variant: f.variant } : {}), score: f.score, summary: f.summary, why: f.why, ...(f.relations ? { relations: f.relations } : {}) },
    },
  };
}

export function yaraResult(rules: SarifRules, m: YaraMatch, artifact: SarifArtifact, family: FamilyNote): Json {
  const id = `yara/${m.namespace}/${m.rule}`;
  const ruleIndex = rules.indexOf(id, () => ({
    name: m.rule,
    shortDescription: { text: typeof m.meta.description === 'string' && m.meta.description ? m.meta.description : `YARA rule ${m.rule}` },
    properties: { namespace: m.namespace, tags: m.tags, meta: m.meta },
  }));
  const first = m.strings.find((s) => s.matches.length > 0);
  const region = first ? { byteOffset: first.matches[0]!.offset, byteLength: first.matches[0]!.length } : undefined;
  const ids = m.strings.map((s) => s.id);
  return {
    ruleId: id,
    ruleIndex,
    kind: 'fail',
    level: 'error',
    message: { text: `YARA rule ${m.namespace}:${m.rule} matched${ids.length ? ` (${ids.join(', ')})` : ''}${family.note}` },
    locations: [{ physicalLocation: { artifactLocation: { ...artifact }, ...(region ? { region } : {}) } }],
    ...(family.properties ? { properties: family.properties } : {}),
  };
}

export function iocResult(rules: SarifRules, h: IocHit, artifact: SarifArtifact, family: FamilyNote): Json {
  const id = `ioc/${h.list}${h.line !== undefined ? `:${h.line}` : ''}/${h.type}`;
  const ruleIndex = rules.indexOf(id, () => ({
    name: `${h.type}:${h.indicator}`,
    shortDescription: { text: h.description ?? `IOC ${h.type} ${h.indicator}` },
    properties: { list: h.list, ...(h.line !== undefined ? { line: h.line } : {}), score: h.score },
  }));
  const region = h.offset !== undefined ? { region: { byteOffset: h.offset } } : {};
  return {
    ruleId: id,
    ruleIndex,
    kind: 'fail',
    level: h.score >= 75 ? 'error' : 'warning',
    message: { text: `IOC ${h.type} ${h.indicator}: ${h.why}${family.note}` },
    locations: [{ physicalLocation: { artifactLocation: { ...artifact }, ...region } }],
    ...(family.properties ? { properties: family.properties } : {}),
  };
}

/** A capability: rule tags are its ATT&CK and MBC IDs; `evidence` adds the evidence tree as a property. */
export function capabilityResult(rules: SarifRules, c: CapabilityMatch, artifact: SarifArtifact, options: { evidence: boolean }): Json {
  const ruleSet = c.ruleSet ?? 'firebreak';
  const id = `capability/${ruleSet}/${c.rule}`;
  const ruleIndex = rules.indexOf(id, () => ({
    name: c.rule,
    shortDescription: { text: c.rule },
    properties: {
      namespace: c.namespace ?? '',
      scope: c.scope,
      ruleSet,
      tags: [...c.attack.map((a) => a.id), ...c.mbc.map((m) => m.id)].filter(Boolean),
      attack: c.attack,
      mbc: c.mbc,
    },
  }));
  const atAddresses = c.addresses.map((a) => ({
    physicalLocation: { artifactLocation: { ...artifact } },
    logicalLocations: [{ name: a, kind: c.scope === 'function' ? 'function' : 'member' }],
  }));
  // A file offset (evidence outside the image, such as an overlay) is a place in the artifact itself.
  const atOffsets = (c.fileOffsets ?? []).map((o) => ({ physicalLocation: { artifactLocation: { ...artifact }, region: { byteOffset: parseHex(o) } } }));
  const all = [...atAddresses, ...atOffsets];
  const locations = (all.length > 0 ? all : [{ physicalLocation: { artifactLocation: { ...artifact } } }]).slice(0, MAX_CAPABILITY_LOCATIONS);
  return {
    ruleId: id,
    ruleIndex,
    kind: 'informational',
    level: 'none',
    message: { text: `${c.rule}${c.attack.length ? ` (${c.attack.map((a) => a.id).join(', ')})` : ''}` },
    locations,
    ...(options.evidence && c.evidence ? { properties: { evidence: c.evidence } } : {}),
  };
}

/** Every result of one sample: its detections, then its capabilities. */
export function sampleResults(
  rules: SarifRules,
  r: { yara: YaraMatch[]; iocs: IocHit[]; capabilities: CapabilityMatch[]; family: FamilyVerdict | null },
  artifact: SarifArtifact,
  options: { evidence: boolean },
): Json[] {
  const family = familyNote(r.family);
  return [
    ...r.yara.map((m) => yaraResult(rules, m, artifact, family)),
    ...r.iocs.map((h) => iocResult(rules, h, artifact, family)),
    ...r.capabilities.map((c) => capabilityResult(rules, c, artifact, options)),
  ];
}
