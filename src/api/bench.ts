import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { runClusterBenchmark } from '../bench/cluster-benchmark.js';
import { clusterPrometheus } from './cluster.js';
import { parseChaos } from '../bench/chaos/spec.js';
import { runLocalLoad } from '../bench/local-benchmark.js';
import { loadSloTable, measurementNames } from '../bench/measurements/registry.js';
import { withMeasurements } from '../bench/measurements/run.js';
import type { MonitoringEndpoints } from '../bench/local/monitoring.js';
import { PrometheusClient } from '../bench/prometheus.js';
import { buildRunRecord, recordedMachines } from '../report/record.js';
import { clusterNameOf, cncfdemoVersion } from '../config/identity.js';
import { validateLoad } from '../bench/wrk/run.js';
import { validateRate } from '../bench/k6/run.js';
import { homeDir } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import { EventStream } from '../events/index.js';
import type { Logger } from '../log/logger.js';
import { loadPriceTable } from '../report/cost.js';
import { renderReportHtml } from '../report/html.js';
import { loadPageAssets } from '../report/page.js';
import { recordRun } from '../report/run-log.js';
import { listRunRecords, readRunRecord, writeRunRecord } from '../report/store.js';
import { type BenchmarkOptionsRecord, type RunRecord, emptyResults } from '../model/run-record.js';

export interface BenchmarkOptions {
  /** Load duration in seconds (default 300). */
  durationSeconds?: number;
  threads?: number;
  connections?: number;
  /** Open model: constant arrival rate in requests/s (k6) instead of wrk's closed loop. */
  rate?: number;
  /** Benchmark an HTTP URL from this machine instead of the cluster; true: a built-in Countly-like target. */
  localTarget?: string | true;
  pricePerNodeHour?: number;
  saveHtml?: boolean;
  /** `pod-kill[:INTERVAL]`: kill one Countly API pod every INTERVAL (default 30s) while the load runs. */
  chaos?: string;
  /** Seeds the choice of victims (default: random, recorded in run.json) so a run can be repeated. */
  chaosSeed?: number;
  /** A SloThresholds file whose measurements replace those of data/slos.yaml. */
  slos?: string;
  /** Cluster name (context cncfdemo-<name>); default: the kubeconfig's current context. */
  cluster?: string;
  /** A kubeconfig context instead of `cluster`. */
  context?: string;
  kubeconfig?: string;
  home?: string;
  env?: NodeJS.ProcessEnv;
  events?: EventStream;
  logger?: Logger;
  /** Reuse a running Pushgateway + Prometheus (local target mode). */
  monitoring?: MonitoringEndpoints;
  /**
   * The cluster's own Prometheus, reachable from here (e.g. `kubectl port-forward` to 127.0.0.1): enables HTTP
   * load on real nodes (wrk/k6 Jobs read back through it) and API latency from its apiserver scrape.
   */
  prometheusUrl?: string;
}

export interface BenchmarkOutcome {
  record: RunRecord;
  dir: string;
  runJson: string;
  html?: string;
}

/** What a benchmark runs with when the options leave it out (the CLI shows these in its help). */
export const BENCHMARK_DEFAULTS = { durationSeconds: 300, threads: 2, connections: 16 } as const;

function optionsRecord(options: BenchmarkOptions): BenchmarkOptionsRecord {
  const record: BenchmarkOptionsRecord = {
    durationSeconds: options.durationSeconds ?? BENCHMARK_DEFAULTS.durationSeconds,
    threads: options.threads ?? BENCHMARK_DEFAULTS.threads,
    connections: options.connections ?? BENCHMARK_DEFAULTS.connections,
    rate: options.rate ?? null,
    localTarget:
      options.localTarget === undefined
        ? null
        : options.localTarget === true
          ? 'built-in'
          : options.localTarget,
    pricePerNodeHour: options.pricePerNodeHour ?? null,
    saveHtml: options.saveHtml === true,
    chaos: options.chaos ?? null,
  };
  validateLoad(record);
  if (record.rate !== null) validateRate(record.rate, record.durationSeconds);
  if (record.pricePerNodeHour !== null && !(record.pricePerNodeHour >= 0)) {
    throw new UserError('--price-per-node-hour must be a number >= 0');
  }
  if (options.prometheusUrl !== undefined && !/^https?:\/\/[^/]+/.test(options.prometheusUrl)) {
    throw new UserError(
      `--prometheus-url "${options.prometheusUrl}" is not an http(s) URL`,
      'e.g. --prometheus-url http://127.0.0.1:9090',
    );
  }
  if (typeof options.localTarget === 'string' && !/^https?:\/\/[^/]+/.test(options.localTarget)) {
    throw new UserError(
      `--local-target "${options.localTarget}" is not an http(s) URL`,
      'e.g. --local-target http://127.0.0.1:8080',
    );
  }
  if (options.chaos !== undefined && options.localTarget !== undefined) {
    throw new UserError('--chaos kills pods of the cluster: it does not go with --local-target');
  }
  return record;
}

/**
 * Runs a benchmark and writes its record (run.json, events.jsonl, and report.html with saveHtml) under
 * <home>/runs/<id>/. With localTarget: HTTP load from this machine. Otherwise against the cluster: HTTP load
 * through wrk Jobs when its nodes are real, and the control-plane measurements in every case.
 */
export async function runBenchmark(options: BenchmarkOptions = {}): Promise<BenchmarkOutcome> {
  const opts = optionsRecord(options);
  // Checked before anything runs: a bad --chaos records no run.
  const chaos =
    options.chaos === undefined
      ? undefined
      : parseChaos(options.chaos, opts.durationSeconds, options.chaosSeed);
  const env = options.env ?? process.env;
  const home = homeDir(env, options.home);
  const events = options.events ?? new EventStream();
  const prices = await loadPriceTable();
  // Checked before anything runs too: a bad --slos file records no run.
  const slos = await loadSloTable(options.slos);
  return recordRun(home, 'benchmark', events, async (log) => {
    const { id, dir } = log;
    const start = new Date();
    let record: RunRecord;
    if (options.localTarget !== undefined) {
      const load = await runLocalLoad({
        runId: id,
        ...(options.localTarget === true ? {} : { targetUrl: options.localTarget }),
        durationSeconds: opts.durationSeconds,
        threads: opts.threads,
        connections: opts.connections,
        ...(options.rate === undefined ? {} : { rate: options.rate }),
        ...(options.monitoring ? { monitoring: options.monitoring } : {}),
        events,
        ...(options.logger ? { logger: options.logger } : {}),
        env,
      });
      const results = emptyResults();
      results.http = load.http;
      // No cluster, no Prometheus: every measurement says why it cannot run.
      const none = await withMeasurements(measurementNames(), { runId: id, start, slos }, () =>
        Promise.resolve(),
      );
      results.measurementsSkipped = none.outcome.skipped;
      results.seriesNotes.push('no cluster: --local-target benchmarks an HTTP URL only');
      record = buildRunRecord({
        id,
        version: await cncfdemoVersion(),
        provider: 'loopback',
        cluster: null,
        kubernetesVersion: null,
        nodes: {
          count: 1,
          cpu: String(cpus().length),
          memory: `${Math.round(totalmem() / 2 ** 20)}Mi`,
          instanceType: 'this machine',
          simulated: false,
        },
        options: opts,
        start,
        end: new Date(),
        events: [...log.recorded],
        results,
        prices,
      });
    } else {
      const outcome = await runClusterBenchmark({
        ...(chaos ? { chaos } : {}),
        runId: id,
        options: opts,
        slos,
        env,
        events,
        ...(options.cluster ? { cluster: options.cluster } : {}),
        ...(options.context ? { context: options.context } : {}),
        ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.prometheusUrl ? { prometheus: new PrometheusClient(options.prometheusUrl) } : {}),
        // a local cluster's own Prometheus, already scraping its API server
        clusterPrometheus: async (context) => {
          const name = clusterNameOf(context);
          return name ? clusterPrometheus({ name, home, env }) : undefined;
        },
      });
      record = buildRunRecord({
        id,
        version: await cncfdemoVersion(),
        ...outcome.metadata,
        ...(await recordedMachines(home, options.cluster ?? clusterNameOf(outcome.metadata.cluster ?? ''))),
        options: opts,
        start,
        end: new Date(),
        events: [...log.recorded],
        results: outcome.results,
        prices,
      });
    }
    const runJson = await writeRunRecord(home, record);
    const html = opts.saveHtml ? await writeReportHtml(record, dir) : undefined;
    return { record, dir, runJson, ...(html ? { html } : {}) };
  });
}

export async function writeReportHtml(record: RunRecord, dir: string): Promise<string> {
  const path = join(dir, 'report.html');
  await writeFile(path, renderReportHtml(record, await loadPageAssets()));
  return path;
}

/** `report RUN`: rebuilds report.html from run.json. */
export async function rebuildReport(
  run: string,
  options: { home?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const home = homeDir(options.env ?? process.env, options.home);
  const { record, dir } = await readRunRecord(home, run);
  return writeReportHtml(record, dir);
}

export async function listRuns(
  options: { home?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunRecord[]> {
  return listRunRecords(homeDir(options.env ?? process.env, options.home));
}

export async function loadRuns(
  runs: readonly string[],
  options: { home?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunRecord[]> {
  const home = homeDir(options.env ?? process.env, options.home);
  const records: RunRecord[] = [];
  for (const run of runs) records.push((await readRunRecord(home, run)).record);
  return records;
}
