import { Command, Argument } from 'commander';
import { bootstrapMetal } from '../../api/metal.js';
import { EventStream } from '../../events/index.js';
import { UsageError } from '../../errors/index.js';
import { homeOption, type CliContext } from '../context.js';
import { printEvents } from '../ui/event-log.js';
import { addCreateFlags, runCreate } from './cluster.js';

type BootstrapFlags = Parameters<typeof runCreate>[1] & { inventory?: string; out?: string };

/** `bootstrap [provider]`: the seed's entry point, the same as `cluster create --provider`. */
export function bootstrapCommand(ctx: CliContext): Command {
  return addCreateFlags(
    new Command('bootstrap')
      .description(
        'bring up a cluster (same as cluster create); metal: render NoCloud seeds for an inventory',
      )
      .addArgument(new Argument('[provider]', 'where the cluster runs').default('local')),
  )
    .option('--inventory <file>', 'metal: the MetalInventory file (cluster name, endpoint, hosts)')
    .option('--out <dir>', 'metal: where the seeds go (default: <home>/clusters/<name>/metal)')
    .action(async (provider: string, flags: BootstrapFlags) => {
      if (provider !== 'metal') {
        if (flags.inventory !== undefined || flags.out !== undefined) {
          throw new UsageError(
            '--inventory and --out are for bootstrap metal',
            'cncfdemo bootstrap metal --inventory hosts.yaml',
          );
        }
        await runCreate(ctx, flags, provider);
        return;
      }
      if (flags.inventory === undefined) {
        throw new UsageError(
          'bootstrap metal needs --inventory FILE',
          'see the Bare metal section of README.md',
        );
      }
      await runMetal(ctx, flags.inventory, flags.out);
    });
}

async function runMetal(ctx: CliContext, inventory: string, out: string | undefined): Promise<void> {
  const events = new EventStream();
  const stop = printEvents(events, ctx.io.stderr);
  try {
    const result = await bootstrapMetal({
      inventory,
      ...(out !== undefined ? { out } : {}),
      env: ctx.io.env,
      events,
      logger: ctx.logger,
      ...homeOption(ctx),
    });
    for (const h of result.hosts)
      ctx.io.stdout.write(`${h.name}\t${h.role}\t${h.address}\t${result.out}/${h.name}\n`);
    ctx.io.stderr.write(
      `cluster "${result.info.name}": a NoCloud seed per host in ${result.out} (API ${result.info.server}); ${result.info.pending ?? ''}\n`,
    );
  } finally {
    stop();
  }
}
