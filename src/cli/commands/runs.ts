import { Command } from 'commander';
import { listRunSummaries } from '../../api/web.js';
import { homeOption, type CliContext } from '../context.js';
import { table } from './cluster.js';

/** `runs`: every recorded run (start, stop, benchmark, cluster operations), newest first. */
export function runsCommand(ctx: CliContext): Command {
  return new Command('runs')
    .description(
      'list recorded runs (start, stop, benchmark, cluster create/start/stop/delete), newest first',
    )
    .option('--command <name>', 'only runs of this command (start, stop, benchmark, cluster-create, ...)')
    .action(async (flags: { command?: string }) => {
      const runs = await listRunSummaries({
        env: ctx.io.env,
        ...homeOption(ctx),
        ...(flags.command === undefined ? {} : { command: flags.command }),
      });
      if (runs.length === 0) {
        ctx.io.stderr.write(
          flags.command === undefined
            ? 'no runs yet; record one with: cncfdemo start, or cncfdemo benchmark\n'
            : `no ${flags.command} runs\n`,
        );
        return;
      }
      const rows = [['RUN', 'COMMAND', 'STATE', 'STARTED', 'DURATION', 'RESULT']];
      for (const r of runs) {
        const ms = r.started && r.ended ? Date.parse(r.ended) - Date.parse(r.started) : undefined;
        rows.push([
          r.id,
          r.command,
          r.state,
          r.started ?? '-',
          ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`,
          r.headline ?? (r.phases > 0 ? `${r.phases} phases, ${r.failedPhases} failed` : '-'),
        ]);
      }
      ctx.io.stdout.write(table(rows));
    });
}
