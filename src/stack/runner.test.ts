import { describe, expect, it } from 'vitest';
import { EventStream, type RunEvent } from '../events/index.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import type { PlannedComponent, StackPlan } from './plan.js';
import { runPlan, type StackTarget } from './runner.js';

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'demo' },
});

function component(
  name: string,
  needs: string[] = [],
  extra: Partial<PlannedComponent> = {},
): PlannedComponent {
  const obj = deployment(name);
  return {
    name,
    title: name,
    needs,
    after: [],
    wave: 0,
    objects: [obj],
    secrets: [],
    gates: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: 'demo' }],
    seeds: [],
    ...extra,
  };
}

function plan(components: PlannedComponent[]): StackPlan {
  return {
    components,
    waves: [],
    namespaces: { stack: 'demo', monitoring: 'demo-mon', owned: [] },
    storage: { persistent: false },
    boinc: { enabled: false, attached: false, projectUrl: '' },
    leftOut: [],
    notes: [],
  };
}

/**
 * A cluster double that records calls and makes each gate Ready when the test says so (or at once), so
 * the order and overlap of the runner's work can be checked exactly.
 */
class FakeTarget implements StackTarget {
  readonly log: string[] = [];
  readonly waiting = new Map<string, { resolve: () => void; reject: (err: Error) => void }>();
  maxWaiting = 0;
  constructor(private readonly manual = new Set<string>()) {}

  apply(objects: readonly KubeObject[]): Promise<KubeObject[]> {
    this.log.push(`apply ${objects.map((o) => o.metadata.name).join(',')}`);
    return Promise.resolve([...objects]);
  }

  waitReady(
    refs: readonly ObjectRef[],
    options: { signal: AbortSignal; onPending: (m: string) => void },
  ): Promise<void> {
    const name = refs[0]?.name ?? '';
    options.onPending(`waiting for deployment/${name}`);
    if (!this.manual.has(name)) {
      this.log.push(`ready ${name}`);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiting.set(name, {
        resolve: () => {
          this.log.push(`ready ${name}`);
          this.waiting.delete(name);
          resolve();
        },
        reject,
      });
      this.maxWaiting = Math.max(this.maxWaiting, this.waiting.size);
      options.signal.addEventListener('abort', () => {
        reject(new Error(`aborted ${name}`));
      });
    });
  }

  createIfAbsent(objects: readonly KubeObject[]): Promise<void> {
    this.log.push(`seed ${objects.map((o) => o.metadata.name).join(',')}`);
    return Promise.resolve();
  }

  ensureSecret(secret: { name: string }): Promise<'created' | 'exists'> {
    this.log.push(`secret ${secret.name}`);
    return Promise.resolve('created');
  }

  pruneJobs(component: string, _namespace: string, keep: readonly string[]): Promise<void> {
    this.log.push(`prune ${component} keep ${keep.join(',')}`);
    return Promise.resolve();
  }
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function recorder(): { events: EventStream; seen: RunEvent[] } {
  const events = new EventStream();
  const seen: RunEvent[] = [];
  events.subscribe((e) => seen.push(e));
  return { events, seen };
}

describe('stack runner', () => {
  it('starts the longest chain of dependents first among components ready together', async () => {
    const target = new FakeTarget(new Set(['agents', 'db', 'router', 'app']));
    const p = plan([
      component('base'),
      component('agents', ['base']),
      component('db', ['base']),
      component('router', ['db']),
      component('app', ['router']),
    ]);
    const run = runPlan(p, target, { timeoutMs: 60_000 });
    await settle();
    expect(target.log).toEqual(['apply base', 'ready base', 'apply db', 'apply agents']);
    for (const name of ['agents', 'db']) target.waiting.get(name)?.resolve();
    await settle();
    target.waiting.get('router')?.resolve();
    await settle();
    target.waiting.get('app')?.resolve();
    await run;
  });

  it('applies a component only when everything it needs is Ready, and independent ones together', async () => {
    const target = new FakeTarget(new Set(['a', 'b', 'c']));
    const p = plan([
      component('base'),
      component('a', ['base']),
      component('b', ['base']),
      component('c', ['a', 'b']),
    ]);
    const run = runPlan(p, target, { timeoutMs: 60_000 });
    await settle();
    expect(target.log).toEqual(['apply base', 'ready base', 'apply a', 'apply b']);
    expect([...target.waiting.keys()]).toEqual(['a', 'b']);
    target.waiting.get('a')?.resolve();
    await settle();
    expect(target.log).not.toContain('apply c');
    target.waiting.get('b')?.resolve();
    await settle();
    expect(target.log.slice(-2)).toEqual(['ready b', 'apply c']);
    target.waiting.get('c')?.resolve();
    const result = await run;
    expect(result.components.map((c) => c.name)).toEqual(['base', 'a', 'b', 'c']);
    expect(target.maxWaiting).toBe(2);
  });

  it('applies a component right after those it comes after, without waiting for them to be Ready', async () => {
    const { events, seen } = recorder();
    const target = new FakeTarget(new Set(['db', 'db-init', 'app']));
    const p = plan([
      component('base'),
      component('db', ['base']),
      component('db-init', ['base'], { after: ['db'] }),
      component('app', ['base'], { after: ['db-init'] }),
      component('background', ['app']),
    ]);
    const run = runPlan(p, target, { timeoutMs: 60_000, events });
    await settle();
    // the whole chain is in the cluster at once, each waiting for its own pods
    expect(target.log).toEqual(['apply base', 'ready base', 'apply db', 'apply db-init', 'apply app']);
    expect([...target.waiting.keys()]).toEqual(['db', 'db-init', 'app']);
    target.waiting.get('app')?.resolve();
    await settle();
    // Ready is still each component's own: what needs app starts once app is Ready, not before
    expect(target.log.slice(-3)).toEqual(['ready app', 'apply background', 'ready background']);
    for (const name of ['db', 'db-init']) target.waiting.get(name)?.resolve();
    await run;
    const waits = seen.filter((e) => e.id === 'app' && e.phase === 'progress').map((e) => e.message);
    expect(waits[0]).toBe('waiting for base, db-init');
  });

  it('stops a chain applied together at the first failure in it', async () => {
    const target = new FakeTarget(new Set(['db', 'app']));
    const run = runPlan(plan([component('db'), component('app', [], { after: ['db'] })]), target, {
      timeoutMs: 60_000,
    });
    await settle();
    expect([...target.waiting.keys()]).toEqual(['db', 'app']);
    target.waiting.get('db')?.reject(new Error('db failed: ImagePullBackOff'));
    await expect(run).rejects.toThrow('db failed: ImagePullBackOff');
    expect(target.log).not.toContain('ready app');
  });

  it('says what each pending component waits for, and reports progress and the end of each', async () => {
    const { events, seen } = recorder();
    await runPlan(plan([component('base'), component('app', ['base'])]), new FakeTarget(), {
      timeoutMs: 60_000,
      events,
    });
    const app = seen
      .filter((e) => e.id === 'app')
      .map((e) => `${e.phase}${e.message ? `: ${e.message}` : ''}${e.outcome ? ` ${e.outcome}` : ''}`);
    expect(app).toEqual([
      'progress: waiting for base',
      'start',
      'progress: applying 1 object',
      'progress: waiting for deployment/app',
      'end ok',
    ]);
  });

  it('generates secrets and creates seeds before the apply, and prunes superseded Jobs after Ready', async () => {
    const target = new FakeTarget();
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'init-abc123', namespace: 'demo' },
    };
    const c = component('app', [], {
      objects: [deployment('app'), job],
      secrets: [{ name: 'app-secret', namespace: 'demo', literals: {}, generate: ['token'], labels: {} }],
      seeds: [deployment('app')],
    });
    await runPlan(plan([c]), target, { timeoutMs: 60_000 });
    expect(target.log).toEqual([
      'secret app-secret',
      'seed app',
      'apply app,init-abc123',
      'ready app',
      'prune app keep init-abc123',
    ]);
  });

  it('stops at the first failure: running components are aborted, the rest never start', async () => {
    const { events, seen } = recorder();
    const target = new FakeTarget(new Set(['a', 'b']));
    const p = plan([component('a'), component('b'), component('after-a', ['a'])]);
    const run = runPlan(p, target, { timeoutMs: 60_000, events });
    await settle();
    target.waiting.get('a')?.reject(new Error('mongo-config-init failed: BackoffLimitExceeded'));
    await expect(run).rejects.toThrow('mongo-config-init failed: BackoffLimitExceeded');
    expect(target.log).not.toContain('apply after-a');
    const ends = seen.filter((e) => e.phase === 'end').map((e) => `${e.id} ${e.outcome ?? ''}`);
    expect(ends).toEqual(expect.arrayContaining(['a failed', 'b failed', 'after-a skipped']));
    // The components stopped by a's failure say so, not a's error as if it were their own.
    const endOf = (id: string) => seen.find((e) => e.phase === 'end' && e.id === id)?.message;
    expect(endOf('a')).toBe('mongo-config-init failed: BackoffLimitExceeded');
    expect(endOf('b')).toBe('stopped: a failed');
  });

  it('ends with the interruption when its signal aborts, leaving what was applied in place', async () => {
    const { events, seen } = recorder();
    const target = new FakeTarget(new Set(['a']));
    const interrupt = new AbortController();
    const run = runPlan(plan([component('a'), component('b', ['a'])]), target, {
      timeoutMs: 60_000,
      events,
      signal: interrupt.signal,
    });
    await settle();
    interrupt.abort(new Error('interrupted'));
    await expect(run).rejects.toThrow('interrupted');
    expect(target.log).toEqual(['apply a']);
    expect(seen.find((e) => e.id === 'b' && e.phase === 'end')).toMatchObject({
      outcome: 'skipped',
      message: 'not started: interrupted',
    });
  });

  it('times each component from its apply to its readiness, relative to the start of the run', async () => {
    let now = 1000;
    const target = new FakeTarget(new Set(['slow']));
    const run = runPlan(plan([component('slow'), component('next', ['slow'])]), target, {
      timeoutMs: 60_000,
      now: () => now,
    });
    await settle();
    now = 3500;
    target.waiting.get('slow')?.resolve();
    const result = await run;
    expect(result.components).toEqual([
      { name: 'slow', title: 'slow', startedMs: 0, readyMs: 2500 },
      { name: 'next', title: 'next', startedMs: 2500, readyMs: 2500 },
    ]);
    expect(result.totalMs).toBe(2500);
  });
});
