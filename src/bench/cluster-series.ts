import { quantityValue, type KubeClient, type KubeObject } from '../kube/index.js';
import type { Logger } from '../log/logger.js';
import type { NamedSeries } from '../report/types.js';

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

/**
 * Samples the cluster through its API every stepMs until stop(): ready replicas of the Countly API, running
 * pods by priority class, and BOINC's CPU (allocated from pod requests; used from metrics.k8s.io when served).
 */
export function sampleClusterSeries(
  client: KubeClient,
  stepMs: number,
  logger: Logger,
): { stop: () => Promise<ClusterSeries> } {
  const groups = {
    replicas: new Map<string, NamedSeries>(),
    priority: new Map<string, NamedSeries>(),
    boinc: new Map<string, NamedSeries>(),
  };
  const notes = new Set<string>();
  const push = (map: Map<string, NamedSeries>, name: string, t: number, v: number): void => {
    const s = map.get(name) ?? { name, points: [] };
    s.points.push({ t, v: Math.round(v * 1000) / 1000 });
    map.set(name, s);
  };
  // Series that were seen once keep a point at 0 when their pods are gone, so charts drop to zero.
  const pushAll = (map: Map<string, NamedSeries>, values: Map<string, number>, t: number): void => {
    for (const name of new Set([...values.keys(), ...map.keys()])) push(map, name, t, values.get(name) ?? 0);
  };
  const sample = async (): Promise<void> => {
    const t = Date.now() / 1000;
    try {
      const running = await client.list('pods', {
        allNamespaces: true,
        fieldSelector: 'status.phase=Running',
      });
      pushAll(groups.priority, countByPriority(running), t);
      const allocated = boincCoresAllocated(running);
      const boinc = new Map([...allocated].map(([ns, v]) => [`${ns}/boinc CPU allocated (cores)`, v]));
      try {
        const metrics = await client.list(PODS_METRICS, {
          allNamespaces: true,
          labelSelector: BOINC_SELECTOR,
        });
        for (const [ns, v] of boincCoresUsed(metrics)) boinc.set(`${ns}/boinc CPU used (cores)`, v);
      } catch (err) {
        notes.add(`BOINC CPU used: not measured, metrics.k8s.io did not answer (${firstLine(err)})`);
      }
      pushAll(groups.boinc, boinc, t);
      const deployments = await client.list('deployments', {
        allNamespaces: true,
        fieldSelector: 'metadata.name=countly-api',
      });
      const ready = new Map(
        deployments.map((d) => [
          `${d.metadata.namespace ?? ''}/countly-api ready`,
          (d.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0,
        ]),
      );
      pushAll(groups.replicas, ready, t);
    } catch (err) {
      logger.debug(`sampling the cluster failed: ${String(err)}`);
    }
  };
  let running = sample();
  const timer = setInterval(() => {
    running = running.then(sample);
  }, stepMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await sample();
      if (groups.replicas.size === 0) notes.add('no countly-api Deployment found (is the stack started?)');
      if (groups.boinc.size === 0) notes.add('BOINC work: no BOINC pods ran during the window');
      return {
        replicas: [...groups.replicas.values()],
        podsByPriority: [...groups.priority.values()],
        boincWork: [...groups.boinc.values()],
        notes: [...notes],
      };
    },
  };
}
