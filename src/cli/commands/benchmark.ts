import { Command, Option } from 'commander';
import { parseDuration, runBenchmark } from '../../api/bench.js';
import { EventStream } from '../../events/index.js';
import type { CliContext } from '../context.js';
import { integerOption } from '../options.js';
import { printEvents } from '../ui/event-log.js';
import { numberOption } from './bench-options.js';

interface BenchmarkFlags {
  time: string;
  saveHtml?: boolean;
  localTarget?: string | true;
  rate?: number;
  threads: number;
  connections: number;
  pricePerNodeHour?: number;
  cluster?: string;
  kubeconfig?: string;
  prometheusUrl?: string;
}

/** `benchmark`: HTTP load and control-plane measurements -> a run record (and report.html). */
export function benchmarkCommand(ctx: CliContext): Command {
  return new Command('benchmark')
    .description('measure the stack (HTTP load, pod startup, API latency, cost) and record the run')
    .option('--time <duration>', 'how long the load runs (e.g. 30s, 5m)', '5m')
    .option('--save-html', 'also write a self-contained report.html')
    .addOption(
      new Option(
        '--local-target [url]',
        'benchmark an HTTP URL from this machine (no URL: a built-in Countly-like server)',
      ),
    )
    .option(
      '--rate <requests/s>',
      'open model: a constant request rate (k6) instead of closed-loop wrk',
      numberOption,
    )
    .option('--threads <n>', 'wrk threads', integerOption, 2)
    .option('--connections <n>', 'wrk connections (all threads)', integerOption, 16)
    .option('--price-per-node-hour <price>', 'override the price table (data/prices.yaml)', numberOption)
    .option('--cluster <name>', 'cluster to benchmark (default: the current kubectl context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option(
      '--prometheus-url <url>',
      "the cluster's Prometheus as reachable from here (HTTP load on real nodes)",
    )
    .action(async (flags: BenchmarkFlags) => {
      const events = new EventStream();
      const stop = printEvents(events, ctx.io.stderr);
      try {
        const home = ctx.globals().home;
        const outcome = await runBenchmark({
          durationSeconds: parseDuration(flags.time),
          threads: flags.threads,
          connections: flags.connections,
          ...(flags.rate === undefined ? {} : { rate: flags.rate }),
          ...(flags.localTarget === undefined ? {} : { localTarget: flags.localTarget }),
          ...(flags.pricePerNodeHour === undefined ? {} : { pricePerNodeHour: flags.pricePerNodeHour }),
          ...(flags.cluster ? { cluster: flags.cluster } : {}),
          ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
          ...(flags.prometheusUrl ? { prometheusUrl: flags.prometheusUrl } : {}),
          saveHtml: flags.saveHtml === true,
          env: ctx.io.env,
          events,
          logger: ctx.logger,
          ...(home ? { home } : {}),
        });
        const http = outcome.record.results.http;
        if (outcome.record.results.httpSkipped)
          ctx.io.stderr.write(`HTTP load skipped: ${outcome.record.results.httpSkipped}\n`);
        if (http) {
          ctx.io.stderr.write(
            `${http.requests} requests, ${http.requestsPerSecond.toFixed(1)} req/s, p99 ${((http.latency.p99 ?? 0) * 1000).toFixed(2)} ms\n`,
          );
        }
        ctx.io.stderr.write(`run ${outcome.record.id} recorded in ${outcome.dir}\n`);
        ctx.io.stdout.write(`${outcome.html ?? outcome.runJson}\n`);
      } finally {
        stop();
      }
    });
}
