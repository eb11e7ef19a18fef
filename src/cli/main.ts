/** The CLI as a function (argv in, exit code out), with every command: the whole bundle's entry, and the tests'. */
import { allCommands, commandNames } from './commands/index.js';
import type { CliIO } from './context.js';
import { commandsFor as commandsIn, processIO, runCli } from './run.js';

export { commandWord } from './argv.js';
export { processIO } from './run.js';

/** argv (without node and script) in, exit code out. Only bin/ calls process.exit. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  return runCli(argv, io, allCommands);
}

/** The commands a run of argv loads (run.ts): the one it names, none for the version, else all. */
export function commandsFor(argv: readonly string[]): readonly string[] {
  return commandsIn(argv, commandNames);
}
