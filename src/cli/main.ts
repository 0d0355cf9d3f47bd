// The CLI entry point: picks the command from argv, loads only its module, and maps errors to exit status.

import { Command, CommanderError } from 'commander';
import { FirebreakError, toFirebreakError } from '../core/errors.js';
import { EXIT_ERROR, type ExitStatus } from './exit.js';
import type { CliIo } from './io.js';
import { VERSION } from '../core/version.js';

/** A command module registers its options on `cmd` and returns the action's exit status. */
export interface CommandModule {
  define(cmd: Command, io: CliIo): void;
}

interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

/** Commands as data, loaded lazily: `firebreak pe` never pays for the YARA engine. */
export const COMMANDS: CommandEntry[] = [
  { name: 'media', summary: 'list partitions, every FAT/exFAT entry (deleted, hidden) and anomalies of an image', load: () => import('./media.js') },
  { name: 'sweep', summary: 'sweep files, folders and archives with YARA rules and IOC lists', load: () => import('./sweep.js') },
  { name: 'render', summary: 'render a saved json/ndjson sweep report in another format', load: () => import('./render.js') },
  { name: 'pe', summary: 'take a Windows executable apart: headers, imports, exports, resources, signature, anomalies', load: () => import('./pe.js') },
  { name: 'triage', summary: 'what a PE can do: capabilities by ATT&CK tactic, YARA and IOC hits, anomalies', load: () => import('./triage.js') },
  { name: 'rules', summary: 'list, check, test and profile a rule pack', load: () => import('./rules.js') },
  { name: 'hive', summary: 'print the keys and values of an offline registry hive', load: () => import('./hive.js') },
  { name: 'db', summary: 'store samples\' similarity features in a family database', load: () => import('./db.js') },
  { name: 'similar', summary: 'nearest samples and families of a file, with evidence', load: () => import('./similar.js') },
  { name: 'cluster', summary: 'group samples into families and variants; graph of shared code', load: () => import('./cluster.js') },
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `firebreak ${VERSION}: find, take apart, link and count targeted espionage implants, offline`,
    '',
    'Usage: firebreak <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'firebreak <command> --help' for a command's options.",
    '',
  ].join('\n');
}

/**
 * Runs one command line (without `node` and the script name) and resolves to the exit status.
 * Never calls process.exit, so tests run it in-process.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? EXIT_ERROR : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`firebreak: unknown command '${name}' (see 'firebreak --help') [E_USAGE]\n`);
    return EXIT_ERROR;
  }
  const program = new Command('firebreak');
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: (s, write) => write(`firebreak ${name}: ${s.replace(/^error: /, '').trimEnd()} [E_USAGE]\n`),
  });
  const cmd = program.command(name).description(entry.summary);
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: (s, write) => write(`firebreak ${name}: ${s.replace(/^error: /, '').trimEnd()} [E_USAGE]\n`),
  });
  let status: number = EXIT_ERROR;
  try {
    const mod = await entry.load();
    mod.define(cmd, io);
    // Commander resolves the action's return value through parseAsync; each action stores its status here.
    cmd.hook('postAction', (_this, actionCmd) => {
      const s = (actionCmd as Command & { exitStatus?: ExitStatus }).exitStatus;
      if (s !== undefined) status = s;
    });
    await program.parseAsync(['node', 'firebreak', name, ...rest]);
    return status;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT_ERROR;
    }
    const err = e instanceof FirebreakError ? e : toFirebreakError(e);
    io.stderr.write(`firebreak ${name}: ${err.oneLine()}\n`);
    if (io.env.FIREBREAK_DEBUG && err.stack) io.stderr.write(`${err.stack}\n`);
    return EXIT_ERROR;
  }
}

/** Sets the exit status an action returns; actions call this instead of process.exit. */
export function setExitStatus(cmd: Command, status: ExitStatus): void {
  (cmd as Command & { exitStatus?: ExitStatus }).exitStatus = status;
}
