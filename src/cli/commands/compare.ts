import { writeFile } from 'node:fs/promises';
import { Argument, Command } from 'commander';
import { loadRuns } from '../../api/bench.js';
import { UserError } from '../../errors/index.js';
import { comparisonHtml, comparisonText } from '../../report/compare.js';
import type { CliContext } from '../context.js';

/** `compare RUN_A RUN_B...`: runs side by side, as text or (--html FILE) a page. */
export function compareCommand(ctx: CliContext): Command {
  return new Command('compare')
    .description('compare runs side by side')
    .addArgument(new Argument('<runs...>', 'two or more run ids or run directories'))
    .option('--html <file>', 'also write the comparison as an HTML page')
    .action(async (runs: string[], flags: { html?: string }) => {
      if (runs.length < 2)
        throw new UserError('compare needs at least two runs', 'list runs with: cncfdemo runs');
      const home = ctx.globals().home;
      const records = await loadRuns(runs, { env: ctx.io.env, ...(home ? { home } : {}) });
      ctx.io.stdout.write(comparisonText(records));
      if (flags.html) {
        await writeFile(flags.html, comparisonHtml(records));
        ctx.io.stderr.write(`comparison written to ${flags.html}\n`);
      }
    });
}
