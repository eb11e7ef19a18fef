import { computeStatus, isJob, jobPodsSucceeded, type KubeClient } from '../kube/index.js';
import { WORKLOAD_KINDS } from '../kube/kinds.js';
import { controllerUid, type KubeObject } from '../kube/types.js';
import { COMPONENT, STACK_SELECTOR } from './labels.js';
import { parseStackRecord } from './record.js';
import { BOINC_SECRET, type StackSources } from './plan.js';

/** Disabled: left out by the values the stack was started with (e.g. mongo.enabled: false). */
export type ComponentState = 'Ready' | 'NotReady' | 'NotDeployed' | 'Disabled';

export interface ComponentStatus {
  name: string;
  title: string;
  state: ComponentState;
  /** Objects of the component found in the cluster. */
  objects: number;
  /** Why it is not ready, or something worth knowing when it is (replicas, BOINC attachment). */
  detail: string;
}

/**
 * Each component of the stack definition with its readiness, judged by kstatus on what the cluster has in
 * the stack's namespaces (and cluster-wide). Objects being deleted do not count.
 */
export async function stackStatus(
  client: KubeClient,
  sources: StackSources,
  namespaces: readonly string[],
): Promise<ComponentStatus[]> {
  // Owned objects too: the pods a Job's readiness may be judged by (they are listed either way).
  const found = await client.findBySelector(STACK_SELECTOR, { allNamespaces: true, includeOwned: true });
  const ours = found.filter(
    (o) =>
      !o.metadata.deletionTimestamp &&
      (o.metadata.namespace === undefined
        ? o.kind !== 'Namespace' || namespaces.includes(o.metadata.name ?? '')
        : namespaces.includes(o.metadata.namespace)),
  );
  return componentStatuses(
    sources,
    ours.filter((o) => controllerUid(o) === undefined),
    ours.filter((o) => o.kind === 'Pod'),
  );
}

/**
 * Pure part of `stackStatus`: groups objects by their component label and judges each group. `pods`: the
 * stack's pods, by which a Job whose Complete condition lags behind its pods is judged (jobPodsSucceeded).
 */
export function componentStatuses(
  sources: StackSources,
  objects: readonly KubeObject[],
  pods: readonly KubeObject[] = [],
): ComponentStatus[] {
  const byComponent = new Map<string, KubeObject[]>();
  for (const obj of objects) {
    const component = obj.metadata.labels?.[COMPONENT];
    if (component) byComponent.set(component, [...(byComponent.get(component) ?? []), obj]);
  }
  const leftOut = leftOutComponents(objects);
  return sources.definition.components.map((c) => {
    const own = byComponent.get(c.name) ?? [];
    const when = leftOut.get(c.name);
    if (own.length === 0 && when !== undefined)
      return {
        name: c.name,
        title: c.title,
        state: 'Disabled',
        objects: 0,
        detail: `left out by the values${when ? ` (${when} is off)` : ''}`,
      };
    if (own.length === 0)
      return { name: c.name, title: c.title, state: 'NotDeployed', objects: 0, detail: '' };
    // A Job whose pods succeeded is done, as `start` judges it, though its Complete condition may lag.
    const pending = own
      .filter((o) => WORKLOAD_KINDS.has(o.kind))
      .map((o) => ({ obj: o, status: computeStatus(o) }))
      .filter((s) => s.status.status !== 'Current' && !(isJob(s.obj) && jobPodsSucceeded(s.obj, pods)));
    // background components are Ready once deployed; their pods run only where there is room
    const state: ComponentState = pending.length === 0 || !c.wait ? 'Ready' : 'NotReady';
    const detail =
      state === 'NotReady'
        ? pending
            .map((p) => `${p.obj.kind.toLowerCase()}/${p.obj.metadata.name ?? ''}: ${p.status.message}`)
            .join('; ')
        : readyDetail(c.name, own);
    return { name: c.name, title: c.title, state, objects: own.length, detail };
  });
}

/** What the stack's record says the values left out (see record.ts), by component. */
export function leftOutComponents(objects: readonly KubeObject[]): Map<string, string> {
  for (const obj of objects) {
    const record = parseStackRecord(obj);
    if (record) return new Map(record.leftOut.map((c) => [c.name, c.when]));
  }
  return new Map();
}

function readyDetail(component: string, objects: readonly KubeObject[]): string {
  if (component === 'boinc') {
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === BOINC_SECRET);
    const project = secret?.metadata.annotations?.['cncfdemo.io/boinc-project'];
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const wanted = (deployment?.spec as { replicas?: number } | undefined)?.replicas ?? 0;
    const running =
      (deployment?.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0;
    return (
      `${running}/${wanted} pods on idle capacity, ` +
      (secret
        ? `attached to ${project ?? 'its project'}`
        : 'running unattached: no account key (start --boinc-key-env VAR attaches it)')
    );
  }
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
  if (hpa) {
    const spec = hpa.spec as { minReplicas?: number; maxReplicas?: number } | undefined;
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const available =
      (deployment?.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0;
    return `${available} replicas (autoscaling ${spec?.minReplicas ?? 1}-${spec?.maxReplicas ?? '?'})`;
  }
  const jobs = objects.filter((o) => o.kind === 'Job');
  if (jobs.length > 0) return `${jobs.length} Job${jobs.length === 1 ? '' : 's'} complete`;
  return '';
}
