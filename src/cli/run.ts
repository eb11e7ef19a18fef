/**
 * The CLI over a set of commands (main.ts: all of them; fast.ts: the kubectl-like ones): global flags,
 * commands loaded on demand, and the one place errors are printed. Commands reach the library through
 * src/api/ only (lint enforces it).
 */
import { Command, Option } from 'commander';
import { cncfdemoVersion } from '../config/identity.js';
import { streamLogger } from '../log/logger.js';
import type { CliContext, CliIO, GlobalOptions } from './context.js';
import { commandWord, listsCommandsOnly } from './argv.js';
import { listedCommands, type CommandSet } from './commands/set.js';
import { reportError } from './errors.js';

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** The CLI as a function: argv (without node and script) in, exit code out. Only bin/ calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIO, commands: CommandSet): Promise<number> {
  const program = new Command('cncfdemo');
  const globals = (): GlobalOptions => {
    const opts = program.opts<{ debug?: boolean; home?: string }>();
    return { debug: opts.debug === true, ...(opts.home ? { home: opts.home } : {}) };
  };
  const debugRequested = argv.includes('--debug') || io.env.CNCFDEMO_DEBUG === '1';
  const ctx: CliContext = {
    io,
    logger: streamLogger((line) => io.stderr.write(line), debugRequested ? 'debug' : 'info'),
    globals,
  };

  program
    .description('Bring up Kubernetes clusters, run a realistic demo on them, benchmark and check them.')
    .version(await cncfdemoVersion(), '--version', 'print the cncfdemo version')
    .addOption(new Option('--debug', 'print stack traces and debug logs').env('CNCFDEMO_DEBUG'))
    // Not commander's .env(): it reads process.env, and the library reads $CNCFDEMO_HOME from the run's own env.
    .option('--home <dir>', 'where run data is kept (default $CNCFDEMO_HOME, else ~/.cncfdemo)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => {
        write(usageError(s, program));
      },
    });
  const factories = await (listsCommandsOnly(argv)
    ? listedCommands(commands)
    : commands.load(commandsFor(argv, commands.names)));
  for (const factory of factories) program.addCommand(factory(ctx));
  for (const command of program.commands) inheritSettings(command, program);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (isHelpOrVersion(err)) return 0;
    return reportError(err, io.stderr, debugRequested);
  }
}

/**
 * The commands a run needs: the one it names; none for the version; every one for help, a typo (for the
 * suggestion) or no command at all.
 */
export function commandsFor(argv: readonly string[], names: readonly string[]): readonly string[] {
  const word = commandWord(argv);
  if (word !== undefined && names.includes(word)) return [word];
  if (word === undefined && argv.includes('--version')) return [];
  return names;
}

function inheritSettings(command: Command, parent: Command): void {
  command.exitOverride();
  command.configureOutput({
    ...parent.configureOutput(),
    outputError: (s, write) => {
      write(usageError(s, command));
    },
  });
  command.showSuggestionAfterError(true);
  for (const sub of command.commands) inheritSettings(sub, command);
}

/** commander's message (an unknown option, a bad argument, a suggestion) as one line, pointing at the help. */
function usageError(message: string, command: Command): string {
  const path: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) path.unshift(c.name());
  return `${message.replace(/\s*\n\s*/g, ' ').trim()} (hint: see ${path.join(' ')} --help)\n`;
}

function isHelpOrVersion(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help';
}
