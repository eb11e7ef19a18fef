import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleClusterSeries } from '../../src/bench/cluster-series.js';
import { connect, type KubeClient } from '../../src/kube/index.js';
import { noopLogger } from '../../src/log/logger.js';
import { kubectl, testCluster, testEnv, useNamespace } from './harness.js';
import type { NamedSeries } from '../../src/model/run-record.js';

const ns = useNamespace('series');
let client: KubeClient;

beforeAll(async () => {
  const { kubeconfig, context } = testCluster();
  client = await connect({ env: testEnv(), kubeconfig, context });
});
afterAll(() => {
  client.close();
});

const last = (series: readonly NamedSeries[], name: string): number | undefined =>
  series.find((s) => s.name === name)?.points.at(-1)?.v;

describe('cluster series sampled during a benchmark', () => {
  it("follows BOINC's CPU: allocated from its pods' requests, used from metrics.k8s.io, zero once gone", async () => {
    const boinc = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'boinc', namespace: ns.name },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'boinc' } },
        template: {
          metadata: {
            labels: { 'app.kubernetes.io/name': 'boinc' },
            annotations: { 'kwok.x-k8s.io/usage-cpu': '300m' },
          },
          spec: {
            containers: [{ name: 'boinc', image: 'boinc/client', resources: { requests: { cpu: '500m' } } }],
          },
        },
      },
    };
    await kubectl(['apply', '-f', '-'], JSON.stringify(boinc));
    await kubectl(['rollout', 'status', '-n', ns.name, 'deployment/boinc', '--timeout=60s']);
    const allocated = `${ns.name}/boinc CPU allocated (cores)`;
    const used = `${ns.name}/boinc CPU used (cores)`;

    const sampler = await sampleClusterSeries(client, 1000, noopLogger);
    // metrics-server reports pod usage after one or two of its 10 s scrapes
    await expect
      .poll(() => kubectl(['get', 'podmetrics', '-n', ns.name, '-o', 'name']), {
        timeout: 60_000,
        interval: 1000,
      })
      .toMatch(/boinc-.*\n.*boinc-/s);
    await new Promise((r) => setTimeout(r, 1500));
    await kubectl(['delete', 'deployment', 'boinc', '-n', ns.name, '--wait=true']);
    await expect
      .poll(() => kubectl(['get', 'pods', '-n', ns.name, '-o', 'name']), { timeout: 30_000, interval: 500 })
      .toBe('');
    const series = await sampler.stop();

    const alloc = series.boincWork.find((s) => s.name === allocated)?.points.map((p) => p.v) ?? [];
    expect(Math.max(...alloc)).toBe(1);
    expect(last(series.boincWork, allocated)).toBe(0);
    const usedValues = series.boincWork.find((s) => s.name === used)?.points.map((p) => p.v) ?? [];
    expect(Math.max(...usedValues)).toBeCloseTo(0.6, 2);
    expect(series.notes.filter((n) => n.startsWith('BOINC'))).toEqual([]);
  });
});
