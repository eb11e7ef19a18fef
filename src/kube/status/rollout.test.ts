import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import { SCHEDULE_WINDOW_MS } from './core.js';
import {
  CRASH_LOOP_RESTARTS,
  currentPods,
  IMAGE_PULL_GRACE_MS,
  judgeRollout,
  podFailure,
  rolloutFields,
} from './rollout.js';

const NOW = Date.parse('2025-01-01T00:10:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const owner = (kind: string, uid: string) => [
  { apiVersion: 'apps/v1', kind, name: uid, uid, controller: true },
];

const deployment = (observed = 2): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', uid: 'deploy', generation: 2 },
  status: { observedGeneration: observed },
});

const replicaSet = (uid: string, revision: number, ownerUid = 'deploy'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `web-${uid}`,
    uid,
    annotations: { 'deployment.kubernetes.io/revision': String(revision) },
    labels: { 'pod-template-hash': uid },
    ownerReferences: owner('Deployment', ownerUid),
  },
});

const crashLooping = (restarts: number, message = 'parse error'): object => ({
  containerStatuses: [
    {
      name: 'app',
      restartCount: restarts,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', message } },
    },
  ],
  phase: 'Running',
});
const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
const unschedulable = {
  phase: 'Pending',
  conditions: [
    {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
    },
  ],
};

const pod = (
  name: string,
  ownerUid: string,
  status: object,
  meta: Partial<KubeObject['metadata']> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    uid: `uid-${name}`,
    creationTimestamp: ago(60_000),
    ownerReferences: owner('ReplicaSet', ownerUid),
    ...meta,
  },
  status,
});

const judge = (pods: KubeObject[], extra: { quietSince?: number; observed?: number } = {}) =>
  judgeRollout(deployment(extra.observed), {
    replicaSets: [replicaSet('old', 1), replicaSet('new', 2), replicaSet('other', 9, 'someone-else')],
    pods,
    now: NOW,
    ...(extra.quietSince !== undefined ? { quietSince: extra.quietSince } : {}),
  });

describe('the pods of a Deployment rollout', () => {
  it('a crash-looping pod of the newest ReplicaSet fails it, naming the pod, restarts and last exit', () => {
    const result = judge([pod('web-new-a', 'new', running), pod('web-new-b', 'new', crashLooping(3))]);
    expect(result.failure).toBe(
      'pod web-new-b: container app is crash-looping (3 restarts; last exit 1 (Error): parse error)',
    );
  });

  it(`up to ${CRASH_LOOP_RESTARTS - 1} restart is tolerated (a start racing a dependency)`, () => {
    expect(judge([pod('web-new-a', 'new', crashLooping(CRASH_LOOP_RESTARTS - 1))]).failure).toBeUndefined();
    expect(judge([pod('web-new-a', 'new', crashLooping(CRASH_LOOP_RESTARTS))]).failure).toContain(
      'crash-looping',
    );
  });

  it("pods of older ReplicaSets and of another owner's do not fail it", () => {
    const result = judge([
      pod('web-old-a', 'old', crashLooping(9)),
      pod('web-other-a', 'other', crashLooping(9)),
      pod('web-new-a', 'new', running),
    ]);
    expect(result).toEqual({ terminating: false });
  });

  it('nothing is judged until the controller has observed the latest spec (its newest ReplicaSet may be the old one)', () => {
    expect(judge([pod('web-new-a', 'new', crashLooping(9))], { observed: 1 }).failure).toBeUndefined();
    expect(
      currentPods(deployment(1), [replicaSet('new', 2)], [pod('web-new-a', 'new', running)]),
    ).toBeUndefined();
  });

  it('an image that cannot be pulled fails it with the kubelet message', () => {
    const status = {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'app',
          restartCount: 0,
          state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' } },
        },
      ],
    };
    expect(judge([pod('web-new-a', 'new', status)]).failure).toBe(
      'pod web-new-a: container app cannot pull its image (ImagePullBackOff: Back-off pulling image "nope:1")',
    );
  });

  it('a pull failing for less than the grace may be a registry blip: judged again when the grace ends', () => {
    const status = {
      phase: 'Pending',
      containerStatuses: [{ name: 'app', restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } }],
    };
    const young = pod('web-new-a', 'new', status, { creationTimestamp: ago(10_000) });
    expect(judge([young])).toEqual({ recheckAt: NOW - 10_000 + IMAGE_PULL_GRACE_MS, terminating: false });
  });

  it('a preemptor waiting for its victims to go (nominated node) is not failed as unschedulable', () => {
    const preemptor = pod('web-new-a', 'new', { ...unschedulable, nominatedNodeName: 'node-1' });
    expect(judge([preemptor]).failure).toBeUndefined();
    expect(judge([preemptor]).recheckAt).toBe(NOW + SCHEDULE_WINDOW_MS);
  });

  it('an init container crash-looping counts too', () => {
    const status = {
      phase: 'Pending',
      initContainerStatuses: (crashLooping(4) as { containerStatuses: unknown }).containerStatuses,
    };
    expect(judge([pod('web-new-a', 'new', status)]).failure).toContain('container app is crash-looping');
  });

  it('unschedulable past the scheduling window fails it with the scheduler message; within it, asks to be judged again', () => {
    expect(judge([pod('web-new-a', 'new', unschedulable)]).failure).toBe(
      "pod web-new-a cannot be scheduled (Unschedulable for 60s: 0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.)",
    );
    const young = pod('web-new-a', 'new', unschedulable, { creationTimestamp: ago(5_000) });
    expect(judge([young])).toEqual({ recheckAt: NOW - 5_000 + SCHEDULE_WINDOW_MS, terminating: false });
  });

  it('while a pod of the Deployment terminates (room may come free), unschedulable waits a window from then', () => {
    const leaving = pod('web-old-a', 'old', running, { deletionTimestamp: ago(1_000) });
    expect(judge([leaving, pod('web-new-a', 'new', unschedulable)])).toEqual({
      recheckAt: NOW + SCHEDULE_WINDOW_MS,
      terminating: true,
    });
    expect(judge([pod('web-new-a', 'new', unschedulable)], { quietSince: NOW - 2_000 }).recheckAt).toBe(
      NOW - 2_000 + SCHEDULE_WINDOW_MS,
    );
  });

  it('a termination message over several lines becomes one bounded line', () => {
    const long = `line one\n${'x'.repeat(1000)}\nline three`;
    const failure = judge([pod('web-new-a', 'new', crashLooping(5, long))]).failure ?? '';
    expect(failure).not.toContain('\n');
    expect(failure).toContain('line one x');
    expect(failure.length).toBeLessThan(450);
  });
});

describe('the current pods of a StatefulSet and a DaemonSet', () => {
  const stsPod = (name: string, revision: string, status: object): KubeObject =>
    pod(name, 'sts', status, {
      ownerReferences: owner('StatefulSet', 'sts'),
      labels: { 'controller-revision-hash': revision },
    });
  const sts: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', uid: 'sts', generation: 3 },
    status: { observedGeneration: 3, updateRevision: 'db-new', currentRevision: 'db-old' },
  };

  it('StatefulSet: the pods at status.updateRevision', () => {
    const pods = [stsPod('db-0', 'db-old', crashLooping(9)), stsPod('db-1', 'db-new', crashLooping(3))];
    expect(currentPods(sts, [], pods)?.map((p) => p.metadata.name)).toEqual(['db-1']);
    expect(judgeRollout(sts, { replicaSets: [], pods, now: NOW }).failure).toContain('pod db-1:');
    expect(
      judgeRollout(sts, { replicaSets: [], pods: [pods[0] as KubeObject], now: NOW }).failure,
    ).toBeUndefined();
  });

  it('DaemonSet: the pods of the template generation the API server recorded', () => {
    const ds: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: 'agent',
        uid: 'ds',
        generation: 4,
        annotations: { 'deprecated.daemonset.template.generation': '4' },
      },
      status: { observedGeneration: 4 },
    };
    const dsPod = (name: string, generation: string): KubeObject =>
      pod(name, 'ds', unschedulable, {
        ownerReferences: owner('DaemonSet', 'ds'),
        labels: { 'pod-template-generation': generation },
      });
    const pods = [dsPod('agent-a', '3'), dsPod('agent-b', '4')];
    expect(currentPods(ds, [], pods)?.map((p) => p.metadata.name)).toEqual(['agent-b']);
    expect(judgeRollout(ds, { replicaSets: [], pods, now: NOW }).failure).toContain(
      'pod agent-b cannot be scheduled',
    );
  });
});

describe('a Pod on its own', () => {
  it('is judged by the same rules', () => {
    expect(podFailure(pod('p', 'x', crashLooping(2)), NOW).failure).toContain('crash-looping');
    expect(podFailure(pod('p', 'x', running), NOW)).toEqual({});
  });

  it('watches keep only the fields the rules read', () => {
    const full = pod('p', 'new', { ...crashLooping(2), podIP: '10.0.0.1', hostIP: '10.0.0.2' });
    const kept = rolloutFields({ ...full, spec: { containers: [{ name: 'app', image: 'x' }] } });
    expect(kept.spec).toBeUndefined();
    expect(kept.status).not.toHaveProperty('podIP');
    expect(judge([kept]).failure).toContain('crash-looping');
  });
});
