// SARIF 2.1.0 for a triage: one run over one artifact, with the sweep's mapping of YARA, IOC and capability results
// (sarif-results.ts) and the PE summary, partial flag and anomalies as run properties.

import { VERSION } from '../../core/version.js';
import type { TriageResult } from '../triage.js';
import { artifactUri, SarifRules, sampleResults } from './sarif-results.js';

export function renderTriageSarif(t: TriageResult, options: { verbose: boolean }): string {
  const r = t.report;
  const uri = artifactUri(r.sample.path);
  const rules = new SarifRules();
  const results = sampleResults(rules, r, { uri, index: 0 }, { evidence: options.verbose });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'firebreak', version: VERSION, semanticVersion: VERSION, rules: rules.descriptors } },
        artifacts: [{ location: { uri }, length: r.sample.size, hashes: { md5: r.sample.md5, 'sha-1': r.sample.sha1, 'sha-256': r.sample.sha256 } }],
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: r.errors.map((e) => ({ level: 'warning', message: { text: `${e.code}: ${e.message}` } })),
          },
        ],
        properties: { pe: r.pe, partial: r.partial ?? false, anomalies: t.anomalies, family: r.family },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
