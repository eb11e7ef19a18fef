import { Command, Argument } from 'commander';
import type { CliContext } from '../context.js';
import { addCreateFlags, runCreate } from './cluster.js';

/** `bootstrap [provider]`: the seed's entry point, the same as `cluster create --provider`. */
export function bootstrapCommand(ctx: CliContext): Command {
  return addCreateFlags(
    new Command('bootstrap')
      .description('bring up a cluster (same as cluster create)')
      .addArgument(new Argument('[provider]', 'where the cluster runs').default('local')),
  ).action(async (provider: string, flags: Parameters<typeof runCreate>[1]) => {
    await runCreate(ctx, flags, provider);
  });
}
