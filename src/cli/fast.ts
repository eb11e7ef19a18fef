/**
 * The fast bundle's entry (dist/fast/cli.cjs, started by start/start.ts): the CLI with the kubectl-like
 * commands alone, which is all start/route.ts sends it, plus the help that lists every command from the
 * summaries built in.
 */
import { kubectlLikeCommands } from './commands/kubectl-like.js';
import type { CliIO } from './context.js';
import { processIO, runCli } from './run.js';

export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  return runCli(argv, io, kubectlLikeCommands);
}
