import type { PrometheusClient } from '../prometheus.js';
import { sloVerdicts, type SloObjective } from './slos.js';
import {
  cell,
  defineMeasurement,
  type Compatibility,
  type Measurement,
  type MeasurementContext,
} from './types.js';
import type { MeasurementResult, MeasurementRow } from '../../model/run-record.js';

/**
 * API request latency from the apiserver's own histogram apiserver_request_duration_seconds, as the
 * Kubernetes scalability SLOs define it: buckets summed over the run window (increase), long-running verbs
 * (WATCH, CONNECT) left out, and so are the aggregated metrics APIs (*metrics.k8s.io), which the SLOs do not
 * cover and which the benchmark's own sampler reads; p50/p90/p99 by histogram_quantile. One row per class
 * of the SLOs, whose thresholds (p99 over the window) are in data/slos.yaml: mutating (POST, PUT, PATCH,
 * DELETE) at resource scope, and read (GET, LIST) at resource, namespace and cluster scope.
 */
export interface ApiLatencyClass {
  label: string;
  verbs: string;
  scope: 'resource' | 'namespace' | 'cluster';
}

export const API_LATENCY_CLASSES: readonly ApiLatencyClass[] = [
  { label: 'mutating, resource scope', verbs: 'POST|PUT|PATCH|DELETE', scope: 'resource' },
  { label: 'read, resource scope', verbs: 'GET|LIST', scope: 'resource' },
  { label: 'read, namespace scope', verbs: 'GET|LIST', scope: 'namespace' },
  { label: 'read, cluster scope', verbs: 'GET|LIST', scope: 'cluster' },
];

const selectorOf = (c: ApiLatencyClass): string =>
  `verb=~"${c.verbs}",scope="${c.scope}",group!~".*metrics\\\\.k8s\\\\.io"`;

/**
 * How much `sum by (le)` of a counter grew from the run's start to the evaluation time (its end): the value
 * now minus the value `@` the start, a series the start had not seen counting from zero. Not increase()
 * over a range: that takes a series born inside the range (the first POST of pods on a new cluster, say) as
 * its own baseline and misses all of it, and its range would need the scrape interval to fit the run.
 */
function grownSinceStart(series: string, by: string, start: Date): string {
  const at = (start.getTime() / 1000).toFixed(3);
  const now = `sum${by}(${series})`;
  return `(${now} - (sum${by}(${series} @ ${at}) or ${now} * 0))`;
}

export function apiLatencyQuery(c: ApiLatencyClass, q: number, start: Date): string {
  const buckets = grownSinceStart(
    `apiserver_request_duration_seconds_bucket{${selectorOf(c)}}`,
    ' by (le) ',
    start,
  );
  return `histogram_quantile(${q}, ${buckets})`;
}

export function apiCountQuery(c: ApiLatencyClass, start: Date): string {
  return grownSinceStart(`apiserver_request_duration_seconds_count{${selectorOf(c)}}`, '', start);
}

export async function apiRequestLatencyResult(
  prom: PrometheusClient,
  start: Date,
  end: Date,
  objectives: readonly SloObjective[],
): Promise<MeasurementResult> {
  const rows: MeasurementRow[] = [];
  const finite = (v: number | undefined): number | null =>
    v === undefined || !Number.isFinite(v) ? null : v;
  for (const c of API_LATENCY_CLASSES) {
    const requests = finite(await prom.scalar(apiCountQuery(c, start), end));
    const values: Record<string, number | null> = { requests };
    for (const [key, q] of [
      ['p50', 0.5],
      ['p90', 0.9],
      ['p99', 0.99],
    ] as const) {
      values[key] = requests ? finite(await prom.scalar(apiLatencyQuery(c, q, start), end)) : null;
    }
    rows.push({ label: c.label, values });
  }
  const notes = [
    "apiserver_request_duration_seconds from the last scrape before the run's start to the last before its end (series new in the run counted from zero); WATCH/CONNECT and the metrics APIs (*metrics.k8s.io) excluded",
    "the benchmark's own reads are watches, metrics.k8s.io lists and Prometheus queries through the service proxy (CONNECT), all outside these classes (the histogram has no user-agent or user label to filter other clients' requests by)",
  ];
  if (rows.every((r) => !r.values.requests))
    notes.push('no apiserver metrics found in Prometheus: is the apiserver scraped?');
  return {
    name: 'apiRequestLatency',
    title: 'API request latency',
    unit: 'seconds',
    columns: ['p50', 'p90', 'p99', 'requests'],
    rows,
    slos: sloVerdicts(rows, objectives),
    notes,
  };
}

export class ApiRequestLatency implements Measurement {
  readonly name = 'apiRequestLatency';
  readonly title = 'API request latency';

  isCompatible(ctx: MeasurementContext): Compatibility {
    return ctx.prometheus
      ? { compatible: true }
      : {
          compatible: false,
          reason:
            'needs Prometheus scraping the apiserver: the API server is not on this machine and no in-cluster Prometheus connection was given',
        };
  }

  async start(): Promise<void> {
    // the window starts at ctx.start
  }

  async stop(): Promise<void> {
    // the window ends at ctx.end
  }

  async collect(ctx: MeasurementContext): Promise<MeasurementResult> {
    if (!ctx.prometheus) throw new Error('apiRequestLatency: no Prometheus');
    return apiRequestLatencyResult(
      ctx.prometheus,
      ctx.start,
      ctx.end ?? new Date(),
      ctx.slos[this.name] ?? [],
    );
  }
}

export const apiRequestLatency = defineMeasurement({
  name: 'apiRequestLatency',
  scope: 'prometheus',
  compare: API_LATENCY_CLASSES.filter((c) => c.scope === 'resource').map((c) => ({
    label: `${c.label} p99`,
    unit: 'seconds' as const,
    value: (r: MeasurementResult) => cell(r, c.label, 'p99'),
  })),
  create: () => new ApiRequestLatency(),
});
