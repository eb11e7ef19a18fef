import { Command } from 'commander';
import { DEFAULT_STOP_TIMEOUT_MS, stopStack } from '../../api/stack.js';
import { EventStream } from '../../events/index.js';
import { homeOption, type CliContext } from '../context.js';
import { clusterOptions, type ClusterFlags } from '../kube-flags.js';
import { durationFlag, timeoutOption } from '../options.js';
import { printEvents } from '../ui/event-log.js';
import { addStackClusterFlags } from './stack-flags.js';

interface StopFlags extends ClusterFlags {
  keepData?: boolean;
  timeout: number;
}

export function stopCommand(ctx: CliContext): Command {
  return addStackClusterFlags(new Command('stop'))
    .description(
      'delete everything cncfdemo deployed (label app.kubernetes.io/managed-by=cncfdemo) and wait until it is gone',
    )
    .option('--keep-data', "keep MongoDB's volume claims (and the namespace holding them)")
    .addOption(
      durationFlag(
        '--timeout <duration>',
        'give up waiting after this long',
        DEFAULT_STOP_TIMEOUT_MS,
        timeoutOption,
      ),
    )
    .action(async (flags: StopFlags) => {
      const events = new EventStream();
      const stop = printEvents(events, ctx.io.stderr);
      try {
        const result = await stopStack({
          ...clusterOptions(ctx, flags),
          keepData: flags.keepData === true,
          timeoutMs: flags.timeout,
          events,
          ...homeOption(ctx),
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
