import { Command } from 'commander';
import { serveWebUi } from '../../api/web.js';
import { homeOption, type CliContext } from '../context.js';
import { integerOption } from '../options.js';

/** `ui`: the web UI over recorded runs, until Ctrl-C. */
export function uiCommand(ctx: CliContext): Command {
  return new Command('ui')
    .description(
      "serve a web UI on 127.0.0.1: every run live (phases, a benchmark's charts), compare, clusters (Ctrl-C stops it)",
    )
    .option('--port <port>', 'port to listen on (0: any free port)', integerOption, 8484)
    .action(async (flags: { port: number }) => {
      const ui = await serveWebUi({ port: flags.port, env: ctx.io.env, ...homeOption(ctx) });
      ctx.io.stderr.write(`cncfdemo UI at ${ui.url} (Ctrl-C stops it)\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await ui.close();
    });
}
