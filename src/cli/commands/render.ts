import { Command } from 'commander';
import { renderStack } from '../../api/stack.js';
import type { CliContext } from '../context.js';
import { addValuesFlags, type StackFlags, valuesOptions } from './stack-flags.js';

export function renderCommand(ctx: CliContext): Command {
  return addValuesFlags(new Command('render'))
    .description(
      'print every object of the demo stack as YAML, without a cluster (for GitOps); secrets are left out',
    )
    .action(async (flags: StackFlags) => {
      ctx.io.stdout.write((await renderStack(valuesOptions(flags))).yaml);
    });
}
