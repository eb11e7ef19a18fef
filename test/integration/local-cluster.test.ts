import { describe, expect, it } from 'vitest';
import { isOneLineError, runCli } from '../helpers/cli.js';
import { kubectl, testEnv, uniqueName, useNamespace } from './harness.js';

interface PodList {
  items: {
    metadata: { name: string };
    spec: { nodeName?: string; priorityClassName?: string };
    status: { conditions?: { type: string; status: string }[]; nominatedNodeName?: string };
  }[];
}

const pods = async (ns: string, selector: string): Promise<PodList> =>
  JSON.parse(await kubectl(['get', 'pods', '-n', ns, '-l', selector, '-o', 'json'])) as PodList;

const ready = (pod: PodList['items'][number]): boolean =>
  pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('local cluster: a real control plane on simulated nodes', () => {
  const ns = useNamespace('cluster');

  it('runs a Deployment of 3 replicas as 3 Ready pods placed by the scheduler on kwok nodes', async () => {
    await kubectl(['create', 'deployment', 'web', '-n', ns.name, '--image=nginx', '--replicas=3']);
    await kubectl(['rollout', 'status', 'deployment/web', '-n', ns.name, '--timeout=60s']);
    const list = await pods(ns.name, 'app=web');
    expect(list.items).toHaveLength(3);
    expect(list.items.every(ready)).toBe(true);
    const nodes = JSON.parse(await kubectl(['get', 'nodes', '-o', 'json'])) as {
      items: { metadata: { name: string; annotations?: Record<string, string> } }[];
    };
    const kwokNodes = new Set(
      nodes.items
        .filter((n) => n.metadata.annotations?.['kwok.x-k8s.io/node'] === 'fake')
        .map((n) => n.metadata.name),
    );
    for (const pod of list.items) expect(kwokNodes.has(pod.spec.nodeName ?? '')).toBe(true);
  });

  it('completes a Job with completions: 2', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'twice', namespace: ns.name },
      spec: {
        completions: 2,
        parallelism: 1,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      },
    };
    await kubectl(['apply', '-f', '-'], JSON.stringify(job));
    await kubectl(['wait', '-n', ns.name, '--for=condition=Complete', 'job/twice', '--timeout=60s']);
    const status = JSON.parse(await kubectl(['get', 'job', 'twice', '-n', ns.name, '-o', 'json'])) as {
      status: { succeeded?: number };
    };
    expect(status.status.succeeded).toBe(2);
  });

  it('preempts a low-priority pod to schedule a high-priority one on a full node', async () => {
    const node = uniqueName('preempt');
    const low = uniqueName('low');
    const high = uniqueName('high');
    const taint = { key: 'cncfdemo.io/test', value: node, effect: 'NoSchedule' };
    const placement = {
      nodeSelector: { 'kubernetes.io/hostname': node },
      tolerations: [{ key: taint.key, operator: 'Equal', value: node, effect: 'NoSchedule' }],
    };
    const pod = (name: string, priorityClassName: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns.name, labels: { tier: priorityClassName } },
      spec: {
        ...placement,
        priorityClassName,
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }],
      },
    });
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: node,
          annotations: { 'kwok.x-k8s.io/node': 'fake' },
          labels: { 'kubernetes.io/hostname': node, type: 'kwok' },
        },
        spec: { taints: [taint] },
        status: {
          allocatable: { cpu: '2', memory: '4Gi', pods: '10' },
          capacity: { cpu: '2', memory: '4Gi', pods: '10' },
        },
      },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: low }, value: 10 },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: high }, value: 1000 },
    ];
    try {
      await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
      await kubectl(['wait', '--for=condition=Ready', `node/${node}`, '--timeout=60s']);
      const fillers = [pod('filler-1', low), pod('filler-2', low)];
      await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: fillers }));
      await kubectl([
        'wait',
        '-n',
        ns.name,
        '--for=condition=Ready',
        'pod/filler-1',
        'pod/filler-2',
        '--timeout=60s',
      ]);

      await kubectl(['apply', '-f', '-'], JSON.stringify(pod('important', high)));
      await kubectl(['wait', '-n', ns.name, '--for=condition=Ready', 'pod/important', '--timeout=90s']);

      const important = (await pods(ns.name, `tier=${high}`)).items[0];
      expect(important?.spec.nodeName).toBe(node);
      const survivors = (await pods(ns.name, `tier=${low}`)).items.filter(ready);
      expect(survivors).toHaveLength(1);
      const events = await kubectl([
        'get',
        'events',
        '-n',
        ns.name,
        '--field-selector',
        'reason=Preempted',
        '-o',
        'name',
      ]);
      expect(events.trim().split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(1);
    } finally {
      await kubectl(['delete', 'node', node, '--wait=false']);
      await kubectl(['delete', 'priorityclass', low, high, '--wait=false']);
    }
  });

  it('serves emulated pod usage to metrics-server so a HorizontalPodAutoscaler scales up', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'busy', namespace: ns.name },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'busy' } },
        template: {
          metadata: {
            labels: { app: 'busy' },
            // kwok reports these as the pod's usage: 4x the request, far above the HPA target.
            annotations: { 'kwok.x-k8s.io/usage-cpu': '400m', 'kwok.x-k8s.io/usage-memory': '64Mi' },
          },
          spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }] },
        },
      },
    };
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'busy', namespace: ns.name },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'busy' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
    };
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment, hpa] }),
    );
    await kubectl([
      'wait',
      '-n',
      ns.name,
      '--for=jsonpath={.status.replicas}=3',
      'deployment/busy',
      '--timeout=150s',
    ]);
    const status = JSON.parse(await kubectl(['get', 'hpa', 'busy', '-n', ns.name, '-o', 'json'])) as {
      status: { currentMetrics?: { resource?: { current?: { averageUtilization?: number } } }[] };
    };
    expect(status.status.currentMetrics?.[0]?.resource?.current?.averageUtilization).toBeGreaterThanOrEqual(
      300,
    );
  });

  it('refuses to create a cluster that already exists, with a one-line error', async () => {
    const result = await runCli(['cluster', 'create', '--name', 'test'], testEnv());
    expect(result.code).not.toBe(0);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('cluster "test" already exists');
  });
});
