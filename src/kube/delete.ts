import type { KubeContext, Target } from './context.js';
import { targetOf } from './context.js';
import { isNotFound } from './errors.js';
import { resourcePath } from './paths.js';
import { mapPool } from './pool.js';
import { listObjects } from './read.js';
import { controllerUid, displayName, type KubeObject, type ResourceInfo } from './types.js';
import { waitFor } from './wait.js';
import { WriteError, type WriteFailure } from './write.js';

export interface DeleteOptions {
  /** Wait until every object is gone; default true. */
  wait?: boolean;
  timeoutMs?: number;
  /** A missing object is a result (`not found`), not an error; default true. */
  ignoreNotFound?: boolean;
  dryRun?: 'none' | 'server';
  /** Seconds the objects' pods get to stop; 0 kills them at once (kubectl delete --grace-period=0). */
  gracePeriodSeconds?: number;
  concurrency?: number;
  /**
   * Foreground (the default) deletes dependents first; the object keeps a deletionTimestamp until the
   * garbage collector, in the controller-manager, removes it. Background deletes it at once.
   */
  propagationPolicy?: 'Foreground' | 'Background';
  signal?: AbortSignal;
  onResult?: (result: DeleteResult) => void;
}

export interface DeleteResult {
  name: string;
  namespace: string | undefined;
  action: 'deleted' | 'not found';
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** Types deleteBySelector leaves alone unless asked for by name. */
const DERIVED = new Set(['events', 'endpoints', 'endpointslices']);

/** Deletes objects with foreground propagation (dependents first), then waits until they are gone. */
export async function deleteObjects(
  ctx: KubeContext,
  objects: readonly KubeObject[],
  options: DeleteOptions = {},
): Promise<DeleteResult[]> {
  const targets = await Promise.all(objects.map((obj) => targetOf(ctx, obj)));
  const settled = await mapPool(objects, options.concurrency ?? 32, (obj, i) =>
    deleteOne(ctx, obj, targets[i] as Target, options),
  );
  const results: DeleteResult[] = [];
  const failures: WriteFailure[] = [];
  const deleted: KubeObject[] = [];
  settled.forEach((outcome, i) => {
    const obj = objects[i] as KubeObject;
    if (outcome.status === 'fulfilled') {
      results.push(outcome.value);
      if (outcome.value.action === 'deleted') deleted.push(obj);
      options.onResult?.(outcome.value);
    } else {
      const error = outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
      failures.push({ name: displayName(obj), namespace: targets[i]?.namespace, error });
    }
  });
  if (failures.length > 0) throw new WriteError([], failures, objects.length);
  if (options.wait !== false && options.dryRun !== 'server') {
    await waitFor(
      ctx,
      deleted,
      { type: 'delete' },
      {
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
  }
  return results;
}

async function deleteOne(
  ctx: KubeContext,
  obj: KubeObject,
  target: Target,
  options: DeleteOptions,
): Promise<DeleteResult> {
  const base = { name: displayName(obj), namespace: target.namespace };
  try {
    await ctx.transport.request(
      {
        method: 'DELETE',
        path: resourcePath(target.info, target.namespace, target.name),
        query: { dryRun: options.dryRun === 'server' ? 'All' : undefined },
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: options.propagationPolicy ?? 'Foreground',
          ...(options.gracePeriodSeconds === undefined
            ? {}
            : { gracePeriodSeconds: options.gracePeriodSeconds }),
        }),
        signal: options.signal,
      },
      `delete ${base.name}`,
    );
    return { ...base, action: 'deleted' };
  } catch (err) {
    if (isNotFound(err) && options.ignoreNotFound !== false) return { ...base, action: 'not found' };
    throw err;
  }
}

export interface SelectorDeleteOptions extends DeleteOptions {
  /** Resource names or kinds to consider (`deployments`, `configmap`); every deletable type when unset. */
  kinds?: readonly string[];
  /** Only this namespace; with neither this nor allNamespaces, the client's default namespace. */
  namespace?: string;
  /** Every namespace, and cluster-scoped objects too. */
  allNamespaces?: boolean;
  /** Also objects a controller owns (Pods of a Deployment); by default the owner's deletion removes them. */
  includeOwned?: boolean;
}

/** Deletes everything matching a label selector, across kinds (and namespaces with allNamespaces). */
export async function deleteBySelector(
  ctx: KubeContext,
  selector: string,
  options: SelectorDeleteOptions = {},
): Promise<DeleteResult[]> {
  const found = await findBySelector(ctx, selector, options);
  return deleteObjects(ctx, found, { ...options, ignoreNotFound: true });
}

export async function findBySelector(
  ctx: KubeContext,
  selector: string,
  options: SelectorDeleteOptions,
): Promise<KubeObject[]> {
  const types = await deletableTypes(ctx, options);
  const lists = await mapPool(types, 16, (info) =>
    listObjects(ctx, info, {
      labelSelector: selector,
      ...(options.allNamespaces
        ? { allNamespaces: true }
        : { namespace: options.namespace ?? ctx.namespace }),
    }),
  );
  const objects: KubeObject[] = [];
  for (const outcome of lists) {
    if (outcome.status === 'rejected') {
      // A type we may not list (RBAC) or that vanished meanwhile is skipped, others still go.
      if (
        isNotFound(outcome.reason) ||
        (outcome.reason as { code?: number }).code === 403 ||
        (outcome.reason as { code?: number }).code === 405
      )
        continue;
      throw outcome.reason;
    }
    for (const obj of outcome.value) {
      if (controllerUid(obj) === undefined || options.includeOwned) objects.push(obj);
    }
  }
  return objects;
}

async function deletableTypes(ctx: KubeContext, options: SelectorDeleteOptions): Promise<ResourceInfo[]> {
  if (options.kinds && options.kinds.length > 0) {
    return Promise.all(options.kinds.map((k) => ctx.discovery.find(k)));
  }
  const seen = new Set<string>();
  const out: ResourceInfo[] = [];
  for (const info of await ctx.discovery.all()) {
    const key = `${info.group}/${info.resource}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!info.verbs.includes('list') || !info.verbs.includes('delete')) continue;
    // Records and derived data: Services' endpoints are the endpoint controllers' to manage.
    if (DERIVED.has(info.resource)) continue;
    if (!info.namespaced && !options.allNamespaces) continue;
    out.push(info);
  }
  return out;
}
