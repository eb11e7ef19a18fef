import { connect, type KubeClient, type KubeObject } from '../kube/index.js';
import { tracked, type EventStream } from '../events/index.js';
import { noopLogger, type Logger } from '../log/logger.js';
import { contextName, RUN_LABEL } from '../config/identity.js';
import { MANAGED_BY, MANAGED_BY_VALUE, STACK_SELECTOR } from '../stack/labels.js';
import { kubePodSource, nodeSummaryFields, providerOf, summarizeNodes } from './cluster-source.js';
import { SAMPLER_METHOD, sampleClusterSeries } from './cluster-series.js';
import { PrometheusClient } from './prometheus.js';
import { killSample, startPodKill, type PodKillSpec } from './chaos/pod-kill.js';
import { assertLoadImages, countlyApiTarget, runInClusterLoad } from './in-cluster-load.js';
import { inClusterPrometheus } from './in-cluster-prometheus.js';
import { readStackRecord, type StackRecord } from '../stack/record.js';
import { readValuesSources, resolveValues } from '../stack/values.js';
import { loopbackApiserverScrape } from './apiserver-credentials.js';
import { apiserverScrapedWithin, startLocalMonitoring, type LocalMonitoring } from './local/monitoring.js';
import { measurementsIn } from './measurements/registry.js';
import { withMeasurements } from './measurements/run.js';
import type { SloTable } from './measurements/slos.js';
import type { MeasurementContext } from './measurements/types.js';
import {
  type BenchmarkOptionsRecord,
  type ChaosRecord,
  type NodeSummary,
  type RunResults,
  emptyResults,
} from '../model/run-record.js';

export interface ClusterBenchmarkInput {
  runId: string;
  options: BenchmarkOptionsRecord;
  env: NodeJS.ProcessEnv;
  events: EventStream;
  cluster?: string;
  /** A kubeconfig context instead of `cluster`. */
  context?: string;
  kubeconfig?: string;
  logger?: Logger;
  /**
   * The in-cluster Prometheus (e.g. through a port-forward or the apiserver's service proxy). HTTP load on
   * real nodes needs it to read the load generators' results back; without it, HTTP load is skipped.
   */
  prometheus?: PrometheusClient;
  /**
   * The URL of the cluster's own Prometheus scraping its API server, by the context benchmarked (a local
   * cluster's: `api/cluster.ts` clusterPrometheus). Used for the request latencies when it has scraped,
   * instead of a private one.
   */
  clusterPrometheus?: (context: string) => Promise<string | undefined>;
  /** Load generator pods for HTTP load on real nodes (default 2). */
  parallelism?: number;
  /** Kill Countly API pods during the run. */
  chaos?: PodKillSpec;
  /** The SLO thresholds the measurements check (registry.ts loadSloTable). */
  slos: SloTable;
}

export interface ClusterBenchmarkOutcome {
  metadata: {
    provider: string;
    cluster: string | null;
    kubernetesVersion: string | null;
    nodes: NodeSummary;
  };
  results: RunResults;
}

export { RUN_LABEL };
export const BENCH_NAMESPACE = 'cncfdemo-bench';

/** Pods started during the run to measure scheduling and startup: 10 per node, at most 200. */
export function burstSize(nodes: number): number {
  return Math.max(1, Math.min(200, nodes * 10));
}

/** The workload whose pods the control-plane measurements time: a Deployment of pause containers. */
export function burstObjects(runId: string, replicas: number): KubeObject[] {
  const labels = {
    [MANAGED_BY]: MANAGED_BY_VALUE,
    [RUN_LABEL]: runId,
    'app.kubernetes.io/name': 'bench-burst',
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: BENCH_NAMESPACE, labels: { [MANAGED_BY]: MANAGED_BY_VALUE } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      // Run ids carry upper-case T and Z; object names must be lower case.
      metadata: { name: `bench-burst-${runId.toLowerCase()}`, namespace: BENCH_NAMESPACE, labels },
      spec: {
        replicas,
        selector: { matchLabels: { [RUN_LABEL]: runId } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'pause',
                image: 'registry.k8s.io/pause:3.10',
                resources: {
                  requests: { cpu: '10m', memory: '16Mi' },
                  limits: { cpu: '10m', memory: '16Mi' },
                },
              },
            ],
            terminationGracePeriodSeconds: 0,
          },
        },
      },
    },
  ];
}

/**
 * The benchmark against a cluster. The control-plane measurements always run: a burst of pause pods is
 * created, timed to ready and removed, while pods by priority and the Countly API's replicas are sampled.
 * HTTP load needs pods that serve: on simulated (kwok) nodes it is skipped and the record says so.
 */
export async function runClusterBenchmark(input: ClusterBenchmarkInput): Promise<ClusterBenchmarkOutcome> {
  const logger = input.logger ?? noopLogger;
  const client = await connect({
    env: input.env,
    ...(input.kubeconfig ? { kubeconfig: input.kubeconfig } : {}),
    ...(input.context
      ? { context: input.context }
      : input.cluster
        ? { context: contextName(input.cluster) }
        : {}),
    logger,
  });
  let apiMonitoring: LocalMonitoring | undefined;
  // Whatever fails, the sampler stops (its timer would keep the process alive) and the burst goes.
  let seriesStarting: ReturnType<typeof sampleClusterSeries> | undefined;
  let seriesStopped = false;
  let burstLeft: KubeObject[] = [];
  try {
    // The sampler's first lists, the nodes, the stack's record and where the cluster's Prometheus is are
    // read side by side: each waits on the API server (a second or more each at 1,000 nodes). The window
    // starts once they are done, and then holds only the sampler's watches.
    seriesStarting = sampleClusterSeries(
      client,
      Math.max(1000, (input.options.durationSeconds * 1000) / 60),
      logger,
      (sample) => {
        input.events.sample(sample);
      },
    );
    // a failure is taken where it is awaited below (or in finally); not an unhandled rejection meanwhile
    seriesStarting.catch(() => undefined);
    const [{ nodes, version }, deployed, clusterPrometheusUrl] = await Promise.all([
      tracked(input.events, 'bench', 'cluster', 'Reading the cluster', async () => ({
        nodes: await client.listNodes({ transform: nodeSummaryFields }),
        version: (await client.serverVersion()).gitVersion,
      })),
      readStackRecord(client),
      input.prometheus ? undefined : input.clusterPrometheus?.(client.contextName),
    ]);
    const summary = summarizeNodes(nodes);
    const results: RunResults = {
      ...emptyResults(),
      seriesNotes: [SAMPLER_METHOD],
    };
    if (summary.simulated) {
      results.httpSkipped = `the cluster's ${summary.count} nodes are simulated (kwok): pods do not run containers, so nothing can serve HTTP; only the control plane was measured`;
      input.events.emit({ scope: 'bench', id: 'http', title: 'HTTP load', phase: 'start' });
      input.events.emit({
        scope: 'bench',
        id: 'http',
        title: 'HTTP load',
        phase: 'end',
        outcome: 'skipped',
        message: results.httpSkipped,
        durationMs: 0,
      });
    }
    const values = deployed?.values ?? resolveValues(await readValuesSources(), []);
    results.stack = stackSummary(deployed);
    // HTTP results come back through the stack's own Prometheus (the API server's service proxy), unless
    // the user brought one (--prometheus-url).
    const prometheus = summary.simulated
      ? undefined
      : (input.prometheus ?? (await inClusterPrometheus(client, values.namespaces.monitoring)));
    if (prometheus && deployed) assertLoadImages(input.options, values.loadgen);
    if (!summary.simulated && (!prometheus || !deployed)) {
      results.httpSkipped = deployed
        ? `the stack's Prometheus (service prometheus in ${values.namespaces.monitoring}) does not answer; the in-cluster load Jobs (manifests/bench/wrk-job.yaml.j2) were not started (check it with cncfdemo status, or give --prometheus-url)`
        : 'the demo stack is not deployed (no Countly API to load, no Prometheus to read results from): run cncfdemo start first';
    }

    // The API server's request latencies: from the cluster's own Prometheus when it has scraped it, else
    // from a private one on this machine (loopback only) when the API server is here, unless the user
    // brought a Prometheus of their own.
    let apiPrometheus = input.prometheus
      ? undefined
      : await clusterPrometheusScraping(clusterPrometheusUrl, input.events, logger);
    const scrape =
      input.prometheus || apiPrometheus
        ? undefined
        : await loopbackApiserverScrape({
            env: input.env,
            context: client.contextName,
            ...(input.kubeconfig ? { kubeconfig: input.kubeconfig } : {}),
          });
    if (scrape) {
      apiMonitoring = await tracked(
        input.events,
        'bench',
        'monitoring',
        'Starting Prometheus scraping the API server',
        () => startLocalMonitoring({ apiserver: scrape, env: input.env }),
      );
      apiPrometheus = new PrometheusClient(apiMonitoring.prometheusUrl);
    }
    const series = await seriesStarting;
    const start = new Date();
    const pods = kubePodSource(client);
    const burstCtx: MeasurementContext = {
      runId: input.runId,
      start,
      slos: input.slos,
      pods,
      namespace: BENCH_NAMESPACE,
      labelSelector: `${RUN_LABEL}=${input.runId}`,
    };
    const burst = burstObjects(input.runId, burstSize(summary.count));
    burstLeft = burst.slice(1);
    const deadline = start.getTime() + input.options.durationSeconds * 1000;
    const { outcome } = await withMeasurements(measurementsIn('burstPods'), burstCtx, async () => {
      await tracked(
        input.events,
        'bench',
        'burst',
        `Starting ${burstSize(summary.count)} pods and waiting until ready`,
        async () => {
          await namespaceNotTerminating(client, burst.slice(0, 1));
          await client.apply(burst);
          const remaining = Math.max(60_000, deadline - Date.now() + 60_000);
          await client.waitReady(burst.slice(1), { timeoutMs: remaining });
        },
      );
      if (prometheus && deployed) {
        const load = await runInClusterLoad({
          client,
          runId: input.runId,
          options: input.options,
          events: input.events,
          logger,
          prom: prometheus,
          namespaces: values.namespaces,
          images: values.loadgen,
          parallelism: input.parallelism ?? 2,
          ...(input.chaos ? { chaos: input.chaos } : {}),
        });
        results.http = load.http;
        results.chaos = load.chaos;
        return;
      }
      // No HTTP load: the window holds the control-plane measurements (and the chaos, which on simulated
      // nodes measures how fast the replica count comes back: no traffic is served).
      const chaos = input.chaos
        ? startPodKill(client, input.chaos, countlyApiTarget(values.namespaces.stack), {
            logger,
            onKill: (kill) => {
              input.events.sample(killSample(kill));
            },
          })
        : undefined;
      try {
        await tracked(input.events, 'bench', 'window', 'Holding the measurement window', async () => {
          const waitMs = deadline - Date.now();
          // The benchmark window is the user's --time: sampling continues until it ends.
          if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
        });
      } finally {
        const record: ChaosRecord | null = (await chaos?.stop()) ?? null;
        if (record) {
          record.notes.push(
            summary.simulated
              ? 'simulated nodes: only the recovery of the replica count was measured (no traffic is served, so there are no failed requests)'
              : 'no HTTP load ran: only the recovery of the replica count was measured',
          );
          results.chaos = record;
        }
      }
    });
    const stackCtx: MeasurementContext = {
      runId: input.runId,
      start,
      slos: input.slos,
      pods,
      labelSelector: STACK_SELECTOR,
    };
    const stack = await withMeasurements(measurementsIn('stackPods'), stackCtx, () => Promise.resolve());
    // Without a Prometheus scraping the apiserver, its measurements say why they are skipped; the stack's
    // (or the user's) scrapes it too.
    const latencyPrometheus = apiPrometheus ?? prometheus;
    const api = await withMeasurements(
      measurementsIn('prometheus'),
      {
        runId: input.runId,
        start,
        slos: input.slos,
        ...(latencyPrometheus ? { prometheus: latencyPrometheus } : {}),
      },
      () => Promise.resolve(),
    );
    // The run's window is over: its pods go in the background (200 pods on 1,000 nodes take seconds).
    await tracked(input.events, 'bench', 'cleanup', 'Removing the burst pods', async () => {
      await client.deleteObjects(burst.slice(1), { wait: false });
      // The namespace goes too, unless another run's burst is still in it (runs may overlap).
      const others = (await client.list('deployments', { namespace: BENCH_NAMESPACE })).filter(
        (d) => d.metadata.labels?.[RUN_LABEL] !== input.runId && !d.metadata.deletionTimestamp,
      );
      if (others.length === 0) await client.deleteObjects(burst.slice(0, 1), { wait: false });
    });
    burstLeft = [];
    seriesStopped = true;
    const { notes, ...sampled } = await series.stop();
    results.series = sampled;
    results.seriesNotes.push(...notes);
    for (const o of [outcome, stack.outcome, api.outcome]) {
      results.measurements.push(...o.results);
      results.measurementsSkipped.push(...o.skipped);
    }
    results.slos = results.measurements.flatMap((m) => m.slos);
    return {
      metadata: {
        provider: providerOf(nodes),
        cluster: input.cluster ?? client.contextName,
        kubernetesVersion: version,
        nodes: summary,
      },
      results,
    };
  } finally {
    if (!seriesStopped) await seriesStarting?.then((series) => series.stop()).catch(() => undefined);
    if (burstLeft.length > 0) await client.deleteObjects(burstLeft, { wait: false }).catch(() => undefined);
    client.close();
    await apiMonitoring?.stop();
  }
}

/** How long the namespace an earlier run left terminating may take to go. */
const TERMINATING_NAMESPACE_WAIT_MS = 120_000;

/**
 * Waits until the bench namespace is not being deleted: an earlier run deletes it without waiting, and
 * nothing can be created in it until it is gone (a benchmark run right after another).
 */
async function namespaceNotTerminating(client: KubeClient, namespace: readonly KubeObject[]): Promise<void> {
  const name = namespace[0]?.metadata.name;
  if (!name) return;
  const current = await client.get('namespaces', name);
  if (!current?.metadata.deletionTimestamp) return;
  await client.waitFor(namespace, { type: 'delete' }, { timeoutMs: TERMINATING_NAMESPACE_WAIT_MS });
}

/** How long a cluster's Prometheus that answers may take to scrape its API server (it started a moment ago). */
const CLUSTER_PROMETHEUS_WAIT_MS = 15_000;

/**
 * The cluster's own Prometheus once it has scraped the API server; undefined (said in the log) when the
 * cluster has none, or it does not answer (stopped, died) or has not scraped within the wait.
 */
async function clusterPrometheusScraping(
  url: string | undefined,
  events: EventStream,
  logger: Logger,
): Promise<PrometheusClient | undefined> {
  if (!url) return undefined;
  const scraped = await tracked(
    events,
    'bench',
    'cluster-prometheus',
    `Reading the API server's metrics from the cluster's Prometheus (${url})`,
    () => apiserverScrapedWithin(url, CLUSTER_PROMETHEUS_WAIT_MS),
  );
  if (scraped) return new PrometheusClient(url);
  logger.info(`the cluster's Prometheus (${url}) has not scraped its API server: starting one for this run`);
  return undefined;
}

/** Which components the benchmarked stack has and which its values left out (for the report). */
function stackSummary(stack: StackRecord | undefined): RunResults['stack'] {
  if (!stack) return { deployed: false, leftOut: [], apiServer: null };
  return { deployed: true, leftOut: stack.leftOut, apiServer: stack.values.countly.apiServer };
}
