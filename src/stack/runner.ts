import { setMaxListeners } from 'node:events';
import { UserError } from '../errors/index.js';
import { tracked, type EventStream } from '../events/index.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { dependentDepths } from './graph.js';
import { applyOrderNeeds, type PlannedComponent, type SecretToGenerate, type StackPlan } from './plan.js';

/** What the runner needs from a cluster; src/stack/cluster.ts adapts the kube client to it. */
export interface StackTarget {
  /** Server-side apply; returns the objects as the server now has them. */
  apply(objects: readonly KubeObject[], signal: AbortSignal): Promise<KubeObject[]>;
  /** Resolves when every ref is Ready (kstatus); reports the first object still pending as it changes. */
  waitReady(
    refs: readonly ObjectRef[],
    options: { timeoutMs: number; signal: AbortSignal; onPending: (message: string) => void },
  ): Promise<void>;
  /** Creates each object that does not exist yet (another field manager than apply's); leaves existing ones alone. */
  createIfAbsent(objects: readonly KubeObject[], signal: AbortSignal): Promise<void>;
  /** Creates the Secret with random values unless it already exists; never updates it. */
  ensureSecret(secret: SecretToGenerate, signal: AbortSignal): Promise<'created' | 'exists'>;
  /** Deletes this component's Jobs that the plan no longer has (superseded by a changed Job). */
  pruneJobs(
    component: string,
    namespace: string,
    keep: readonly string[],
    signal: AbortSignal,
  ): Promise<void>;
}

export interface RunOptions {
  events?: EventStream;
  /** For the whole run. */
  timeoutMs: number;
  signal?: AbortSignal;
  now?: () => number;
}

export interface ComponentTiming {
  name: string;
  title: string;
  /** When its needs were met and it was applied, relative to the start of the run. */
  startedMs: number;
  /** When it was Ready, relative to the start of the run. */
  readyMs: number;
}

export interface RunResult {
  components: ComponentTiming[];
  totalMs: number;
}

export const STACK_SCOPE = 'stack';

/**
 * Applies each component as soon as every component it needs is Ready, right after the components it
 * comes after, all independent components at once, then waits for its own readiness gates. The first
 * failure stops new work, lets running components end (aborted), and is rethrown; everything applied so
 * far stays, so running again continues from there.
 */
export async function runPlan(plan: StackPlan, target: StackTarget, options: RunOptions): Promise<RunResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + options.timeoutMs;
  const controller = new AbortController();
  // every request of every running component listens on it
  setMaxListeners(0, controller.signal);
  const onAbort = (): void => {
    controller.abort(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const ready = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const timings: ComponentTiming[] = [];
  const pending = new Map(plan.components.map((c) => [c.name, c]));
  const depths = dependentDepths(plan.components.map((c) => ({ name: c.name, needs: applyOrderNeeds(c) })));
  let failure: Error | undefined;
  /** The title of the component whose failure stopped the others (they say so instead of its error). */
  let failedBy: string | undefined;

  const waitingFor = (c: PlannedComponent): string[] => [
    ...c.needs.filter((n) => !ready.has(n)),
    // what it comes after only has to be under way: its pods wait for that one inside the cluster
    ...c.after.filter((n) => pending.has(n) && !c.needs.includes(n)),
  ];
  const announced = new Map<string, string>();
  const announce = (): void => {
    for (const c of pending.values()) {
      const missing = waitingFor(c);
      const message = `waiting for ${missing.join(', ')}`;
      if (missing.length === 0 || announced.get(c.name) === message) continue;
      announced.set(c.name, message);
      options.events?.emit({ scope: STACK_SCOPE, id: c.name, title: c.title, phase: 'progress', message });
    }
  };

  const launch = (c: PlannedComponent): void => {
    pending.delete(c.name);
    const begun = now();
    const work = tracked(options.events, STACK_SCOPE, c.name, c.title, (progress) =>
      deploy(c, target, { progress, signal: controller.signal, timeoutMs: () => deadline - now() }).catch(
        (err: unknown) => {
          if (failedBy !== undefined && controller.signal.aborted)
            throw new Error(`stopped: ${failedBy} failed`);
          throw err;
        },
      ),
    ).then(
      () => {
        ready.add(c.name);
        timings.push({ name: c.name, title: c.title, startedMs: begun - started, readyMs: now() - started });
      },
      (err: unknown) => {
        // after an interruption every running component fails with the abort; that is not the cause
        if (!options.signal?.aborted && failure === undefined) {
          failure = err instanceof Error ? err : new Error(String(err));
          failedBy = c.title;
        }
        controller.abort(err);
      },
    );
    running.set(
      c.name,
      work.finally(() => running.delete(c.name)),
    );
  };

  try {
    announce();
    while (!controller.signal.aborted) {
      // Longest chain of dependents first: its objects reach the API server (and the scheduler) first.
      // Launching one can make what comes after it startable at once, hence the inner loop.
      const startable = (): PlannedComponent[] =>
        [...pending.values()]
          .filter((c) => waitingFor(c).length === 0)
          .sort((a, b) => (depths.get(b.name) ?? 0) - (depths.get(a.name) ?? 0));
      for (let next = startable(); next.length > 0; next = startable()) for (const c of next) launch(c);
      if (running.size === 0) break;
      await Promise.race(running.values());
      announce();
    }
    await Promise.allSettled(running.values());
    for (const c of pending.values()) {
      const message =
        failure !== undefined ? 'not started: an earlier component failed' : 'not started: interrupted';
      options.events?.emit({
        scope: STACK_SCOPE,
        id: c.name,
        title: c.title,
        phase: 'end',
        outcome: 'skipped',
        message,
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (failure !== undefined) throw failure;
  if (options.signal?.aborted) throw abortError(options.signal);
  return { components: timings, totalMs: now() - started };
}

async function deploy(
  c: PlannedComponent,
  target: StackTarget,
  ctx: { progress: (message: string) => void; signal: AbortSignal; timeoutMs: () => number },
): Promise<void> {
  for (const secret of c.secrets) {
    const outcome = await target.ensureSecret(secret, ctx.signal);
    if (outcome === 'created') ctx.progress(`generated Secret ${secret.name}`);
  }
  if (c.seeds.length > 0) await target.createIfAbsent(c.seeds, ctx.signal);
  if (c.objects.length > 0) {
    ctx.progress(`applying ${c.objects.length} object${c.objects.length === 1 ? '' : 's'}`);
    await target.apply(c.objects, ctx.signal);
  }
  if (c.gates.length > 0) {
    let last = '';
    await target.waitReady(c.gates, {
      timeoutMs: Math.max(ctx.timeoutMs(), 1),
      signal: ctx.signal,
      onPending: (message) => {
        if (message !== last) ctx.progress(message);
        last = message;
      },
    });
  }
  const jobs = c.objects.filter((o) => o.kind === 'Job');
  const namespaces = new Set(jobs.map((j) => j.metadata.namespace ?? ''));
  for (const namespace of namespaces) {
    const keep = jobs.filter((j) => j.metadata.namespace === namespace).map((j) => j.metadata.name ?? '');
    await target.pruneJobs(c.name, namespace, keep, ctx.signal);
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new UserError('interrupted', 'run the same command again: it continues where this one stopped', 130);
}
