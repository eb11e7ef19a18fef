import { Command } from 'commander';
import { DEFAULT_START_TIMEOUT_MS, dryRunStack, startStack } from '../../api/stack.js';
import { UserError } from '../../errors/index.js';
import { EventStream } from '../../events/index.js';
import { homeOption, type CliContext } from '../context.js';
import { clusterOptions } from '../kube-flags.js';
import { durationFlag, timeoutOption } from '../options.js';
import { showStackProgress } from '../ui/stack-progress.js';
import { formatTimeline } from '../ui/stack-timeline.js';
import {
  addBoincKeyFlags,
  addStackClusterFlags,
  addValuesFlags,
  boincKey,
  type StackFlags,
  valuesOptions,
} from './stack-flags.js';

interface StartFlags extends StackFlags {
  dryRun?: boolean;
  timeout: number;
}

export function startCommand(ctx: CliContext): Command {
  const command = new Command('start').description(
    'deploy the demo stack (monitoring, sharded MongoDB, Countly, BOINC) in dependency order; re-running converges',
  );
  addBoincKeyFlags(addValuesFlags(addStackClusterFlags(command)))
    .option('--dry-run', 'print the objects that would be applied (YAML) and apply nothing')
    .addOption(
      durationFlag(
        '--timeout <duration>',
        'give up when the stack is not Ready by then',
        DEFAULT_START_TIMEOUT_MS,
        timeoutOption,
      ),
    )
    .action(async (flags: StartFlags) => {
      const key = boincKey(ctx, flags);
      const options = {
        ...clusterOptions(ctx, flags),
        ...valuesOptions(flags),
        ...(key ? { boincAccountKey: key } : {}),
      };
      if (flags.dryRun) {
        ctx.io.stdout.write((await dryRunStack(options)).yaml);
        return;
      }
      const events = new EventStream();
      const stop = showStackProgress(events, ctx.io.stderr);
      const interrupt = new AbortController();
      const onSignal = (): void => {
        interrupt.abort(
          new UserError(
            'interrupted',
            'run `cncfdemo start` again: it continues where this run stopped',
            130,
          ),
        );
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const result = await startStack({
          ...options,
          events,
          timeoutMs: flags.timeout,
          signal: interrupt.signal,
          ...homeOption(ctx),
        });
        stop();
        ctx.io.stderr.write(
          `stack ready in ${(result.totalMs / 1000).toFixed(1)}s (run ${result.runId}; events in ${result.eventsFile})\n${formatTimeline(result)}` +
            `Next: cncfdemo status${result.plan.leftOut.some((c) => c.name === 'grafana') ? '' : ', cncfdemo grafana'}, cncfdemo benchmark${result.plan.boinc.attached || !result.plan.boinc.enabled ? '' : '; BOINC runs unattached (pass --boinc-key-env VAR to attach it)'}\n`,
        );
      } finally {
        stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
  return command;
}
