import { hostname } from 'node:os';
import { tracked, type EventStream } from '../events/index.js';
import { noopLogger, type Logger } from '../log/logger.js';
import { startLiveHttpSamples } from './live-http.js';
import { queryHttpResults, waitForFinalScrape } from './http-results.js';
import { runK6 } from './k6/run.js';
import { startLocalMonitoring, type LocalMonitoring, type MonitoringEndpoints } from './local/monitoring.js';
import { startLocalTarget, type LocalTarget } from './local/target.js';
import { PrometheusClient } from './prometheus.js';
import { deleteGroup, pushMetrics, type GroupingKey } from './pushgateway.js';
import { runWrk } from './wrk/run.js';
import type { HttpResults } from '../model/run-record.js';

export interface LocalLoadOptions {
  runId: string;
  /** Where to send load; omitted: a built-in Countly-like `/i` server on 127.0.0.1. */
  targetUrl?: string;
  durationSeconds: number;
  threads: number;
  connections: number;
  /** Open model: requests per second (k6 constant arrival rate) instead of wrk's closed loop. */
  rate?: number;
  /** Reuse a running Pushgateway + Prometheus instead of starting a private pair. */
  monitoring?: MonitoringEndpoints;
  events?: EventStream;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface LocalLoadResult {
  http: HttpResults;
  /** What the load generator printed. */
  generatorOutput: string;
  startedAt: Date;
  endedAt: Date;
}

/** The value of an unlabelled sample in Prometheus text, e.g. the pushed request total. */
export function sampleValue(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * The HTTP pipeline outside the cluster: wrk (or k6 with --rate) runs the Countly script against a URL,
 * pushes to a Pushgateway scraped by Prometheus, and the results are read back with PromQL.
 */
export async function runLocalLoad(options: LocalLoadOptions): Promise<LocalLoadResult> {
  const { events } = options;
  const logger = options.logger ?? noopLogger;
  let ownMonitoring: LocalMonitoring | undefined;
  let ownTarget: LocalTarget | undefined;
  try {
    const monitoring =
      options.monitoring ??
      (ownMonitoring = await tracked(
        events,
        'bench',
        'monitoring',
        'Starting Prometheus and Pushgateway',
        () => startLocalMonitoring({ ...(options.env ? { env: options.env } : {}) }),
      ));
    const targetUrl =
      options.targetUrl ??
      (ownTarget = await tracked(events, 'bench', 'target', 'Starting the local Countly-like target', () =>
        startLocalTarget(),
      )).url;

    const generator = options.rate === undefined ? 'wrk' : 'k6';
    const key: GroupingKey = {
      job: 'cncfdemo-loadgen',
      run: options.runId,
      instance: `${hostname()}-local`,
      generator,
    };
    let pushes: Promise<void> = Promise.resolve();
    const onProgress = (sent: number, answeredOk?: number): void => {
      pushes = pushes
        .then(() => pushMetrics(monitoring.pushgatewayUrl, key, progressText(sent, answeredOk)))
        .catch((err: unknown) => {
          logger.debug(`progress push failed: ${String(err)}`);
        });
    };
    const title =
      generator === 'wrk'
        ? `wrk: ${options.threads} threads, ${options.connections} connections, ${options.durationSeconds}s against ${targetUrl}`
        : `k6: ${options.rate ?? 0} requests/s for ${options.durationSeconds}s against ${targetUrl}`;
    const prom = new PrometheusClient(monitoring.prometheusUrl);
    const live = events
      ? startLiveHttpSamples(
          prom,
          options.runId,
          monitoring.scrapeIntervalSeconds,
          (sample) => {
            events.sample(sample);
          },
          logger,
        )
      : undefined;
    const run = await tracked(
      events,
      'bench',
      'load',
      title,
      async () => {
        await pushMetrics(
          monitoring.pushgatewayUrl,
          key,
          progressText(0, generator === 'wrk' ? 0 : undefined),
        );
        const r =
          generator === 'wrk'
            ? await runWrk({
                ...options,
                url: targetUrl,
                onProgress,
                ...(options.env ? { env: options.env } : {}),
              })
            : await runK6({
                url: targetUrl,
                rate: options.rate ?? 0,
                durationSeconds: options.durationSeconds,
                onProgress,
                ...(options.env ? { env: options.env } : {}),
              });
        await pushes;
        await pushMetrics(monitoring.pushgatewayUrl, key, r.metrics);
        return r;
      },
      { output: (r) => r.output },
    ).finally(() => live?.stop());
    const http = await tracked(events, 'bench', 'results', 'Reading results from Prometheus', async () => {
      const requests = sampleValue(run.metrics, 'cncfdemo_http_requests_total');
      await waitForFinalScrape(prom, options.runId, {
        generators: 1,
        ...(requests === undefined ? {} : { requests }),
      });
      return queryHttpResults(prom, {
        runId: options.runId,
        generator,
        model: generator === 'wrk' ? 'closed' : 'open',
        target: targetUrl,
        start: run.startedAt,
        end: run.endedAt,
        scrapeIntervalSeconds: monitoring.scrapeIntervalSeconds,
      });
    });
    if (!ownMonitoring) await deleteGroup(monitoring.pushgatewayUrl, key).catch(() => undefined);
    return { http, generatorOutput: run.output, startedAt: run.startedAt, endedAt: run.endedAt };
  } finally {
    await ownTarget?.close();
    await ownMonitoring?.stop();
  }
}

/** Must match the HELP texts of the generator scripts: the Pushgateway rejects a family with two HELP texts. */
const SENT_HELP = 'Requests sent (sampled about once a second while running).';
const OK_HELP = 'Requests answered with a status below 400 (sampled about once a second while running).';

function progressText(sent: number, answeredOk?: number): string {
  return [
    `# HELP cncfdemo_http_sent_requests_total ${SENT_HELP}`,
    '# TYPE cncfdemo_http_sent_requests_total counter',
    `cncfdemo_http_sent_requests_total ${sent}`,
    ...(answeredOk === undefined
      ? []
      : [
          `# HELP cncfdemo_http_answered_ok_requests_total ${OK_HELP}`,
          '# TYPE cncfdemo_http_answered_ok_requests_total counter',
          `cncfdemo_http_answered_ok_requests_total ${answeredOk}`,
        ]),
    '',
  ].join('\n');
}
