import { describe, expect, it } from 'vitest';
import { isOneLineError, runCli } from '../helpers/cli.js';
import { connect } from '../../src/api/kube.js';
import { kubectl, testCluster, testEnv, useNamespace } from './harness.js';

// kstatus calls these Deployments merely InProgress; the wait looks at the pods of their current
// ReplicaSet and ends within seconds, with the reason, instead of at its timeout.

const deployment = (name: string, podSpec: Record<string, unknown> = {}, annotations = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name }, annotations },
      spec: { containers: [{ name: 'app', image: 'nginx' }], ...podSpec },
    },
  },
});

/** Polls kubectl until `jsonpath` of the object prints `expected` (the test's own setup, not the wait). */
async function until(ns: string, ref: string, jsonpath: string, expected: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await kubectl(['get', ref, '-n', ns, '-o', `jsonpath=${jsonpath}`]);
    if (value === expected) return;
    if (Date.now() > deadline) throw new Error(`${ref} ${jsonpath} is ${value}, not ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('wait on a rollout whose current pods cannot become ready', () => {
  const ns = useNamespace('rollout');
  const cli = (args: string[], stdin?: string) => runCli([...args, '-n', ns.name], testEnv(), stdin);

  it('pods that can never be scheduled (of a Deployment, of a StatefulSet) end the wait after the scheduling window, naming the pod and the scheduler message', async () => {
    const nowhere = deployment('nowhere', { nodeSelector: { 'cncfdemo.test/no-such-node': 'true' } });
    expect((await cli(['apply', '-f', '-'], JSON.stringify(nowhere))).code).toBe(0);
    const db = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'nowhere-db' },
      spec: { ...nowhere.spec, serviceName: 'nowhere-db' },
    };
    expect((await cli(['apply', '-f', '-'], JSON.stringify(db))).code).toBe(0);
    const started = Date.now();
    const [result, statefulSet] = await Promise.all([
      cli(['wait', 'deploy/nowhere', '--for=ready', '--timeout=120s']),
      cli(['wait', 'sts/nowhere-db', '--for=ready', '--timeout=120s']),
    ]);
    const elapsed = Date.now() - started;
    expect(statefulSet.stderr).toContain(
      `statefulset.apps/nowhere-db in namespace ${ns.name} failed: pod nowhere-db-0 cannot be scheduled`,
    );
    expect(result.code).toBe(1);
    expect(isOneLineError(result.stderr), result.stderr).toBe(true);
    expect(result.stderr).toMatch(
      new RegExp(
        `deployment\\.apps/nowhere in namespace ${ns.name} failed: pod nowhere-[a-z0-9]+-[a-z0-9]+ cannot be scheduled \\(Unschedulable for 1\\ds: 0/\\d+ nodes are available: .*didn't match Pod's node affinity/selector`,
      ),
    );
    expect(elapsed).toBeLessThan(30_000);
  });

  it('a crash-looping pod of the current ReplicaSet ends `wait` at once with its restarts and last exit; a healthy rollout past it still passes', async () => {
    const client = await connect({ kubeconfig: testCluster().kubeconfig, namespace: ns.name });
    try {
      const crashy = deployment('crashy');
      expect((await cli(['apply', '-f', '-'], JSON.stringify(crashy))).code).toBe(0);
      await client.waitReady([crashy], { timeoutMs: 60_000 });
      const pod = (await kubectl(['get', 'pods', '-n', ns.name, '-l', 'app=crashy', '-o', 'name'])).trim();
      // What a kubelet reports for a container whose command fails at start (kwok plays the kubelet and
      // leaves a pod alone once it has an IP).
      const status = {
        status: {
          conditions: [
            { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
            { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady' },
            { type: 'PodScheduled', status: 'True' },
          ],
          containerStatuses: [
            {
              name: 'app',
              image: 'nginx',
              imageID: '',
              ready: false,
              restartCount: 4,
              state: {
                waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
              },
              lastState: {
                terminated: {
                  exitCode: 2,
                  reason: 'Error',
                  message: 'error loading config file\n"/etc/app.yml"',
                },
              },
            },
          ],
        },
      };
      await kubectl([
        'patch',
        pod,
        '-n',
        ns.name,
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify(status),
      ]);
      await until(ns.name, 'deploy/crashy', '{.status.readyReplicas}', '');

      const started = Date.now();
      const result = await cli(['wait', 'deploy/crashy', '--for=ready', '--timeout=120s']);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.code).toBe(1);
      expect(isOneLineError(result.stderr), result.stderr).toBe(true);
      expect(result.stderr).toContain(
        `deployment.apps/crashy in namespace ${ns.name} failed: ${pod.replace('/', ' ')}: container app is crash-looping (4 restarts; last exit 2 (Error): error loading config file "/etc/app.yml")`,
      );

      // A new template: the crash-looping pod now belongs to the old ReplicaSet, and the rollout succeeds.
      const fixed = deployment('crashy', {}, { 'cncfdemo.test/fixed': 'yes' });
      expect((await cli(['apply', '-f', '-'], JSON.stringify(fixed))).code).toBe(0);
      const healthy = await cli(['wait', 'deploy/crashy', '--for=ready', '--timeout=60s']);
      expect(healthy, healthy.stderr).toMatchObject({ code: 0, stdout: 'deployment.apps/crashy ready\n' });
    } finally {
      client.close();
    }
  });
});

describe('wait for a Job to be ready', () => {
  const ns = useNamespace('job-ready');

  it("ends when the Job's pod has succeeded, before the Job controller's batched sync marks it Complete", async () => {
    const client = await connect({ kubeconfig: testCluster().kubeconfig, namespace: ns.name });
    try {
      const job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'one-shot' },
        spec: {
          completions: 1,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
        },
      };
      await client.apply([job]);
      let last = '';
      await client.waitReady([job], {
        timeoutMs: 60_000,
        onProgress: (p) => {
          last = p.objects[0]?.message ?? '';
        },
      });
      const phases = await kubectl(['get', 'pods', '-n', ns.name, '-o', 'jsonpath={.items[*].status.phase}']);
      expect(phases).toBe('Succeeded');
      expect(last).toMatch(/^its pods succeeded/);
      // The condition follows: the same wait for it as kubectl's ends too.
      await client.waitFor([job], { type: 'condition', condition: 'Complete' }, { timeoutMs: 30_000 });
    } finally {
      client.close();
    }
  });
});
