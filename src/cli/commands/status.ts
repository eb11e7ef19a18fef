import { Command } from 'commander';
import { stackStatus } from '../../api/stack.js';
import { ExitError } from '../../errors/index.js';
import type { CliContext } from '../context.js';
import { clusterOptions } from '../kube-flags.js';
import { table } from './cluster.js';
import { addStackClusterFlags, addValuesFlags, type StackFlags, valuesOptions } from './stack-flags.js';

const STATES = { Ready: 'Ready', NotReady: 'Not ready', NotDeployed: '-', Disabled: 'Disabled' } as const;

export function statusCommand(ctx: CliContext): Command {
  return addValuesFlags(addStackClusterFlags(new Command('status')))
    .description('each component of the demo stack and whether it is Ready (exit 1 when one is not)')
    .action(async (flags: StackFlags) => {
      const components = await stackStatus({ ...clusterOptions(ctx, flags), ...valuesOptions(flags) });
      if (components.every((c) => c.state === 'NotDeployed')) {
        ctx.io.stderr.write('the demo stack is not deployed; deploy it with: cncfdemo start\n');
        throw new ExitError(1);
      }
      const rows = [['COMPONENT', 'STATUS', 'OBJECTS', 'DETAIL']];
      for (const c of components) rows.push([c.name, STATES[c.state], String(c.objects), c.detail]);
      ctx.io.stdout.write(table(rows));
      if (components.some((c) => c.state === 'NotReady')) throw new ExitError(1);
    });
}
