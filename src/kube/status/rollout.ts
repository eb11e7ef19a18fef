import { apiGroup, conditionsOf, controllerUid, isObject, type KubeObject } from '../types.js';
import { SCHEDULE_WINDOW_MS } from './core.js';
import { field, stringField } from './fields.js';

// kstatus judges a Deployment, StatefulSet or DaemonSet by its replica counts only, so a rollout whose pods
// crash-loop or cannot be scheduled looks merely InProgress until its progress deadline (or never, for the
// last two). These rules look at the pods of the workload's current revision instead: a failure there that
// waiting cannot fix ends the wait. Pods of older revisions are left out, as a rollout replaces them anyway.

/** Restarts a crash-looping container is allowed (a start racing a dependency) before the rollout fails. */
export const CRASH_LOOP_RESTARTS = 2;

/** How long a pod may fail to pull an image before the wait gives up on it (the kubelet retries meanwhile). */
export const IMAGE_PULL_GRACE_MS = 30_000;

const createdAt = (pod: KubeObject, now: number): number => {
  const created = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isFinite(created) ? created : now;
};

/** The kinds whose current pods these rules judge. */
export function hasRolloutPods(obj: KubeObject): boolean {
  return apiGroup(obj.apiVersion) === 'apps' && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(obj.kind);
}

export interface RolloutJudgement {
  /** One line naming the pod and why it cannot become ready; undefined while nothing is final. */
  failure?: string;
  /** When to judge again without a watch event (a pod's scheduling grace ends then), epoch ms. */
  recheckAt?: number;
  /** A pod of the workload is terminating: it may free room for an unschedulable one. */
  terminating: boolean;
}

export interface RolloutContext {
  /** The namespace's ReplicaSets (Deployments only). */
  replicaSets: readonly KubeObject[];
  /** The namespace's pods. */
  pods: readonly KubeObject[];
  now: number;
  /** Unschedulable pods are judged only from here on (the last time a pod of the workload terminated). */
  quietSince?: number;
}

export function judgeRollout(workload: KubeObject, context: RolloutContext): RolloutJudgement {
  const terminating = workloadPods(workload, context.replicaSets, context.pods).some(
    (p) => p.metadata.deletionTimestamp !== undefined,
  );
  const pods = currentPods(workload, context.replicaSets, context.pods);
  if (!pods) return { terminating };
  let recheckAt: number | undefined;
  for (const pod of [...pods].sort(byName)) {
    if (pod.metadata.deletionTimestamp) continue;
    const verdict = podFailure(pod, context.now, terminating ? context.now : context.quietSince);
    if (verdict.failure) return { failure: verdict.failure, terminating };
    if (verdict.recheckAt !== undefined) recheckAt = Math.min(recheckAt ?? Infinity, verdict.recheckAt);
  }
  return { ...(recheckAt !== undefined ? { recheckAt } : {}), terminating };
}

/**
 * The pods of the workload's current revision, or undefined while that is not known (the controller has
 * not observed the latest spec, so its newest revision may still be the old one):
 * - Deployment: the pods of its newest ReplicaSet (highest `deployment.kubernetes.io/revision`; they carry
 *   that ReplicaSet's `pod-template-hash`);
 * - StatefulSet: the pods whose `controller-revision-hash` is `status.updateRevision`;
 * - DaemonSet: the pods whose `pod-template-generation` is the template generation the API server recorded.
 */
export function currentPods(
  workload: KubeObject,
  replicaSets: readonly KubeObject[],
  pods: readonly KubeObject[],
): KubeObject[] | undefined {
  const uid = workload.metadata.uid;
  const generation = workload.metadata.generation;
  const observed = field(workload, 'status.observedGeneration');
  if (!uid || generation === undefined || typeof observed !== 'number' || observed < generation)
    return undefined;
  const owned = (label: string, value: string): KubeObject[] =>
    pods.filter((p) => ownedBy(p, uid) && p.metadata.labels?.[label] === value);
  switch (workload.kind) {
    case 'Deployment': {
      const newest = replicaSets
        .filter((rs) => ownedBy(rs, uid))
        .reduce<KubeObject | undefined>((a, b) => (a && revision(a) >= revision(b) ? a : b), undefined);
      const rsUid = newest?.metadata.uid;
      return rsUid ? pods.filter((p) => ownedBy(p, rsUid)) : undefined;
    }
    case 'StatefulSet': {
      const update = stringField(workload, 'status.updateRevision', '');
      return update ? owned('controller-revision-hash', update) : undefined;
    }
    case 'DaemonSet': {
      const template = workload.metadata.annotations?.['deprecated.daemonset.template.generation'];
      return template ? owned('pod-template-generation', template) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Why one pod cannot become ready, if waiting cannot fix it: a container crash-looping past
 * CRASH_LOOP_RESTARTS restarts, an image that cannot be pulled, or unschedulable for longer than kstatus'
 * scheduling window (counted from its creation, or from `quietSince` when that is later).
 */
export function podFailure(
  pod: KubeObject,
  now: number,
  quietSince?: number,
): { failure?: string; recheckAt?: number } {
  const name = `pod ${pod.metadata.name ?? ''}`;
  for (const s of containerStatuses(pod)) {
    const waiting = isObject(s.state) && isObject(s.state.waiting) ? s.state.waiting : undefined;
    const reason = typeof waiting?.reason === 'string' ? waiting.reason : '';
    const restarts = typeof s.restartCount === 'number' ? s.restartCount : 0;
    if (reason === 'CrashLoopBackOff' && restarts >= CRASH_LOOP_RESTARTS) {
      return {
        failure: `${name}: container ${s.name} is crash-looping (${restarts} restarts${lastTermination(s.lastState)})`,
      };
    }
    if (reason === 'ImagePullBackOff' || reason === 'ErrImagePull') {
      // One failed pull can be a registry blip the kubelet's next try gets past: a pod still failing to
      // pull IMAGE_PULL_GRACE_MS after it was made cannot pull its image.
      const pulling = createdAt(pod, now) + IMAGE_PULL_GRACE_MS;
      if (now < pulling) return { recheckAt: pulling };
      const detail = typeof waiting?.message === 'string' ? `: ${oneLine(waiting.message)}` : '';
      return { failure: `${name}: container ${s.name} cannot pull its image (${reason}${detail})` };
    }
  }
  if (stringField(pod, 'status.phase', '') !== 'Pending') return {};
  const scheduled = conditionsOf(pod).find((c) => c.type === 'PodScheduled');
  if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable') return {};
  // A preemptor: the scheduler has nominated a node and waits for the lower-priority pods it evicts there.
  const nominated = (pod.status as { nominatedNodeName?: unknown } | undefined)?.nominatedNodeName;
  if (typeof nominated === 'string' && nominated) return { recheckAt: now + SCHEDULE_WINDOW_MS };
  const created = Date.parse(pod.metadata.creationTimestamp ?? '');
  const since = Math.max(Number.isFinite(created) ? created : now, quietSince ?? -Infinity);
  if (now < since + SCHEDULE_WINDOW_MS) return { recheckAt: since + SCHEDULE_WINDOW_MS };
  const detail = scheduled.message ? `: ${oneLine(scheduled.message)}` : '';
  return {
    failure: `${name} cannot be scheduled (Unschedulable for ${Math.round((now - since) / 1000)}s${detail})`,
  };
}

interface ContainerStatus {
  name: string;
  state?: unknown;
  lastState?: unknown;
  restartCount?: unknown;
}

function containerStatuses(pod: KubeObject): ContainerStatus[] {
  return ['status.initContainerStatuses', 'status.containerStatuses'].flatMap((path) => {
    const list = field(pod, path);
    if (!Array.isArray(list)) return [];
    return list.filter((s): s is ContainerStatus => isObject(s) && typeof s.name === 'string');
  });
}

/** `; last exit 1 (Error): message` from a container's lastState, or nothing when it has none. */
function lastTermination(lastState: unknown): string {
  if (!isObject(lastState) || !isObject(lastState.terminated)) return '';
  const t = lastState.terminated;
  const code = typeof t.exitCode === 'number' ? ` ${t.exitCode}` : '';
  const reason = typeof t.reason === 'string' && t.reason ? ` (${t.reason})` : '';
  const message = typeof t.message === 'string' && t.message.trim() ? `: ${oneLine(t.message)}` : '';
  return `; last exit${code}${reason}${message}`;
}

const MAX_DETAIL = 300;

/** A kubelet or scheduler message (termination messages may span lines) as one bounded line. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL)}…` : flat;
}

/** Every pod of the workload, of any revision (a Deployment's through its ReplicaSets). */
function workloadPods(
  workload: KubeObject,
  replicaSets: readonly KubeObject[],
  pods: readonly KubeObject[],
): KubeObject[] {
  const owners = new Set([workload.metadata.uid]);
  if (workload.kind === 'Deployment') {
    for (const rs of replicaSets) if (ownedBy(rs, workload.metadata.uid)) owners.add(rs.metadata.uid);
  }
  return pods.filter((p) => {
    const uid = controllerUid(p);
    return uid !== undefined && owners.has(uid);
  });
}

function ownedBy(obj: KubeObject, uid: string | undefined): boolean {
  return uid !== undefined && controllerUid(obj) === uid;
}

function revision(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;
}

function byName(a: KubeObject, b: KubeObject): number {
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** What the rules read of a pod or ReplicaSet: watches keep only this, not whole pod specs. */
export function rolloutFields(obj: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, labels, annotations, ownerReferences } = obj.metadata;
  const { creationTimestamp, deletionTimestamp } = obj.metadata;
  const status = isObject(obj.status) ? obj.status : {};
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: {
      name,
      namespace,
      uid,
      resourceVersion,
      labels,
      ...(obj.kind === 'ReplicaSet' ? { annotations } : {}),
      ownerReferences,
      creationTimestamp,
      ...(deletionTimestamp !== undefined ? { deletionTimestamp } : {}),
    },
    status: {
      phase: status.phase,
      conditions: status.conditions,
      containerStatuses: status.containerStatuses,
      initContainerStatuses: status.initContainerStatuses,
      nominatedNodeName: status.nominatedNodeName,
    },
  };
}
