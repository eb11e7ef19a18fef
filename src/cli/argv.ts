/**
 * What a command line asks for, read before anything else loads: the front door (start/route.ts) picks
 * the bundle by it, the CLI (main.ts) the commands to load.
 */

/**
 * The command a run asks for: the first word that is not a global option. Help, a typo (for the
 * suggestion) or no command at all load every command.
 */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--home') i++;
    else if (arg === '--') return argv[i + 1];
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** A run without a command word (help, or no arguments) only lists the commands, unless it prints the version. */
export function listsCommandsOnly(argv: readonly string[]): boolean {
  return commandWord(argv) === undefined && !argv.includes('--version');
}
