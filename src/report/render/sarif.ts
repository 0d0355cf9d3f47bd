// SARIF 2.1.0: one run; a rule per YARA rule, indicator or capability that hit, a result per hit (mapped in
// sarif-results.ts: detections at the byte region of their first match, with the sample's family verdict in their
// message and properties; capabilities as informational results), the samples as artifacts with their hashes, and
// what could not be read as notifications.

import { hasFindings, notFullyAnalysed } from '../model.js';
import type { SampleReport, SweepRecord, SweepSummary } from '../schema.js';
import { artifactUri, type Json, SarifRules, sampleResults } from './sarif-results.js';
import type { Renderer, RenderOptions } from './types.js';

/** Notifications kept for records that could not be read, so one sweep of a broken disk stays a usable file. */
export const MAX_NOTIFICATIONS = 1000;

export function sarifRenderer(options: RenderOptions): Renderer {
  const rules = new SarifRules();
  const artifacts: Json[] = [];
  const results: Json[] = [];
  const notifications: Json[] = [];
  let dropped = 0;

  const sample = (r: SampleReport): void => {
    const uri = artifactUri(r.sample.path);
    const index = artifacts.length;
    artifacts.push({
      location: { uri },
      length: r.sample.size,
      hashes: { md5: r.sample.md5, 'sha-1': r.sample.sha1, 'sha-256': r.sample.sha256 },
    });
    results.push(...sampleResults(rules, r, { uri, index }, { evidence: true }));
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
      // Capabilities are not findings: a sample with only those is listed with --all, as in the other formats.
      if (r.type === 'sample' && (hasFindings(r) || (options.all && r.capabilities.length > 0))) sample(r);
      if (r.type === 'skip' || notFullyAnalysed(r)) notify(r);
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
                rules: rules.descriptors,
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
