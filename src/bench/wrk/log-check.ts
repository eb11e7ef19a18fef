import type { HttpResults, LogCrossCheck, QuantileCheck } from '../../model/run-record.js';
import { parseWrkSummary, type WrkSummary } from './summary.js';

/**
 * The line each load Job pod prints between wrk's summary and the exposition text it pushes
 * (manifests/bench/wrk-job.yaml.j2), so the run can be checked against each pod's own log.
 */
export const METRICS_LOG_MARKER = '--- cncfdemo: pushed metrics ---';

const BUCKET = 'cncfdemo_http_request_duration_seconds_bucket';

/** One load generator pod's log: wrk's own summary and the histogram buckets it pushed. */
export interface GeneratorLog {
  pod: string;
  summary: WrkSummary;
  /** Cumulative counts by upper bound (seconds), ascending, +Inf last. */
  buckets: [number, number][];
}

/**
 * Splits a pod's log at METRICS_LOG_MARKER and parses both halves. The exposition text is cncfdemo's own
 * (countly.lua writes it, one sample per line, no escapes in label values), so a line reader suffices.
 */
export function parseGeneratorLog(pod: string, text: string): GeneratorLog {
  const at = text.lastIndexOf(METRICS_LOG_MARKER);
  if (at < 0) throw new Error(`the log of ${pod} has no pushed metrics (no "${METRICS_LOG_MARKER}" line)`);
  const buckets: [number, number][] = [];
  for (const line of text.slice(at + METRICS_LOG_MARKER.length).split('\n')) {
    const match = /^(\w+)\{le="([^"]+)"\} (\S+)$/.exec(line.trim());
    if (!match || match[1] !== BUCKET) continue;
    buckets.push([match[2] === '+Inf' ? Infinity : Number(match[2]), Number(match[3])]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  return { pod, summary: parseWrkSummary(text.slice(0, at)), buckets };
}

/**
 * histogram_quantile as Prometheus computes it (promql/quantile.go bucketQuantile): the rank's bucket, then
 * linear interpolation inside it; the first bucket starts at 0; a rank in +Inf gives the last finite bound.
 */
export function histogramQuantile(q: number, buckets: readonly [number, number][]): number | null {
  const last = buckets.at(-1);
  // Without a +Inf bucket (a log cut short) there is no total to rank in: nothing to compare, as NaN in Prometheus.
  if (!last || last[0] !== Infinity || buckets.length < 2 || last[1] === 0) return null;
  const total = last[1];
  const rank = q * total;
  const b = buckets.findIndex(([, count]) => count >= rank);
  if (b === buckets.length - 1) return buckets[buckets.length - 2]?.[0] ?? null;
  const [end, count] = buckets[b] ?? [0, 0];
  const [start, below] = b === 0 ? [0, 0] : (buckets[b - 1] ?? [0, 0]);
  if (b === 0 && end <= 0) return end;
  return start + (end - start) * ((rank - below) / (count - below));
}

/** Cumulative buckets summed across generators, as `sum by (le)` does. */
export function mergeBuckets(logs: readonly GeneratorLog[]): [number, number][] {
  const sums = new Map<number, number>();
  for (const log of logs) for (const [le, count] of log.buckets) sums.set(le, (sums.get(le) ?? 0) + count);
  return [...sums].sort((a, b) => a[0] - b[0]);
}

export const CROSS_CHECK_METHOD =
  "each load generator pod's log (wrk's summary and the buckets it pushed) read through the API server after the Job completed: request totals must be equal; p50/p99 recomputed from the logged buckets the way histogram_quantile does must equal the recorded ones; each pod's printed p50/p99 must lie in the bucket of its own histogram quantile (bucket resolution, at most 12.5 %)";

function bucketAround(value: number | null, buckets: readonly [number, number][]): [number, number] | null {
  if (value === null) return null;
  const i = buckets.findIndex(([le]) => le >= value);
  if (i < 0) return null;
  return [i === 0 ? 0 : (buckets[i - 1]?.[0] ?? 0), buckets[i]?.[0] ?? Infinity];
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 + 1e-6 * Math.max(a, b);

/** Compares the run's HTTP results with the pods' logs (pure). */
export function crossCheckLogs(logs: readonly GeneratorLog[], http: HttpResults): LogCrossCheck {
  const problems: string[] = [];
  const generators = logs.map((log) => {
    const printed = {
      p50: log.summary.latencyPercentiles['50'] ?? null,
      p99: log.summary.latencyPercentiles['99'] ?? null,
    };
    const own = { p50: histogramQuantile(0.5, log.buckets), p99: histogramQuantile(0.99, log.buckets) };
    const buckets = { p50: bucketAround(own.p50, log.buckets), p99: bucketAround(own.p99, log.buckets) };
    for (const key of ['p50', 'p99'] as const) {
      const p = printed[key];
      const bucket = buckets[key];
      if (!p || !bucket) continue;
      if (p.value < bucket[0] - p.rounding || p.value > bucket[1] + p.rounding) {
        problems.push(
          `${log.pod}: wrk printed ${key} ${p.value}s, outside the bucket [${bucket[0]}, ${bucket[1]}]s of its histogram`,
        );
      }
    }
    return {
      pod: log.pod,
      requests: log.summary.requests,
      printed: { p50: printed.p50?.value ?? null, p99: printed.p99?.value ?? null },
      buckets,
    };
  });
  const requestsLogged = generators.reduce((sum, g) => sum + g.requests, 0);
  if (requestsLogged !== http.requests) {
    problems.push(`the pods' logs total ${requestsLogged} requests, the record ${http.requests}`);
  }
  if (logs.length !== http.generators) {
    problems.push(`${logs.length} pod logs read, ${http.generators} generators recorded`);
  }
  const merged = mergeBuckets(logs);
  const quantiles = ([0.5, 0.99] as const).map((quantile): QuantileCheck => {
    const fromLogs = histogramQuantile(quantile, merged);
    const recorded = quantile === 0.5 ? http.latency.p50 : http.latency.p99;
    const same = fromLogs === null || recorded === null ? fromLogs === recorded : close(fromLogs, recorded);
    if (!same) problems.push(`p${quantile * 100}: ${fromLogs}s from the logs, ${recorded}s recorded`);
    return { quantile, fromLogs, recorded };
  });
  return {
    method: CROSS_CHECK_METHOD,
    generators,
    requestsLogged,
    requestsRecorded: http.requests,
    quantiles,
    problems,
    agree: problems.length === 0,
  };
}
