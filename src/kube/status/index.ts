import { apiGroup, type KubeObject } from '../types.js';
import {
  alwaysReady,
  crdStatus,
  hpaStatus,
  jobStatus,
  namespaceStatus,
  podStatus,
  pvcStatus,
  serviceStatus,
} from './core.js';
import { fallbackStatus, genericStatus } from './generic.js';
import type { StatusResult } from './result.js';
import { daemonSetStatus, deploymentStatus, replicaSetStatus, statefulSetStatus } from './workloads.js';

export type { Status, StatusResult } from './result.js';

export interface StatusContext {
  /** EndpointSlices of the object's namespace; lets a Service wait for a ready endpoint. */
  endpointSlices?: readonly KubeObject[];
  now?: number;
}

type Rule = (obj: KubeObject, context: StatusContext) => StatusResult;

/** Kind-specific rules keyed by `group/Kind` (core group: just `Kind`), as in kstatus. */
const RULES: Record<string, Rule> = {
  Pod: (o, c) => podStatus(o, c.now),
  Service: (o, c) => serviceStatus(o, c.endpointSlices),
  PersistentVolumeClaim: pvcStatus,
  Namespace: namespaceStatus,
  Secret: alwaysReady,
  ConfigMap: alwaysReady,
  'apps/Deployment': deploymentStatus,
  'apps/StatefulSet': statefulSetStatus,
  'apps/DaemonSet': daemonSetStatus,
  'apps/ReplicaSet': replicaSetStatus,
  'batch/Job': jobStatus,
  'batch/CronJob': alwaysReady,
  'policy/PodDisruptionBudget': alwaysReady,
  'autoscaling/HorizontalPodAutoscaler': hpaStatus,
  'apiextensions.k8s.io/CustomResourceDefinition': crdStatus,
};

/**
 * The kstatus computation (sigs.k8s.io/cli-utils pkg/kstatus/status): generic rules first, then the
 * kind's own rules; kinds without rules follow their Ready condition or are current.
 */
export function computeStatus(obj: KubeObject, context: StatusContext = {}): StatusResult {
  const generic = genericStatus(obj);
  if (generic) return generic;
  const group = apiGroup(obj.apiVersion);
  const rule = RULES[group ? `${group}/${obj.kind}` : obj.kind];
  return rule ? rule(obj, context) : fallbackStatus(obj);
}

/** Whether a kind's readiness depends on EndpointSlices (so waiters know to watch them). */
export function needsEndpointSlices(obj: KubeObject): boolean {
  return apiGroup(obj.apiVersion) === '' && obj.kind === 'Service';
}
