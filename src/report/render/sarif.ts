// SARIF 2.1.0: one run; a rule per YARA rule or indicator that hit, a result per hit with the byte region of its
// first match (and the sample's family verdict in its message and properties), the samples as artifacts with their
// hashes, and what could not be read as notifications.

import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FamilyVerdict, IocHit, YaraMatch } from '../../core/findings.js';
import { hasFindings } from '../model.js';
import type { SampleReport, SweepRecord, SweepSummary } from '../schema.js';
import type { Renderer, RenderOptions } from './types.js';

/** Notifications kept for records that could not be read, so one sweep of a broken disk stays a usable file. */
export const MAX_NOTIFICATIONS = 1000;

type Json = Record<string, unknown>;

/** A display path as a URI reference: absolute paths as file: URLs, others percent-encoded per segment. */
export function artifactUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

interface RuleEntry {
  id: string;
  descriptor: Json;
}

export function sarifRenderer(options: RenderOptions): Renderer {
  const rules: RuleEntry[] = [];
  const ruleIndex = new Map<string, number>();
  const artifacts: Json[] = [];
  const results: Json[] = [];
  const notifications: Json[] = [];
  let dropped = 0;

  const rule = (id: string, make: () => Json): number => {
    let i = ruleIndex.get(id);
    if (i === undefined) {
      i = rules.length;
      rules.push({ id, descriptor: { id, ...make() } });
      ruleIndex.set(id, i);
    }
    return i;
  };

  /** What a sample's family verdict adds to each of its results: a sentence in the message, the verdict as a property. */
  const familyOf = (f: FamilyVerdict | null): { note: string; properties?: Json } => {
    if (!f) return { note: '' };
    return {
      note: ` [family: ${f.summary}, score ${f.score}]`,
      properties: {
        family: { name: f.name, ...(f.variant ? { variant: f.variant } : {}), score: f.score, summary: f.summary, why: f.why, ...(f.relations ? { relations: f.relations } : {}) },
      },
    };
  };

  const yaraResult = (m: YaraMatch, uri: string, artifact: number, family: ReturnType<typeof familyOf>): Json => {
    const id = `yara/${m.namespace}/${m.rule}`;
    const ruleIdx = rule(id, () => ({
      name: m.rule,
      shortDescription: { text: typeof m.meta.description === 'string' && m.meta.description ? m.meta.description : `YARA rule ${m.rule}` },
      properties: { namespace: m.namespace, tags: m.tags, meta: m.meta },
    }));
    const first = m.strings.find((s) => s.matches.length > 0);
    const region = first ? { byteOffset: first.matches[0]!.offset, byteLength: first.matches[0]!.length } : undefined;
    const ids = m.strings.map((s) => s.id);
    return {
      ruleId: id,
      ruleIndex: ruleIdx,
      kind: 'fail',
      level: 'error',
      message: { text: `YARA rule ${m.namespace}:${m.rule} matched${ids.length ? ` (${ids.join(', ')})` : ''}${family.note}` },
      locations: [{ physicalLocation: { artifactLocation: { uri, index: artifact }, ...(region ? { region } : {}) } }],
      ...(family.properties ? { properties: family.properties } : {}),
    };
  };

  const iocResult = (h: IocHit, uri: string, artifact: number, family: ReturnType<typeof familyOf>): Json => {
    const id = `ioc/${h.list}${h.line !== undefined ? `:${h.line}` : ''}/${h.type}`;
    const ruleIdx = rule(id, () => ({
      name: `${h.type}:${h.indicator}`,
      shortDescription: { text: h.description ?? `IOC ${h.type} ${h.indicator}` },
      properties: { list: h.list, ...(h.line !== undefined ? { line: h.line } : {}), score: h.score },
    }));
    const region = h.offset !== undefined ? { region: { byteOffset: h.offset } } : {};
    return {
      ruleId: id,
      ruleIndex: ruleIdx,
      kind: 'fail',
      level: h.score >= 75 ? 'error' : 'warning',
      message: { text: `IOC ${h.type} ${h.indicator}: ${h.why}${family.note}` },
      locations: [{ physicalLocation: { artifactLocation: { uri, index: artifact }, ...region } }],
      ...(family.properties ? { properties: family.properties } : {}),
    };
  };

  const sample = (r: SampleReport): void => {
    const uri = artifactUri(r.sample.path);
    const artifact = artifacts.length;
    artifacts.push({
      location: { uri },
      length: r.sample.size,
      hashes: { md5: r.sample.md5, 'sha-1': r.sample.sha1, 'sha-256': r.sample.sha256 },
    });
    const family = familyOf(r.family);
    for (const m of r.yara) results.push(yaraResult(m, uri, artifact, family));
    for (const h of r.iocs) results.push(iocResult(h, uri, artifact, family));
  };

  const notify = (r: SweepRecord): void => {
    const skipped = r.skipped;
    if (skipped?.reason === 'excluded' && !options.all) return;
    const path = r.type === 'skip' ? r.path : r.sample.path;
    const texts = [...(skipped ? [`skipped: ${skipped.reason}${skipped.detail ? ` (${skipped.detail})` : ''}`] : []), ...r.errors.map((e) => `${e.code}: ${e.message}`)];
    for (const text of texts) {
      if (notifications.length >= MAX_NOTIFICATIONS) {
        dropped++;
        continue;
      }
      notifications.push({
        level: skipped && text.startsWith('skipped') ? 'note' : 'error',
        message: { text },
        locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(path) } } }],
      });
    }
  };

  return {
    record(r) {
      if (r.type === 'sample' && hasFindings(r)) sample(r);
      if (r.type === 'skip' || r.skipped || r.errors.length > 0) notify(r);
      return '';
    },
    end(summary: SweepSummary) {
      if (dropped) notifications.push({ level: 'note', message: { text: `${dropped} more notifications left out` } });
      const log = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: 'firebreak',
                version: summary.tool.version,
                semanticVersion: summary.tool.version,
                rules: rules.map((r) => r.descriptor),
              },
            },
            invocations: [
              {
                executionSuccessful: true,
                startTimeUtc: summary.startedAt,
                endTimeUtc: summary.finishedAt,
                toolExecutionNotifications: notifications,
              },
            ],
            artifacts,
            results,
            properties: { summary },
          },
        ],
      };
      return `${JSON.stringify(log, null, 2)}\n`;
    },
  };
}
