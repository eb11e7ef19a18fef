import { commandWord } from '../argv.js';

/**
 * The kubectl-like commands, which users run as often as kubectl and expect to start as fast: they (and
 * help) run from the fast bundle, one CommonJS file started from a code cache (start.ts). Their loaders
 * are commands/kubectl-like.ts, which the type below keeps to exactly these names.
 */
export const KUBECTL_LIKE_COMMANDS = ['create', 'apply', 'get', 'delete', 'wait'] as const;
export type KubectlLikeCommand = (typeof KUBECTL_LIKE_COMMANDS)[number];

/**
 * Which bundle runs a command line: `--version` alone needs none; a kubectl-like command, or none at all
 * (help, the version with other flags), the fast one; any other (cncfdemo's own commands, `help CMD`, a
 * typo, whose suggestion needs every command) the whole CLI.
 */
export function route(argv: readonly string[]): 'version' | 'fast' | 'full' {
  if (argv.length === 1 && argv[0] === '--version') return 'version';
  const word = commandWord(argv);
  if (word === undefined) return 'fast';
  return (KUBECTL_LIKE_COMMANDS as readonly string[]).includes(word) ? 'fast' : 'full';
}
