import { Argument, Command } from 'commander';
import { publishSite } from '../../api/publish.js';
import { homeOption, type CliContext } from '../context.js';

/** `publish DIR [RUN...]`: a static results site (index, reports, compare) of recorded benchmarks. */
export function publishCommand(ctx: CliContext): Command {
  return new Command('publish')
    .description('write a static site of benchmark runs: an index, each report and the compare page')
    .addArgument(new Argument('<dir>', 'where the site goes (new, empty, or an earlier publish)'))
    .addArgument(new Argument('[runs...]', 'run ids or run directories (default: every benchmark run)'))
    .action(async (dir: string, runs: string[]) => {
      const site = await publishSite(dir, { runs, env: ctx.io.env, ...homeOption(ctx) });
      ctx.io.stdout.write(`${site.dir}/index.html\n`);
      ctx.io.stderr.write(
        `published ${site.runs.length} run(s): ${site.files.length} pages${site.removed.length ? `, ${site.removed.length} removed` : ''}\n`,
      );
    });
}
