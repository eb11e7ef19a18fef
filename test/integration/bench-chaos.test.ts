import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPodKill } from '../../src/bench/chaos/pod-kill.js';
import { connect, type KubeClient } from '../../src/kube/index.js';
import { kubectl, testCluster, testEnv, useNamespace } from './harness.js';

const ns = useNamespace('chaos');
let client: KubeClient;

beforeAll(async () => {
  const { kubeconfig, context } = testCluster();
  client = await connect({ env: testEnv(), kubeconfig, context });
  const api = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'countly-api', namespace: ns.name },
    spec: {
      replicas: 3,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'countly-api' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'countly-api' } },
        spec: { containers: [{ name: 'api', image: 'countly/api:24.05' }] },
      },
    },
  };
  await kubectl(['apply', '-f', '-'], JSON.stringify(api));
  await kubectl(['rollout', 'status', '-n', ns.name, 'deployment/countly-api', '--timeout=60s']);
});
afterAll(() => {
  client.close();
});

const target = () => ({
  namespace: ns.name,
  workload: 'deployment/countly-api',
  labelSelector: 'app.kubernetes.io/name=countly-api',
});

describe('chaos pod-kill on simulated nodes', () => {
  it('kills one ready pod per interval and times the replica count coming back', async () => {
    const before = (await kubectl(['get', 'pods', '-n', ns.name, '-o', 'name'])).trim().split('\n');
    const chaos = startPodKill(client, { action: 'pod-kill', intervalSeconds: 1, seed: 42 }, target());
    await new Promise((r) => setTimeout(r, 3500));
    const record = await chaos.stop();

    expect(record.target).toBe(`${ns.name}/deployment/countly-api`);
    expect(record.seed).toBe(42);
    expect(record.kills.length).toBeGreaterThanOrEqual(2);
    expect(record.kills.length).toBeLessThanOrEqual(4);
    for (const kill of record.kills) {
      expect(kill.readyBefore).toBe(3);
      // kwok plays the replacement Running and Ready: the count is back within seconds.
      expect(kill.recoverySeconds).toBeGreaterThan(0);
      expect(kill.recoverySeconds).toBeLessThan(30);
      expect(Date.parse(kill.recoveredAt ?? '')).toBeGreaterThan(Date.parse(kill.at));
    }
    // The first victim was one of the pods there before, and it is gone.
    expect(before).toContain(`pod/${record.kills[0]?.pod ?? ''}`);
    const after = await kubectl(['get', 'pods', '-n', ns.name, '-o', 'name']);
    expect(after).not.toContain(`pod/${record.kills[0]?.pod ?? ''}\n`);
    await kubectl(['rollout', 'status', '-n', ns.name, 'deployment/countly-api', '--timeout=60s']);
  });

  it('records a skipped kill when the workload has no ready pod', async () => {
    const empty = { ...target(), labelSelector: 'app.kubernetes.io/name=nothing-here' };
    const chaos = startPodKill(client, { action: 'pod-kill', intervalSeconds: 1, seed: 1 }, empty);
    await new Promise((r) => setTimeout(r, 1500));
    const record = await chaos.stop();
    expect(record.kills).toEqual([]);
    expect(record.notes.join('\n')).toMatch(/kill was skipped: deployment\/countly-api had no ready pod/);
  });
});
