import { Command } from 'commander';
import { grafanaAccess } from '../../api/stack.js';
import type { CliContext } from '../context.js';
import { clusterOptions } from '../kube-flags.js';
import { addStackClusterFlags, addValuesFlags, type StackFlags, valuesOptions } from './stack-flags.js';

export function grafanaCommand(ctx: CliContext): Command {
  return addValuesFlags(addStackClusterFlags(new Command('grafana')))
    .description('where Grafana is and how to read its admin password (the password is not printed)')
    .action(async (flags: StackFlags) => {
      const access = await grafanaAccess({ ...clusterOptions(ctx, flags), ...valuesOptions(flags) });
      const lines = [
        ...(access.portForward
          ? [`# Grafana is only reachable inside the cluster; first run:`, access.portForward]
          : []),
        `url: ${access.url}`,
        `user: ${access.user}`,
        `password: ${access.passwordCommand}`,
      ];
      ctx.io.stdout.write(`${lines.join('\n')}\n`);
    });
}
