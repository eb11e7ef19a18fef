/**
 * The bundle's entry (bin/cncfdemo): `cncfdemo --version` alone is answered before the CLI and its
 * argument parser load (they are most of its start-up); every other run is main.ts.
 */
import { cncfdemoVersion } from '../config/identity.js';
import type { CliIO } from './context.js';

export async function main(argv: readonly string[], io?: CliIO): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    (io?.stdout ?? process.stdout).write(`${await cncfdemoVersion()}\n`);
    return 0;
  }
  const cli = await import('./main.js');
  return cli.main(argv, io);
}
