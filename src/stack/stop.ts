import { tracked, type EventStream } from '../events/index.js';
import type { KubeClient } from '../kube/index.js';
import type { KubeObject } from '../kube/types.js';
import { MANAGED_SELECTOR } from './labels.js';
import { STACK_SCOPE } from './runner.js';

export interface StopOptions {
  /** Keep PersistentVolumeClaims (MongoDB's data) and the namespaces that hold them. */
  keepData: boolean;
  timeoutMs: number;
  events?: EventStream;
  signal?: AbortSignal;
}

export interface StopResult {
  deleted: number;
  /** PVCs kept by --keep-data, as namespace/name. */
  keptClaims: string[];
  /** Namespaces kept because they hold kept claims. */
  keptNamespaces: string[];
}

export interface StopSteps {
  objects: KubeObject[];
  claims: KubeObject[];
  namespaces: KubeObject[];
  keptClaims: KubeObject[];
  keptNamespaces: KubeObject[];
}

/**
 * Which objects go in which order: first everything but data and namespaces (workloads stop, so claims are
 * no longer in use), then the claims, then the namespaces. With keepData, claims stay, and so do the
 * namespaces holding them (deleting a namespace deletes its claims).
 */
export function stopSteps(found: readonly KubeObject[], keepData: boolean): StopSteps {
  const claims = found.filter((o) => o.kind === 'PersistentVolumeClaim');
  const namespaces = found.filter((o) => o.kind === 'Namespace');
  const objects = found.filter((o) => o.kind !== 'PersistentVolumeClaim' && o.kind !== 'Namespace');
  if (!keepData) return { objects, claims, namespaces, keptClaims: [], keptNamespaces: [] };
  const holding = new Set(claims.map((c) => c.metadata.namespace));
  return {
    objects,
    claims: [],
    namespaces: namespaces.filter((n) => !holding.has(n.metadata.name)),
    keptClaims: claims,
    keptNamespaces: namespaces.filter((n) => holding.has(n.metadata.name)),
  };
}

/** Deletes everything labelled managed-by=cncfdemo, in every namespace and cluster-wide, and waits until it is gone. */
export async function stopStack(client: KubeClient, options: StopOptions): Promise<StopResult> {
  const found = await client.findBySelector(MANAGED_SELECTOR, { allNamespaces: true });
  const steps = stopSteps(found, options.keepData);
  const remove = (id: string, title: string, objects: KubeObject[]): Promise<unknown> =>
    objects.length === 0
      ? Promise.resolve()
      : tracked(options.events, STACK_SCOPE, id, title, async () =>
          client.deleteObjects(objects, {
            wait: true,
            timeoutMs: options.timeoutMs,
            ...(options.signal ? { signal: options.signal } : {}),
          }),
        );
  await remove('stop-objects', `Deleting ${steps.objects.length} objects`, steps.objects);
  await remove('stop-claims', `Deleting ${steps.claims.length} volume claims`, steps.claims);
  await remove('stop-namespaces', `Deleting ${steps.namespaces.length} namespaces`, steps.namespaces);
  return {
    deleted: steps.objects.length + steps.claims.length + steps.namespaces.length,
    keptClaims: steps.keptClaims.map((c) => `${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`),
    keptNamespaces: steps.keptNamespaces.map((n) => n.metadata.name ?? ''),
  };
}
