import { setMaxListeners } from 'node:events';
import { UserError } from '../errors/index.js';
import { type KubeContext, type Target, targetOf } from './context.js';
import { listEvents } from './events.js';
import { computeStatus, needsEndpointSlices } from './status/index.js';
import { isJob, jobPodsSucceeded, succeededPodOf } from './status/jobs.js';
import { hasRolloutPods, judgeRollout, podFailure, rolloutFields } from './status/rollout.js';
import { apiGroup, conditionsOf, displayName, type KubeObject, type ResourceInfo } from './types.js';
import { listAndWatch, type WatchUpdate } from './watch.js';
import type { WatchView } from './shared-watch.js';

/** What the pod and ReplicaSet feeds keep: the fields the rollout rules and Job completion read. */
const ROLLOUT_VIEW: WatchView = { name: 'rollout', transform: rolloutFields };
const WHOLE_VIEW: WatchView = { name: 'whole', transform: (obj) => obj };

/** What to wait for. `condition` matches like kubectl: `condition=Available` or `condition=Ready=False`. */
export type WaitFor =
  { type: 'ready' } | { type: 'delete' } | { type: 'condition'; condition: string; status?: string };

export interface WaitOptions {
  timeoutMs: number;
  /** The timeout as the user gave it (e.g. --timeout, of which connecting took a little), for the message. */
  statedTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: WaitProgress) => void;
}

export interface ObjectState {
  name: string;
  namespace: string | undefined;
  done: boolean;
  /** Why it is not done yet (or what it is). */
  message: string;
}

export interface WaitProgress {
  done: number;
  total: number;
  objects: readonly ObjectState[];
}

/** The wait ran out of time; names every object that is not there yet and why. */
export class WaitTimeoutError extends UserError {
  constructor(
    message: string,
    readonly pending: readonly ObjectState[],
  ) {
    super(message, 'inspect with `cncfdemo get` and the events above; raise --timeout if it is only slow');
  }
}

/** An object reached a final failed state (kstatus Failed) or cannot progress (a suspended Job). */
export class WaitFailedError extends UserError {}

/**
 * In a big rollout, pod events come by the thousand and each evaluation judges every pod of the namespace
 * (1,000 replicas: ~10 s of CPU over a start, competing with the control plane on the same machine). The
 * pods and ReplicaSets only sharpen failures, so their events evaluate at once when the last evaluation
 * is older than this, else once when it is over; the waited objects' own events, and a waited Job's pod
 * that succeeded, evaluate at once.
 */
const EVALUATE_EVERY_MS = 250;

const FAILED_HINT = 'inspect it with `cncfdemo get` and its events, fix the cause and run again';

interface Verdict {
  done: boolean;
  /** Final failure: ends the wait at once. */
  fatal?: boolean;
  message: string;
}

interface Watched {
  input: KubeObject;
  target: Target;
  name: string;
  latest: KubeObject | undefined;
  synced: boolean;
  verdict: Verdict;
  /** The last time one of its pods was seen terminating (room an unschedulable pod may get). */
  quietSince?: number;
}

/** Waits on watches (never by polling) until every object satisfies `waitFor`. */
export async function waitFor(
  ctx: KubeContext,
  objects: readonly KubeObject[],
  waitFor: WaitFor,
  options: WaitOptions,
): Promise<void> {
  if (objects.length === 0) return;
  const watched: Watched[] = await Promise.all(
    objects.map(async (input) => {
      const target = await targetOf(ctx, input);
      return {
        input,
        target,
        name: displayName(input),
        latest: undefined,
        synced: false,
        verdict: { done: false, message: 'not observed yet' },
      };
    }),
  );
  const groups = new Map<string, Watched[]>();
  for (const w of watched) {
    const key = `${w.target.info.group}/${w.target.info.resource}|${w.target.namespace ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  const sliceStores = new Map<string, ReadonlyMap<string, KubeObject>>();
  // Per namespace, for the pods of a workload's current revision (rollout rules); judged once synced.
  const podStores = new Map<string, ReadonlyMap<string, KubeObject>>();
  const replicaSetStores = new Map<string, ReadonlyMap<string, KubeObject>>();
  let recheck: NodeJS.Timeout | undefined;
  const controller = new AbortController();
  // Every watch of this wait listens on the one signal; many objects are not a leak.
  setMaxListeners(0, controller.signal);

  let settle: (err?: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    settle = (err) => {
      if (err) reject(err);
      else resolve();
    };
  });
  const abort = (): void => {
    controller.abort();
    const reason: unknown = options.signal?.reason;
    settle(reason instanceof Error ? reason : new Error('the wait was interrupted'));
  };
  if (options.signal?.aborted) abort();
  else options.signal?.addEventListener('abort', abort, { once: true });

  let lastReported = '';
  let lastEvaluated = -Infinity;
  let evaluation: NodeJS.Timeout | undefined;
  const evaluate = (): void => {
    clearTimeout(evaluation);
    evaluation = undefined;
    if (controller.signal.aborted) return;
    const now = Date.now();
    lastEvaluated = now;
    let recheckAt = Infinity;
    for (const w of watched) {
      if (!w.synced) continue;
      const slices = sliceStores.get(w.target.namespace ?? '');
      // A Service is judged only once its EndpointSlices are known, or it would look ready too early.
      if (waitFor.type === 'ready' && needsEndpointSlices(w.input) && !slices) continue;
      w.verdict = judge(w.latest, waitFor, slices ? [...slices.values()] : undefined);
      if (waitFor.type === 'ready' && !w.verdict.done && !w.verdict.fatal && w.latest && isJob(w.latest)) {
        const pods = podStores.get(w.target.namespace ?? '');
        if (pods && jobPodsSucceeded(w.latest, [...pods.values()]))
          w.verdict = {
            done: true,
            message: 'its pods succeeded (the Job controller marks it Complete within a second or so)',
          };
      }
      if (waitFor.type === 'ready' && !w.verdict.done && !w.verdict.fatal && w.latest) {
        const pods = judgePods(w, w.latest, now);
        if (pods.failure) w.verdict = { done: false, fatal: true, message: pods.failure };
        if (pods.recheckAt !== undefined) recheckAt = Math.min(recheckAt, pods.recheckAt);
      }
    }
    clearTimeout(recheck);
    // A pod's scheduling grace ends without any watch event: judge again then.
    if (recheckAt !== Infinity) recheck = setTimeout(evaluate, Math.max(recheckAt - now, 0) + 50);
    const states = watched.map(stateOf);
    const done = states.filter((s) => s.done).length;
    const report = states.map((s) => `${s.name}:${s.message}`).join('|');
    if (report !== lastReported) {
      lastReported = report;
      options.onProgress?.({ done, total: watched.length, objects: states });
    }
    const fatal = watched.find((w) => w.verdict.fatal);
    if (fatal)
      settle(
        new WaitFailedError(`${fatal.name}${where(fatal)} failed: ${fatal.verdict.message}`, FAILED_HINT),
      );
    else if (done === watched.length) settle();
  };

  /** What a pod or ReplicaSet event calls: evaluate, at most once every EVALUATE_EVERY_MS. */
  const evaluateSoon = (): void => {
    if (evaluation !== undefined) return;
    const wait = lastEvaluated + EVALUATE_EVERY_MS - Date.now();
    if (wait <= 0) evaluate();
    else evaluation = setTimeout(evaluate, wait);
  };

  /** The rollout rules: a workload's current pods, or a Pod waited on itself, that cannot become ready. */
  const judgePods = (w: Watched, obj: KubeObject, now: number): { failure?: string; recheckAt?: number } => {
    if (apiGroup(obj.apiVersion) === '' && obj.kind === 'Pod') return podFailure(obj, now);
    if (!hasRolloutPods(obj)) return {};
    const namespace = w.target.namespace ?? '';
    const pods = podStores.get(namespace);
    if (!pods) return {};
    const rollout = judgeRollout(obj, {
      pods: [...pods.values()],
      replicaSets: [...(replicaSetStores.get(namespace)?.values() ?? [])],
      now,
      ...(w.quietSince !== undefined ? { quietSince: w.quietSince } : {}),
    });
    if (rollout.terminating) w.quietSince = now;
    return rollout;
  };

  const watches: Promise<void>[] = [];
  for (const members of groups.values()) {
    const { info, namespace } = (members[0] as Watched).target;
    const single = members.length === 1 ? members[0] : undefined;
    watches.push(
      listAndWatch(
        ctx.transport,
        info,
        {
          ...(namespace !== undefined ? { namespace } : {}),
          ...(single ? { fieldSelector: `metadata.name=${single.target.name}` } : {}),
          signal: controller.signal,
        },
        (update, store) => {
          for (const w of members) {
            w.latest = store.get(`${w.target.namespace ?? ''}/${w.target.name}`);
            if (update.type === 'SYNCED') w.synced = true;
          }
          evaluate();
          return false;
        },
      ),
    );
  }
  if (waitFor.type === 'ready') {
    const namespaces = new Set(
      watched.filter((w) => needsEndpointSlices(w.input)).map((w) => w.target.namespace ?? ''),
    );
    if (namespaces.size > 0) {
      const slices = await sliceResource(ctx);
      for (const namespace of namespaces) {
        watches.push(
          ctx.watches.follow(
            slices,
            namespace,
            WHOLE_VIEW,
            (update, store) => {
              if (update.type === 'SYNCED' || sliceStores.has(namespace)) {
                sliceStores.set(namespace, store);
                evaluate();
              }
            },
            controller.signal,
          ),
        );
      }
    }
  }
  if (waitFor.type === 'ready') {
    const rolloutNamespaces = (kind?: string): Set<string> =>
      new Set(
        watched
          .filter((w) => hasRolloutPods(w.input) && (kind === undefined || w.input.kind === kind))
          .map((w) => w.target.namespace ?? ''),
      );
    const podNamespaces = new Set([
      ...rolloutNamespaces(),
      ...watched.filter((w) => isJob(w.input)).map((w) => w.target.namespace ?? ''),
    ]);
    /** A waited Job's pod that succeeded may finish the wait: judged at once, not with the other pods. */
    const finishesJob = (update: WatchUpdate): boolean =>
      update.type !== 'SYNCED' &&
      update.type !== 'DELETED' &&
      watched.some(
        (w) => w.latest && isJob(w.latest) && succeededPodOf(update.object, w.latest.metadata.uid),
      );
    const watchAside = async (
      apiVersion: string,
      kind: string,
      namespaces: Set<string>,
      stores: Map<string, ReadonlyMap<string, KubeObject>>,
    ): Promise<void> => {
      if (namespaces.size === 0) return;
      const info = await ctx.discovery.forKind(apiVersion, kind);
      await Promise.all(
        [...namespaces].map((namespace) =>
          ctx.watches.follow(
            info,
            namespace,
            ROLLOUT_VIEW,
            (update, store) => {
              if (update.type === 'SYNCED' || stores.has(namespace)) {
                stores.set(namespace, store);
                if (finishesJob(update)) evaluate();
                else evaluateSoon();
              }
            },
            controller.signal,
          ),
        ),
      );
    };
    // These only sharpen failures and see a Job's work done before its condition: without them (no right to
    // list pods, say) the wait goes on by the objects' own status.
    watchAside('v1', 'Pod', podNamespaces, podStores).catch(() => {
      podStores.clear();
    });
    watchAside('apps/v1', 'ReplicaSet', rolloutNamespaces('Deployment'), replicaSetStores).catch(() => {
      replicaSetStores.clear();
    });
  }
  for (const w of watches) {
    w.catch((err: unknown) => {
      settle(err instanceof Error ? err : new Error(String(err)));
    });
  }

  const timer = setTimeout(() => {
    void timeoutError(ctx, watched, waitFor, options.statedTimeoutMs ?? options.timeoutMs).then(
      settle,
      settle,
    );
  }, options.timeoutMs);
  try {
    await finished;
  } finally {
    clearTimeout(timer);
    clearTimeout(recheck);
    clearTimeout(evaluation);
    controller.abort();
    options.signal?.removeEventListener('abort', abort);
  }
}

function sliceResource(ctx: KubeContext): Promise<ResourceInfo> {
  return ctx.discovery.forKind('discovery.k8s.io/v1', 'EndpointSlice');
}

function judge(
  obj: KubeObject | undefined,
  waitFor: WaitFor,
  endpointSlices: KubeObject[] | undefined,
): Verdict {
  if (waitFor.type === 'delete')
    return obj ? { done: false, message: 'still exists' } : { done: true, message: 'deleted' };
  if (!obj) return { done: false, message: 'not found' };
  if (waitFor.type === 'condition') {
    const wanted = waitFor.status ?? 'True';
    const c = conditionsOf(obj).find((x) => x.type.toLowerCase() === waitFor.condition.toLowerCase());
    const generation = obj.metadata.generation;
    const observed = (c as { observedGeneration?: number } | undefined)?.observedGeneration;
    const stale = observed !== undefined && generation !== undefined && observed < generation;
    const met = c !== undefined && c.status.toLowerCase() === wanted.toLowerCase() && !stale;
    return { done: met, message: c ? describeCondition(c) : `no ${waitFor.condition} condition` };
  }
  const result = computeStatus(obj, endpointSlices ? { endpointSlices } : {});
  if (result.status === 'Current') return { done: true, message: 'ready' };
  // Failed by the kstatus rules (Stalled=True: a crash-looping or unschedulable Pod, a Deployment past its
  // progress deadline, a CRD whose names were not accepted, a failed Job): waiting longer cannot help.
  if (result.status === 'Failed') return { done: false, fatal: true, message: result.message };
  if (isSuspendedJob(obj)) {
    return {
      done: false,
      fatal: true,
      message: 'the Job is suspended (spec.suspend: true), so it starts no pods until it is resumed',
    };
  }
  return { done: false, message: result.message };
}

function isSuspendedJob(obj: KubeObject): boolean {
  const spec = obj.spec as { suspend?: unknown } | undefined;
  return isJob(obj) && spec?.suspend === true;
}

function stateOf(w: Watched): ObjectState {
  return { name: w.name, namespace: w.target.namespace, done: w.verdict.done, message: w.verdict.message };
}

function where(w: Watched): string {
  return w.target.namespace ? ` in namespace ${w.target.namespace}` : '';
}

function describeCondition(c: { type: string; status: string; reason?: string; message?: string }): string {
  const detail = [c.reason, c.message].filter(Boolean).join(': ');
  return `${c.type}=${c.status}${detail ? ` (${detail})` : ''}`;
}

/** Builds the report: per pending object its status, its conditions that are not True, and recent warnings. */
async function timeoutError(
  ctx: KubeContext,
  watched: readonly Watched[],
  waitFor: WaitFor,
  timeoutMs: number,
): Promise<Error> {
  const pending = watched.filter((w) => !w.verdict.done);
  const parts = await Promise.all(
    pending.map(async (w) => {
      const details = [w.verdict.message];
      if (w.latest && waitFor.type !== 'delete') {
        const failing = conditionsOf(w.latest).filter((c) => c.status !== 'True');
        if (failing.length > 0) details.push(failing.map(describeCondition).join(', '));
        const warnings = await listEvents(ctx, {
          ...(w.target.namespace !== undefined ? { namespace: w.target.namespace } : {}),
          warningsOnly: true,
          relatedTo: [{ kind: w.input.kind, name: w.target.name }],
          limit: 3,
        }).catch(() => []);
        if (warnings.length > 0) {
          details.push(
            `warning events: ${warnings.map((e) => `${e.object} ${e.reason}: ${e.message}`).join(' | ')}`,
          );
        }
      }
      return `${w.name}${where(w)}: ${details.join('; ')}`;
    }),
  );
  const goal =
    waitFor.type === 'ready'
      ? 'ready'
      : waitFor.type === 'delete'
        ? 'deleted'
        : `condition ${waitFor.condition}`;
  return new WaitTimeoutError(
    `timed out after ${Math.round(timeoutMs / 100) / 10}s waiting for ${pending.length} of ${watched.length} objects to be ${goal}: ${parts.join(' / ')}`,
    pending.map(stateOf),
  );
}
