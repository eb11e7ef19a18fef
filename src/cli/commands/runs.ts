import { Command } from 'commander';
import { listRuns } from '../../api/bench.js';
import type { CliContext } from '../context.js';
import { table } from './cluster.js';

/** `runs`: lists recorded benchmark runs. */
export function runsCommand(ctx: CliContext): Command {
  return new Command('runs').description('list recorded benchmark runs').action(async () => {
    const home = ctx.globals().home;
    const runs = await listRuns({ env: ctx.io.env, ...(home ? { home } : {}) });
    if (runs.length === 0) {
      ctx.io.stderr.write('no runs yet; record one with: cncfdemo benchmark\n');
      return;
    }
    const rows = [['RUN', 'PROVIDER', 'NODES', 'START', 'REQUESTS', 'REQ/S', 'P99']];
    for (const r of runs) {
      const http = r.results.http;
      rows.push([
        r.id,
        r.Metadata.provider,
        `${r.Metadata.nodes.count}${r.Metadata.nodes.simulated ? ' (sim)' : ''}`,
        r.Metadata.start,
        http ? String(http.requests) : 'skipped',
        http ? http.requestsPerSecond.toFixed(1) : '-',
        http?.latency.p99 != null ? `${(http.latency.p99 * 1000).toFixed(2)}ms` : '-',
      ]);
    }
    ctx.io.stdout.write(table(rows));
  });
}
