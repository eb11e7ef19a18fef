import { RUN_LABEL } from '../config/identity.js';
import { UserError } from '../errors/index.js';
import { tracked, type EventStream } from '../events/index.js';
import type { KubeClient } from '../kube/index.js';
import type { Logger } from '../log/logger.js';
import { killSample, startPodKill, type PodKillSpec, type PodKillTarget } from './chaos/pod-kill.js';
import { countFailuresPerKill, FAILURE_WINDOW_METHOD } from './chaos/windows.js';
import { loadJobObjects } from './cluster-load.js';
import { startLiveHttpSamples } from './live-http.js';
import { queryHttpResults, waitForFinalScrape } from './http-results.js';
import type { PrometheusClient } from './prometheus.js';
import { scrapeIntervalSeconds } from './scrape-interval.js';
import { crossCheckLogs, parseGeneratorLog } from './wrk/log-check.js';
import type { BenchmarkOptionsRecord, ChaosRecord, HttpResults, LogCrossCheck } from '../model/run-record.js';

/** The Countly API, as the load and the chaos find it in the stack's namespace. */
export const COUNTLY_API = {
  name: 'countly-api',
  port: 3001,
  selector: 'app.kubernetes.io/name=countly-api',
};

/** What `--chaos pod-kill` kills: the Countly API's pods in the stack's namespace. */
export function countlyApiTarget(namespace: string): PodKillTarget {
  return { namespace, workload: `deployment/${COUNTLY_API.name}`, labelSelector: COUNTLY_API.selector };
}

export interface InClusterLoadInput {
  client: KubeClient;
  runId: string;
  options: BenchmarkOptionsRecord;
  events: EventStream;
  logger: Logger;
  prom: PrometheusClient;
  namespaces: { stack: string; monitoring: string };
  images: { wrkImage: string; k6Image: string };
  parallelism: number;
  chaos?: PodKillSpec;
}

export interface InClusterLoadOutcome {
  http: HttpResults;
  chaos: ChaosRecord | null;
}

/** The load the options ask for has an image in the stack's values (checked before anything is created). */
export function assertLoadImages(
  options: Pick<BenchmarkOptionsRecord, 'rate'>,
  images: InClusterLoadInput['images'],
): void {
  if (options.rate !== null && !images.k6Image) {
    throw new UserError(
      "--rate needs a k6 image and the stack's values name none (loadgen.k6Image is empty, as in the offline profile)",
      'run the closed model (no --rate), or start the stack with --set loadgen.k6Image=IMAGE',
    );
  }
}

/**
 * HTTP load from inside the cluster: the load Jobs run against the Countly API Service and push to the
 * stack's Pushgateway; the results come back from the stack's Prometheus and are checked against each
 * load generator pod's own log. With chaos, pods of the Countly API are killed while the load runs. What
 * the run created (the Job, its pods, the scripts ConfigMap) is removed at the end.
 */
export async function runInClusterLoad(input: InClusterLoadInput): Promise<InClusterLoadOutcome> {
  const { client, namespaces, options } = input;
  assertLoadImages(options, input.images);
  const target = `http://${COUNTLY_API.name}.${namespaces.stack}:${COUNTLY_API.port}`;
  const objects = await loadJobObjects({
    runId: input.runId,
    namespace: namespaces.stack,
    monitoringNamespace: namespaces.monitoring,
    parallelism: input.parallelism,
    threads: options.threads,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    target,
    ...(options.rate === null ? {} : { rate: options.rate }),
    ...input.images,
  });
  const generator = options.rate === null ? 'wrk' : 'k6';
  const scrapeInterval = await scrapeIntervalSeconds(input.prom);
  try {
    const start = new Date();
    const chaos = input.chaos
      ? startPodKill(client, input.chaos, countlyApiTarget(namespaces.stack), {
          logger: input.logger,
          onKill: (kill) => {
            input.events.sample(killSample(kill));
          },
        })
      : undefined;
    const live = startLiveHttpSamples(
      input.prom,
      input.runId,
      scrapeInterval,
      (sample) => {
        input.events.sample(sample);
      },
      input.logger,
    );
    const title =
      generator === 'wrk'
        ? `wrk Jobs: ${input.parallelism} pods against ${target}`
        : `k6 Jobs: ${options.rate ?? 0} requests/s over ${input.parallelism} pods against ${target}`;
    let chaosRecord: ChaosRecord | null = null;
    try {
      await tracked(input.events, 'bench', 'load', title, async () => {
        await client.apply(objects);
        await client.waitReady(objects.slice(1), { timeoutMs: options.durationSeconds * 1000 + 300_000 });
      });
    } finally {
      await live.stop();
      chaosRecord = (await chaos?.stop()) ?? null;
    }
    const end = new Date();
    const http = await tracked(
      input.events,
      'bench',
      'results',
      'Reading results from Prometheus',
      async () => {
        await waitForFinalScrape(input.prom, input.runId, { generators: input.parallelism }, 120_000);
        return queryHttpResults(input.prom, {
          runId: input.runId,
          generator,
          model: generator === 'wrk' ? 'closed' : 'open',
          target,
          start,
          end,
          scrapeIntervalSeconds: scrapeInterval,
        });
      },
    );
    if (generator === 'wrk') {
      http.crossCheck = await tracked(
        input.events,
        'bench',
        'cross-check',
        "Checking the results against the load generators' logs",
        () => checkAgainstLogs(client, namespaces.stack, input.runId, http),
      );
    }
    if (chaosRecord) {
      await countFailuresPerKill(input.prom, input.runId, chaosRecord.kills, end);
      chaosRecord.notes.push(FAILURE_WINDOW_METHOD);
    }
    return { http, chaos: chaosRecord };
  } finally {
    await client.deleteObjects(objects, { wait: false }).catch((err: unknown) => {
      input.logger.debug(`removing the load Job failed: ${String(err)}`);
    });
  }
}

async function checkAgainstLogs(
  client: KubeClient,
  namespace: string,
  runId: string,
  http: HttpResults,
): Promise<LogCrossCheck> {
  const pods = await client.list('pods', { namespace, labelSelector: `${RUN_LABEL}=${runId}` });
  const logs = [];
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    logs.push(parseGeneratorLog(name, await client.podLog(namespace, name)));
  }
  return crossCheckLogs(logs, http);
}
