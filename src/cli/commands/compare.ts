import { writeFile } from 'node:fs/promises';
import { Argument, Command } from 'commander';
import { compareRuns } from '../../api/compare.js';
import { homeOption, type CliContext } from '../context.js';

/** `compare RUN_A RUN_B...`: runs side by side, as text or (--html FILE) a page. */
export function compareCommand(ctx: CliContext): Command {
  return new Command('compare')
    .description('compare runs side by side')
    .addArgument(new Argument('<runs...>', 'two or more run ids or run directories'))
    .option('--html <file>', 'also write the comparison as an HTML page')
    .action(async (runs: string[], flags: { html?: string }) => {
      const comparison = await compareRuns(runs, { env: ctx.io.env, ...homeOption(ctx) });
      ctx.io.stdout.write(comparison.text);
      if (flags.html) {
        await writeFile(flags.html, comparison.html);
        ctx.io.stderr.write(`comparison written to ${flags.html}\n`);
      }
    });
}
