import { conditionsOf, isObject, type KubeObject } from '../types.js';
import { field, intField, stringField } from './fields.js';
import { current, failed, inProgress, type StatusResult } from './result.js';

/** How long a Pod may stay unschedulable before kstatus calls it failed. */
export const SCHEDULE_WINDOW_MS = 15_000;

export function podStatus(obj: KubeObject, now = Date.now()): StatusResult {
  const conditions = conditionsOf(obj);
  const phase = stringField(obj, 'status.phase', '');
  switch (phase) {
    case 'Succeeded':
      return current('Pod has completed successfully');
    case 'Failed':
      return current('Pod has completed, but not successfully');
    case 'Running': {
      if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return current('Pod is Ready');
      const crashing = crashLoopingContainers(obj);
      if (crashing.length > 0) {
        return failed('ContainerCrashLooping', `Containers in CrashLoop state: ${crashing.join(',')}`);
      }
      return inProgress('PodRunningNotReady', 'Pod is running but is not Ready');
    }
    case 'Pending': {
      const scheduled = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      if (scheduled?.reason === 'Unschedulable') {
        const created = Date.parse(obj.metadata.creationTimestamp ?? '');
        if (Number.isFinite(created) && now - SCHEDULE_WINDOW_MS < created) {
          return inProgress('PodNotScheduled', 'Pod has not been scheduled');
        }
        return failed(
          'PodUnschedulable',
          `Pod could not be scheduled${scheduled.message ? `: ${scheduled.message}` : ''}`,
        );
      }
      return inProgress('PodPending', 'Pod is in the Pending phase');
    }
    case '':
      return inProgress('PodNotObserved', 'Pod phase not available');
    default:
      return { status: 'Unknown', message: `unknown phase ${phase}`, conditions: [] };
  }
}

function crashLoopingContainers(obj: KubeObject): string[] {
  const statuses = field(obj, 'status.containerStatuses');
  if (!Array.isArray(statuses)) return [];
  return statuses.flatMap((s: unknown) => {
    if (!isObject(s) || typeof s.name !== 'string' || !isObject(s.state) || !isObject(s.state.waiting))
      return [];
    return s.state.waiting.reason === 'CrashLoopBackOff' ? [s.name] : [];
  });
}

export function pvcStatus(obj: KubeObject): StatusResult {
  const phase = stringField(obj, 'status.phase', 'unknown');
  return phase === 'Bound'
    ? current('PVC is Bound')
    : inProgress('NotBound', `PVC is not Bound. phase: ${phase}`);
}

export function namespaceStatus(obj: KubeObject): StatusResult {
  const phase = stringField(obj, 'status.phase', '');
  return phase === 'Active'
    ? current('Namespace is Active')
    : inProgress('NotActive', `Namespace phase: ${phase || 'unknown'}`);
}

/**
 * A Service is ready when it can serve: a LoadBalancer has an ingress address, and a Service with a
 * selector has at least one ready endpoint in its EndpointSlices (when the caller supplied them).
 */
export function serviceStatus(obj: KubeObject, endpointSlices?: readonly KubeObject[]): StatusResult {
  const type = stringField(obj, 'spec.type', 'ClusterIP');
  if (type === 'ExternalName') return current('Service is ready');
  if (type === 'LoadBalancer') {
    if (!stringField(obj, 'spec.clusterIP', ''))
      return inProgress('NoIPAssigned', 'ClusterIP not set. Service type: LoadBalancer');
    const ingress = field(obj, 'status.loadBalancer.ingress');
    if (!Array.isArray(ingress) || ingress.length === 0) {
      return inProgress('NoLoadBalancerIngress', 'LoadBalancer has no ingress address yet');
    }
  }
  const selector = field(obj, 'spec.selector');
  if (endpointSlices && isObject(selector) && Object.keys(selector).length > 0) {
    const name = obj.metadata.name;
    const ready = endpointSlices
      .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name)
      .some((s) => Array.isArray(s.endpoints) && s.endpoints.some(isReadyEndpoint));
    if (!ready) return inProgress('NoReadyEndpoints', 'Service has no ready endpoint');
  }
  return current('Service is ready');
}

function isReadyEndpoint(endpoint: unknown): boolean {
  // EndpointSlice API: an unset `ready` means ready.
  if (!isObject(endpoint)) return false;
  return !isObject(endpoint.conditions) || endpoint.conditions.ready !== false;
}

export function crdStatus(obj: KubeObject): StatusResult {
  for (const c of conditionsOf(obj)) {
    if (c.type === 'NamesAccepted' && c.status === 'False') return failed(c.reason ?? '', c.message ?? '');
    if (c.type === 'Established') {
      if (c.status === 'False' && c.reason !== 'Installing') return failed(c.reason ?? '', c.message ?? '');
      if (c.status === 'True') return current('CRD is established');
    }
  }
  return inProgress('Installing', 'Install in progress');
}

/** Helm 4's rule: a Job is in progress until Complete; Failed is final. */
export function jobStatus(obj: KubeObject): StatusResult {
  const parallelism = intField(obj, 'spec.parallelism', 1);
  const completions = intField(obj, 'spec.completions', parallelism);
  const succeeded = intField(obj, 'status.succeeded', 0);
  const failedCount = intField(obj, 'status.failed', 0);
  for (const c of conditionsOf(obj)) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return current(`Job Completed. succeeded: ${succeeded}/${completions}`);
    if (c.type === 'Failed') {
      return failed(
        c.reason || 'JobFailed',
        `Job Failed. failed: ${failedCount}/${completions}${c.message ? `: ${c.message}` : ''}`,
      );
    }
  }
  if (!stringField(obj, 'status.startTime', '')) return inProgress('JobNotStarted', 'Job not started');
  const active = intField(obj, 'status.active', 0);
  return inProgress(
    'JobNotComplete',
    `Job in progress. succeeded: ${succeeded}/${completions}, active: ${active}, failed: ${failedCount}`,
  );
}

/** An HPA is working when it can scale and its metrics are flowing (AbleToScale and ScalingActive). */
export function hpaStatus(obj: KubeObject): StatusResult {
  const conditions = conditionsOf(obj);
  if (conditions.length === 0)
    return inProgress('NotObserved', 'HorizontalPodAutoscaler has no conditions yet');
  for (const type of ['AbleToScale', 'ScalingActive']) {
    const c = conditions.find((x) => x.type === type);
    if (c?.status !== 'True') {
      const detail = c ? `${c.reason ?? ''}${c.message ? `: ${c.message}` : ''}` : 'not reported';
      return inProgress(c?.reason || `Not${type}`, `${type} is ${c?.status ?? 'unset'} (${detail})`);
    }
  }
  return current('HorizontalPodAutoscaler is active');
}

export function alwaysReady(): StatusResult {
  return current('Resource is always ready');
}
