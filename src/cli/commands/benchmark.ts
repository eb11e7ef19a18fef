import { Command, Option } from 'commander';
import { BENCHMARK_DEFAULTS, runBenchmark } from '../../api/bench.js';
import { EventStream } from '../../events/index.js';
import { homeOption, type CliContext } from '../context.js';
import { addClusterFlags, clusterTarget, type ClusterFlags } from '../kube-flags.js';
import { durationFlag, integerOption, numberOption } from '../options.js';
import { printEvents } from '../ui/event-log.js';

interface BenchmarkFlags extends ClusterFlags {
  /** ms */
  time: number;
  saveHtml?: boolean;
  localTarget?: string | true;
  rate?: number;
  threads: number;
  connections: number;
  pricePerNodeHour?: number;
  prometheusUrl?: string;
  chaos?: string;
  chaosSeed?: number;
  slos?: string;
}

/** `benchmark`: HTTP load and control-plane measurements -> a run record (and report.html). */
export function benchmarkCommand(ctx: CliContext): Command {
  return addClusterFlags(new Command('benchmark'), { cluster: true })
    .description('measure the stack (HTTP load, pod startup, API latency, cost) and record the run')
    .addOption(
      durationFlag(
        '--time <duration>',
        'how long the load runs (e.g. 30s, 5m, 1h30m)',
        BENCHMARK_DEFAULTS.durationSeconds * 1000,
      ),
    )
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
    .option('--threads <n>', 'wrk threads', integerOption, BENCHMARK_DEFAULTS.threads)
    .option(
      '--connections <n>',
      'wrk connections (all threads)',
      integerOption,
      BENCHMARK_DEFAULTS.connections,
    )
    .option('--price-per-node-hour <price>', 'override the price table (data/prices.yaml)', numberOption)
    .option('--slos <file>', 'SLO thresholds replacing those of data/slos.yaml, per measurement')
    .option(
      '--prometheus-url <url>',
      "the cluster's Prometheus as reachable from here (HTTP load on real nodes)",
    )
    .option(
      '--chaos <action>',
      'pod-kill[:INTERVAL]: kill one Countly API pod every INTERVAL (default 30s) during the run',
    )
    .option(
      '--chaos-seed <n>',
      "seed of the victims' choice (default: random; run.json records it)",
      integerOption,
    )
    .action(async (flags: BenchmarkFlags) => {
      const events = new EventStream();
      const stop = printEvents(events, ctx.io.stderr);
      try {
        const { kubeconfig, context } = clusterTarget(flags);
        const outcome = await runBenchmark({
          durationSeconds: flags.time / 1000,
          threads: flags.threads,
          connections: flags.connections,
          ...(flags.rate === undefined ? {} : { rate: flags.rate }),
          ...(flags.localTarget === undefined ? {} : { localTarget: flags.localTarget }),
          ...(flags.pricePerNodeHour === undefined ? {} : { pricePerNodeHour: flags.pricePerNodeHour }),
          // --cluster NAME goes as the name, which the run record keeps; --context as the context
          ...(flags.cluster ? { cluster: flags.cluster } : context ? { context } : {}),
          ...(kubeconfig ? { kubeconfig } : {}),
          ...(flags.prometheusUrl ? { prometheusUrl: flags.prometheusUrl } : {}),
          saveHtml: flags.saveHtml === true,
          ...(flags.chaos === undefined ? {} : { chaos: flags.chaos }),
          ...(flags.chaosSeed === undefined ? {} : { chaosSeed: flags.chaosSeed }),
          ...(flags.slos === undefined ? {} : { slos: flags.slos }),
          env: ctx.io.env,
          events,
          logger: ctx.logger,
          ...homeOption(ctx),
        });
        const http = outcome.record.results.http;
        if (outcome.record.results.httpSkipped)
          ctx.io.stderr.write(`HTTP load skipped: ${outcome.record.results.httpSkipped}\n`);
        if (http) {
          ctx.io.stderr.write(
            `${http.requests} requests, ${http.requestsPerSecond.toFixed(1)} req/s, p99 ${((http.latency.p99 ?? 0) * 1000).toFixed(2)} ms\n`,
          );
        }
        const chaos = outcome.record.results.chaos;
        if (chaos) {
          const recovered = chaos.kills.filter((k) => k.recoverySeconds !== null);
          const worst = Math.max(0, ...recovered.map((k) => k.recoverySeconds ?? 0));
          ctx.io.stderr.write(
            `chaos: ${chaos.kills.length} pods killed (seed ${chaos.seed}), ${recovered.length} recovered, slowest in ${worst.toFixed(1)} s\n`,
          );
        }
        if (http?.crossCheck && !http.crossCheck.agree)
          ctx.io.stderr.write(
            `warning: the results disagree with the load generators' logs: ${http.crossCheck.problems.join('; ')}\n`,
          );
        ctx.io.stderr.write(`run ${outcome.record.id} recorded in ${outcome.dir}\n`);
        ctx.io.stdout.write(`${outcome.html ?? outcome.runJson}\n`);
      } finally {
        stop();
      }
    });
}
