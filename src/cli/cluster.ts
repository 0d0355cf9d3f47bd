// `firebreak cluster PATH...`: families and variants of a set of samples, as JSON, DOT or an interactive HTML graph.

import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { FirebreakError } from '../core/errors.js';
import { CLUSTER_FORMATS, clusterFiles, renderCluster, type ClusterFormat } from '../similarity/index.js';
import { EXIT_CLEAN } from './exit.js';
import { writeOut, type CliIo } from './io.js';
import { setExitStatus } from './main.js';
import { openDatabase } from './db.js';

export function define(cmd: Command, io: CliIo): void {
  cmd
    .argument('<paths...>', 'files or folders')
    .option('--format <format>', `output: ${CLUSTER_FORMATS.join(', ')}`, 'json')
    .option('--db <file>', 'family database for the runtime baseline and known family names (default: the bundled one, when built)')
    .option('-o, --output <file>', 'write the output to a file instead of standard output')
    .action(async (paths: string[], opts: { format: string; db?: string; output?: string }) => {
      if (!(CLUSTER_FORMATS as readonly string[]).includes(opts.format)) {
        throw new FirebreakError('E_USAGE', `--format must be one of ${CLUSTER_FORMATS.join(', ')}`, { input: opts.format });
      }
      const db = openDatabase(opts.db, { required: opts.db !== undefined, warn: (line) => io.stderr.write(`firebreak cluster: ${line}\n`) });
      let text: string;
      try {
        let n = 0;
        const r = clusterFiles(paths, { db: db ?? undefined, onFile: () => n++ });
        text = renderCluster(r, opts.format as ClusterFormat);
        io.stderr.write(`firebreak cluster: ${n} samples, ${r.families.length} families, ${r.links.length} links, ${r.stats.candidatePairs} candidate pairs\n`);
      } finally {
        db?.close();
      }
      if (opts.output) {
        try {
          writeFileSync(opts.output, text);
        } catch (e) {
          throw new FirebreakError('E_OUTPUT', 'cannot write output', { input: opts.output, cause: e });
        }
      } else await writeOut(io.stdout, text);
      setExitStatus(cmd, EXIT_CLEAN);
    });
}
