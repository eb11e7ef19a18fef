import { PrometheusClient, promString } from './prometheus.js';
import { ERROR_KINDS, type ErrorKind, type HttpResults } from '../model/run-record.js';

export const CURVE_QUANTILES = [0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999] as const;

/** Label matchers selecting one run's series. */
export function runSelector(runId: string): string {
  return `run=${promString(runId)}`;
}

export interface HttpQueryOptions {
  runId: string;
  generator: HttpResults['generator'];
  model: HttpResults['model'];
  target: string;
  start: Date;
  end: Date;
  /** Prometheus' scrape interval; sets the resolution of throughput over time. */
  scrapeIntervalSeconds: number;
  /** When to evaluate the totals: after the final scrape (default: now). */
  at?: Date;
}

/** The rate() window over time: four scrapes (and at least 4 s), so a missed scrape leaves no gap. */
export const rateWindowSeconds = (scrapeIntervalSeconds: number): number =>
  Math.max(4 * Math.max(1, scrapeIntervalSeconds), 4);

/** Requests per second sent by every generator of the run. */
export const throughputExpr = (runId: string, windowSeconds: number): string =>
  `sum(rate(cncfdemo_http_sent_requests_total{${runSelector(runId)}}[${windowSeconds}s]))`;

/** Requests per second sent and not answered below 400 (errors, timeouts, error statuses). */
export const failuresExpr = (runId: string, windowSeconds: number): string => {
  const sel = runSelector(runId);
  return `clamp_min(sum(rate(cncfdemo_http_sent_requests_total{${sel}}[${windowSeconds}s])) - sum(rate(cncfdemo_http_answered_ok_requests_total{${sel}}[${windowSeconds}s])), 0)`;
};

/** Builds the HTTP results of a run from Prometheus. Quantiles merge buckets across pods, never percentiles. */
export async function queryHttpResults(
  prom: PrometheusClient,
  options: HttpQueryOptions,
): Promise<HttpResults> {
  const sel = runSelector(options.runId);
  const at = options.at ?? new Date();
  const value = async (expr: string): Promise<number | null> => {
    const v = await prom.scalar(expr, at);
    return v === undefined || Number.isNaN(v) ? null : v;
  };
  const quantile = (q: number): Promise<number | null> =>
    value(`histogram_quantile(${q}, sum by (le) (cncfdemo_http_request_duration_seconds_bucket{${sel}}))`);

  const errors = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
  for (const s of await prom.query(`sum by (kind) (cncfdemo_http_errors_total{${sel}})`, at)) {
    const kind = s.labels.kind as ErrorKind | undefined;
    if (kind && kind in errors) errors[kind] = s.value;
  }
  const curve: { quantile: number; seconds: number }[] = [];
  for (const q of CURVE_QUANTILES) {
    const v = await quantile(q);
    if (v !== null) curve.push({ quantile: q, seconds: v });
  }
  const step = Math.max(1, options.scrapeIntervalSeconds);
  const window = rateWindowSeconds(step);
  const rangeEnd = new Date(options.end.getTime() + 2 * step * 1000);
  const series = await prom.queryRange(throughputExpr(options.runId, window), options.start, rangeEnd, step);
  const failures = await prom.queryRange(failuresExpr(options.runId, window), options.start, rangeEnd, step);
  return {
    generator: options.generator,
    model: options.model,
    target: options.target,
    generators: (await value(`count(cncfdemo_http_requests_total{${sel}})`)) ?? 0,
    requests: (await value(`sum(cncfdemo_http_requests_total{${sel}})`)) ?? 0,
    // Each generator's requests over its own measured duration, summed: wrk's Requests/sec across pods.
    requestsPerSecond:
      (await value(
        `sum(cncfdemo_http_requests_total{${sel}} / cncfdemo_http_load_duration_seconds{${sel}})`,
      )) ?? 0,
    bytes: (await value(`sum(cncfdemo_http_read_bytes_total{${sel}})`)) ?? 0,
    errors,
    latency: {
      p50: await quantile(0.5),
      p90: await quantile(0.9),
      p99: await quantile(0.99),
      p999: await quantile(0.999),
      max: await value(`max(cncfdemo_http_latency_max_seconds{${sel}})`),
    },
    latencyCurve: curve,
    throughput: (series[0]?.points ?? []).map(([t, v]) => ({ t, v })),
    failures: (failures[0]?.points ?? []).map(([t, v]) => ({ t, v })),
  };
}

/**
 * Waits until Prometheus has scraped the final push of every generator: `generators` series whose request
 * totals sum to `expectedRequests` when known. Polls with backoff; no fixed sleep.
 */
export async function waitForFinalScrape(
  prom: PrometheusClient,
  runId: string,
  expected: { generators: number; requests?: number },
  timeoutMs = 60_000,
): Promise<void> {
  const sel = runSelector(runId);
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  let seen = '';
  while (Date.now() < deadline) {
    const samples = await prom.query(`cncfdemo_http_requests_total{${sel}}`);
    const total = samples.reduce((sum, s) => sum + s.value, 0);
    seen = `${samples.length} generator(s), ${total} requests`;
    if (
      samples.length >= expected.generators &&
      (expected.requests === undefined || total === expected.requests)
    )
      return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
  throw new Error(`Prometheus did not show the final results of run ${runId} in time (saw ${seen})`);
}
