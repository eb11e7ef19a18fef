import { quantityValue, type KubeClient, type KubeObject } from '../kube/index.js';
import type { RunSample } from '../events/index.js';
import type { Logger } from '../log/logger.js';
import type { NamedSeries } from '../model/run-record.js';

export interface ClusterSeries {
  replicas: NamedSeries[];
  podsByPriority: NamedSeries[];
  boincWork: NamedSeries[];
  /** What could not be sampled, once each. */
  notes: string[];
}

const BOINC_SELECTOR = 'app.kubernetes.io/name=boinc';
const PODS_METRICS = { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics' };

type Loose = Record<string, unknown>;
const containersOf = (o: KubeObject, ...path: string[]): Loose[] => {
  const found = path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Loose)[k] : undefined), o);
  return Array.isArray(found) ? (found as Loose[]) : [];
};
const cpuOf = (resources: unknown, key: 'requests' | 'usage'): number => {
  const value = (resources as Loose | undefined)?.[key];
  const cpu = (value as Loose | undefined)?.cpu;
  return typeof cpu === 'string' ? (quantityValue(cpu) ?? 0) : 0;
};
const firstLine = (err: unknown): string => String(err).split('\n')[0] ?? '';
const addTo = (totals: Map<string, number>, key: string, value: number): void => {
  totals.set(key, (totals.get(key) ?? 0) + value);
};

/** Running pods per priority class ("(none)" for pods without one). */
export function countByPriority(runningPods: readonly KubeObject[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pod of runningPods) {
    const priorityClass = (pod.spec as { priorityClassName?: string } | undefined)?.priorityClassName;
    addTo(counts, priorityClass ?? '(none)', 1);
  }
  return counts;
}

/**
 * CPU cores the scheduler gave BOINC per namespace: the CPU requests of its running pods. This is the idle
 * capacity donated, and it drops when foreground pods preempt BOINC.
 */
export function boincCoresAllocated(runningPods: readonly KubeObject[]): Map<string, number> {
  const cores = new Map<string, number>();
  for (const pod of runningPods) {
    if (pod.metadata.labels?.['app.kubernetes.io/name'] !== 'boinc') continue;
    const requested = containersOf(pod, 'spec', 'containers').reduce(
      (sum, c) => sum + cpuOf(c.resources, 'requests'),
      0,
    );
    addTo(cores, pod.metadata.namespace ?? '', requested);
  }
  return cores;
}

/** CPU cores BOINC's containers used per namespace, from metrics.k8s.io PodMetrics. */
export function boincCoresUsed(podMetrics: readonly KubeObject[]): Map<string, number> {
  const cores = new Map<string, number>();
  for (const metrics of podMetrics) {
    const used = containersOf(metrics, 'containers').reduce((sum, c) => sum + cpuOf(c, 'usage'), 0);
    addTo(cores, metrics.metadata.namespace ?? '', used);
  }
  return cores;
}

/** What the series need of a running pod: the watch keeps only this (a full pod is ~7 KB of JSON). */
export function slimPod(pod: KubeObject): KubeObject {
  const spec = pod.spec as { priorityClassName?: string } | undefined;
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      resourceVersion: pod.metadata.resourceVersion,
      ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
    },
    spec: {
      ...(spec?.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
      containers: containersOf(pod, 'spec', 'containers').map((c) => ({
        resources: {
          requests: { cpu: ((c.resources as Loose | undefined)?.requests as Loose | undefined)?.cpu },
        },
      })),
    },
  };
}

const slimDeployment = (d: KubeObject): KubeObject => ({
  apiVersion: d.apiVersion,
  kind: d.kind,
  metadata: {
    name: d.metadata.name,
    namespace: d.metadata.namespace,
    resourceVersion: d.metadata.resourceVersion,
  },
  status: { readyReplicas: (d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0 },
});

/** How the sampler reads the cluster, for the run record (its requests are not what the SLOs measure). */
export const SAMPLER_METHOD =
  'sampled from watches of running pods and of the countly-api Deployments (one paged list each at the start, then WATCH, which the API latency SLOs leave out); BOINC CPU used from a metrics.k8s.io list per step while BOINC pods run (an aggregated API, also outside the SLOs); a step is skipped while the previous one still runs';

/**
 * Samples the cluster every stepMs until stop(): ready replicas of the Countly API, running pods by
 * priority class, and BOINC's CPU (allocated from pod requests; used from metrics.k8s.io when served).
 * Pods and Deployments come from watches kept up to date in memory, so a step costs no list of every pod;
 * resolves once both watches hold what the server has.
 */
export async function sampleClusterSeries(
  client: KubeClient,
  stepMs: number,
  logger: Logger,
  /** Each point as it is taken (the run's event log, for the live charts). */
  onSample?: (sample: RunSample) => void,
): Promise<{ stop: () => Promise<ClusterSeries> }> {
  type Group = 'replicas' | 'podsByPriority' | 'boincWork';
  const groups: Record<Group, Map<string, NamedSeries>> = {
    replicas: new Map(),
    podsByPriority: new Map(),
    boincWork: new Map(),
  };
  const notes = new Set<string>();
  const push = (group: Group, name: string, t: number, value: number): void => {
    const map = groups[group];
    const s = map.get(name) ?? { name, points: [] };
    const v = Math.round(value * 1000) / 1000;
    s.points.push({ t, v });
    map.set(name, s);
    onSample?.({ group, name, t, v });
  };
  // Series that were seen once keep a point at 0 when their pods are gone, so charts drop to zero.
  const pushAll = (group: Group, values: Map<string, number>, t: number): void => {
    const seen = groups[group].keys();
    for (const name of new Set([...values.keys(), ...seen])) push(group, name, t, values.get(name) ?? 0);
  };

  const controller = new AbortController();
  const pods = mirror(client, 'pods', { fieldSelector: 'status.phase=Running', transform: slimPod });
  const deployments = mirror(client, 'deployments', {
    fieldSelector: 'metadata.name=countly-api',
    transform: slimDeployment,
  });
  function mirror(
    kube: KubeClient,
    kind: string,
    options: { fieldSelector: string; transform: (o: KubeObject) => KubeObject },
  ): { store: () => readonly KubeObject[]; synced: Promise<void>; done: Promise<void> } {
    let store: ReadonlyMap<string, KubeObject> = new Map();
    let markSynced: () => void = () => undefined;
    const synced = new Promise<void>((resolve) => (markSynced = resolve));
    const done = kube
      .watch(kind, { ...options, signal: controller.signal }, (update, current) => {
        store = current;
        if (update.type === 'SYNCED') markSynced();
        return false;
      })
      .catch((err: unknown) => {
        notes.add(`${kind}: the watch failed, later points are missing (${firstLine(err)})`);
      })
      .finally(markSynced);
    return { store: () => [...store.values()], synced, done };
  }
  await Promise.all([pods.synced, deployments.synced]);

  const sample = async (): Promise<void> => {
    const t = Date.now() / 1000;
    const running = pods.store();
    pushAll('podsByPriority', countByPriority(running), t);
    const allocated = boincCoresAllocated(running);
    const boinc = new Map([...allocated].map(([ns, v]) => [`${ns}/boinc CPU allocated (cores)`, v]));
    if (allocated.size > 0) {
      try {
        const metrics = await client.list(PODS_METRICS, {
          allNamespaces: true,
          labelSelector: BOINC_SELECTOR,
          signal: controller.signal,
        });
        for (const [ns, v] of boincCoresUsed(metrics)) boinc.set(`${ns}/boinc CPU used (cores)`, v);
      } catch (err) {
        notes.add(`BOINC CPU used: not measured, metrics.k8s.io did not answer (${firstLine(err)})`);
      }
    }
    pushAll('boincWork', boinc, t);
    const ready = new Map(
      deployments
        .store()
        .map((d) => [
          `${d.metadata.namespace ?? ''}/countly-api ready`,
          (d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0,
        ]),
    );
    pushAll('replicas', ready, t);
  };
  const safeSample = (): Promise<void> =>
    sample().catch((err: unknown) => {
      logger.debug(`sampling the cluster failed: ${String(err)}`);
    });

  let inFlight: Promise<void> | undefined = safeSample().finally(() => (inFlight = undefined));
  let skipped = 0;
  const timer = setInterval(() => {
    // A step that is still running (a slow metrics API) is not queued behind: its next tick is skipped.
    if (inFlight) {
      skipped += 1;
      return;
    }
    inFlight = safeSample().finally(() => (inFlight = undefined));
  }, stepMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
      await safeSample();
      controller.abort();
      await Promise.all([pods.done, deployments.done]);
      if (skipped > 0) notes.add(`${skipped} sampling steps skipped while the previous one still ran`);
      if (groups.replicas.size === 0) notes.add('no countly-api Deployment found (is the stack started?)');
      if (groups.boincWork.size === 0) notes.add('BOINC work: no BOINC pods ran during the window');
      return {
        replicas: [...groups.replicas.values()],
        podsByPriority: [...groups.podsByPriority.values()],
        boincWork: [...groups.boincWork.values()],
        notes: [...notes],
      };
    },
  };
}
