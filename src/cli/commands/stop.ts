import { Command } from 'commander';
import { stopStack } from '../../api/stack.js';
import { EventStream } from '../../events/index.js';
import type { CliContext } from '../context.js';
import { durationOption } from '../kube-flags.js';
import { printEvents } from '../ui/event-log.js';
import { addClusterFlags, clusterOptions } from './stack-flags.js';

interface StopFlags {
  kubeconfig?: string;
  context?: string;
  keepData?: boolean;
  timeout: number;
}

export function stopCommand(ctx: CliContext): Command {
  return addClusterFlags(new Command('stop'))
    .description(
      'delete everything cncfdemo deployed (label app.kubernetes.io/managed-by=cncfdemo) and wait until it is gone',
    )
    .option('--keep-data', "keep MongoDB's volume claims (and the namespace holding them)")
    .option('--timeout <duration>', 'give up waiting after this long', durationOption, 600_000)
    .action(async (flags: StopFlags) => {
      const events = new EventStream();
      const stop = printEvents(events, ctx.io.stderr);
      try {
        const result = await stopStack({
          ...clusterOptions(ctx, flags),
          keepData: flags.keepData === true,
          timeoutMs: flags.timeout,
          events,
          ...(ctx.globals().home ? { home: ctx.globals().home } : {}),
        });
        ctx.io.stderr.write(`deleted ${result.deleted} objects\n`);
        if (result.keptClaims.length > 0) {
          ctx.io.stderr.write(
            `kept ${result.keptClaims.length} volume claims (${result.keptClaims.join(', ')}) and namespace ${result.keptNamespaces.join(', ')}; \`cncfdemo stop\` without --keep-data deletes them\n`,
          );
        }
      } finally {
        stop();
      }
    });
}
