// The sweep's configuration hash: everything that shapes an analysis, so a cached one is only reused when a fresh
// scan would give the same answer.

import { createHash } from 'node:crypto';
import { VERSION } from '../core/version.js';
import { SCHEMA_VERSION } from '../report/model.js';
import * as limits from './limits.js';
import type { WorkerPlan } from './protocol.js';

export function configHash(plan: WorkerPlan, engineVersion: string): string {
  const h = createHash('sha256');
  // JSON is unambiguous for these plain values; every field is named, so no two plans can collide by shifting.
  h.update(
    JSON.stringify({
      tool: VERSION,
      schema: SCHEMA_VERSION,
      engine: plan.engine,
      engineVersion,
      rules: plan.rules.map((r) => [r.path, r.namespace, r.text]),
      compile: plan.compile,
      iocs: plan.iocLists.map((l) => [l.name, l.format, l.indicators]),
      pathExternals: plan.pathExternals,
      maxSize: plan.maxSize,
      exclude: plan.exclude,
      pe: plan.pe,
      // Which hashes samples keep: an analysis stored with fewer (its archive members') is not replayed where more are shown.
      hashes: plan.hashes.every,
      // The rule files' own key (their paths and texts) and the database's identity: a cached analysis made with
      // other capability rules or another database is not reused.
      capabilities: plan.capabilities?.key ?? null,
      similarity: plan.similarity?.identity ?? null,
      limits: {
        depth: limits.MAX_ARCHIVE_DEPTH,
        entries: limits.MAX_ARCHIVE_ENTRIES,
        total: limits.MAX_ARCHIVE_TOTAL_BYTES,
        ratio: limits.MAX_COMPRESSION_RATIO,
        ratioMin: limits.RATIO_CHECK_MIN_BYTES,
        offsets: limits.MAX_REPORTED_MATCHES_PER_STRING,
      },
    }),
  );
  return h.digest('hex');
}
