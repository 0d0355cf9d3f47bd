// `firebreak similar FILE`: the nearest samples and families in a family database, with the evidence for each.

import type { Command } from 'commander';
import { FirebreakError } from '../core/errors.js';
import { similarToFile, verdictOf, WEIGHTS, TLSH_NEAR, type SimilarResult } from '../similarity/index.js';
import { EXIT_CLEAN, EXIT_FOUND } from './exit.js';
import { writeOut, type CliIo } from './io.js';
import { setExitStatus } from './main.js';
import { openDatabase } from './db.js';

function renderText(r: SimilarResult): string {
  const q = r.query;
  const out: string[] = [];
  out.push(`${q.name}  sha256 ${q.sha256}`);
  out.push(`  TLSH ${q.tlshT1 ?? '-'}  ssdeep ${q.ssdeep ?? '-'}  imphash ${q.imphash ?? '-'}  rich ${q.richHash ?? '-'}`);
  const width = Math.max(0, ...q.sections.map((x) => x.name.length));
  for (const x of q.sections) out.push(`  section ${(x.name || '-').padEnd(width)} ${String(x.size).padStart(8)}  md5 ${x.md5}  entropy ${x.entropy.toFixed(2)}`);
  const v = verdictOf(r);
  const scored = r.candidatesScored === 0 ? 'no candidate: no sample shares an LSH bucket, imphash or Rich hash' : `${r.candidatesScored} candidate(s) scored`;
  out.push(v ? `family: ${v.summary}` : `family: none at or above ${r.familyThreshold} (${scored})`);
  if (r.families.length) {
    out.push('', 'families:');
    for (const f of r.families) {
      out.push(`  ${f.score.toFixed(3)}  ${f.family}${f.variant ? ` ${f.variant}` : ''}  (nearest ${f.nearest.name}; ${f.samplesAboveThreshold} sample(s) at or above ${r.familyThreshold})`);
      for (const w of f.why) out.push(`           ${w}`);
    }
  }
  if (r.relations.length) {
    out.push('', 'shares code with (not its family):');
    for (const x of r.relations) out.push(`  ${x.family}: ${x.sharedFunctions} rare function(s), ${x.sharedStrings} rare string(s)`);
  }
  if (r.matches.length) out.push('', 'nearest samples:');
  r.matches.forEach((m, i) => {
    const e = m.evidence;
    const label = m.sample.family ? ` [${m.sample.family}${m.sample.variant ? ` ${m.sample.variant}` : ''}]` : '';
    const weak = m.belowListingThreshold ? `  (below ${r.listingThreshold}: nearest, not evidence)` : '';
    out.push(`  ${i + 1}. ${e.score.toFixed(3)}  ${m.sample.name}${label}${m.identical ? '  (identical file)' : ''}${weak}`);
    out.push(
      `       code ${e.components.code} (${e.sharedFunctionCount} shared functions, ${e.sharedCodeInsns} instructions)  strings ${e.components.strings} (${e.sharedStringCount} shared)` +
        `  TLSH ${e.tlshDistance ?? '-'}  ssdeep ${e.ssdeepScore ?? '-'}${e.sameImphash ? '  same imphash' : ''}${e.sameRichHash ? '  same Rich hash' : ''}`,
    );
    for (const f of e.sharedFunctions.slice(0, 8)) out.push(`       fn ${f.hash} ${String(f.insns).padStart(5)} insns  here ${f.a.join(',')}  there ${f.b.join(',')}`);
    if (e.sharedFunctions.length > 8) out.push(`       ... ${e.sharedFunctionCount - 8} more shared functions`);
    for (const s of e.sharedStrings.slice(0, 5)) out.push(`       str ${JSON.stringify(s)}`);
  });
  out.push(
    '',
    `score = 1 - (1 - max(${WEIGHTS.code} code, ${WEIGHTS.strings} strings)) (1 - ${WEIGHTS.tlsh} tlsh) (1 - ${WEIGHTS.ssdeep} ssdeep) (1 - ${WEIGHTS.imphash} imphash) (1 - ${WEIGHTS.rich} rich);` +
      ` tlsh = max(0, (${TLSH_NEAR} - distance) / ${TLSH_NEAR}), ssdeep = score / 100`,
  );
  return `${out.join('\n')}\n`;
}

export function define(cmd: Command, io: CliIo): void {
  cmd
    .argument('<file>', 'the sample to look up')
    .option('--db <file>', 'family database (default: the bundled one)')
    .option('--top <k>', 'how many nearest samples and families to list', '10')
    .option('--format <format>', 'text or json', 'text')
    .action(async (file: string, opts: { db?: string; top: string; format: string }) => {
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 1 || top > 1000) throw new FirebreakError('E_USAGE', '--top must be a whole number from 1 to 1000', { input: opts.top });
      if (opts.format !== 'text' && opts.format !== 'json') throw new FirebreakError('E_USAGE', '--format must be text or json', { input: opts.format });
      const db = openDatabase(opts.db, { required: true, warn: (line) => io.stderr.write(`firebreak similar: ${line}\n`) })!;
      let r: SimilarResult;
      try {
        r = similarToFile(db, file, { top });
      } finally {
        db.close();
      }
      await writeOut(io.stdout, opts.format === 'json' ? `${JSON.stringify({ ...r, verdict: verdictOf(r) }, null, 2)}\n` : renderText(r));
      setExitStatus(cmd, verdictOf(r) ? EXIT_FOUND : EXIT_CLEAN);
    });
}
