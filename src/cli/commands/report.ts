import { Argument, Command } from 'commander';
import { rebuildReport } from '../../api/bench.js';
import { homeOption, type CliContext } from '../context.js';

/** `report RUN`: rebuilds a run's self-contained report.html from its run.json. */
export function reportCommand(ctx: CliContext): Command {
  return new Command('report')
    .description("rebuild a run's report.html from its run.json")
    .addArgument(new Argument('<run>', 'run id (see cncfdemo runs) or the path of a run directory'))
    .action(async (run: string) => {
      const path = await rebuildReport(run, { env: ctx.io.env, ...homeOption(ctx) });
      ctx.io.stdout.write(`${path}\n`);
    });
}
