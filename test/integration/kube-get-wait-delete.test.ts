import { beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, runCli } from '../helpers/cli.js';
import { connect } from '../../src/api/kube.js';
import { kubectl, testCluster, testEnv, uniqueName, useNamespace } from './harness.js';

const part = uniqueName('gwd');
const labels = { 'app.kubernetes.io/part-of': part };

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'nginx', ...extra }] },
    },
  },
});

const objects = [
  deployment('web'),
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', labels }, data: { a: '1', b: '2' } },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', labels },
    spec: {
      serviceName: 'db',
      replicas: 1,
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { containers: [{ name: 'db', image: 'mongo' }] },
      },
    },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'once', labels },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    },
  },
];
const ready = objects.filter((o) => o.kind !== 'HorizontalPodAutoscaler');
const asInput = (list: readonly object[]) => list.map((o) => JSON.stringify(o)).join('\n---\n');

/** Table rows as cells, with ages and durations (which tick between two calls) made comparable. */
const cells = (table: string): string[][] =>
  table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trim()
        .split(/\s+/)
        .map((cell) => (/^(\d+[smhd])+$/.test(cell) ? '<age>' : cell)),
    );

describe('get, wait and delete', () => {
  const ns = useNamespace('gwd');
  const cli = (args: string[], stdin?: string) => runCli([...args, '-n', ns.name], testEnv(), stdin);

  beforeAll(async () => {
    const applied = await cli(['apply', '-f', '-'], asInput(objects));
    expect(applied.code, applied.stderr).toBe(0);
    const waited = await cli(['wait', '-f', '-', '--for=ready', '--timeout=90s'], asInput(ready));
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toContain('job.batch/once ready');
  });

  it.each([
    ['pods'],
    ['deployments'],
    ['services'],
    ['jobs'],
    ['configmaps'],
    ['statefulsets'],
    ['hpa'],
    ['deploy,svc'],
    ['pods', '-o', 'wide'],
    ['deploy', '-o', 'wide'],
    ['svc', 'web'],
  ])('get %s prints the table kubectl prints', async (...args) => {
    const ours = await cli(['get', ...args]);
    expect(ours.code, ours.stderr).toBe(0);
    const theirs = await kubectl(['get', ...args, '-n', ns.name]);
    expect(cells(ours.stdout)).toEqual(cells(theirs));
  });

  it('get nodes, namespaces and -A tables match kubectl too', async () => {
    expect(cells((await runCli(['get', 'nodes'], testEnv())).stdout)).toEqual(
      cells(await kubectl(['get', 'nodes'])),
    );
    expect(cells((await runCli(['get', 'ns', ns.name], testEnv())).stdout)).toEqual(
      cells(await kubectl(['get', 'ns', ns.name])),
    );
    const selector = `app.kubernetes.io/part-of=${part}`;
    const ours = await runCli(['get', 'deploy,cm', '-A', '-l', selector], testEnv());
    expect(cells(ours.stdout)).toEqual(cells(await kubectl(['get', 'deploy,cm', '-A', '-l', selector])));
    expect(ours.stdout).toMatch(/^NAMESPACE\s+NAME/);
  });

  it('get -o name/json/yaml: one object alone, several as a List', async () => {
    expect(
      (await cli(['get', 'deploy,cm', '-l', `app.kubernetes.io/part-of=${part}`, '-o', 'name'])).stdout,
    ).toBe('deployment.apps/web\nconfigmap/settings\n');
    const one = JSON.parse((await cli(['get', 'cm', 'settings', '-o', 'json'])).stdout) as {
      kind: string;
      data: unknown;
    };
    expect(one).toMatchObject({ kind: 'ConfigMap', data: { a: '1', b: '2' } });
    const list = JSON.parse((await cli(['get', 'svc', '-o', 'json'])).stdout) as {
      kind: string;
      items: { kind: string }[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.kind)).toEqual(['Service']);
    expect((await cli(['get', 'deploy/web', '-o', 'yaml'])).stdout).toMatch(/^apiVersion: apps\/v1\n/);
  });

  it('get of nothing says so on stderr; of a missing name fails with NotFound', async () => {
    const none = await cli(['get', 'pods', '-l', 'app=none']);
    expect(none).toMatchObject({
      code: 0,
      stdout: '',
      stderr: `No resources found in ${ns.name} namespace.\n`,
    });
    const missing = await cli(['get', 'deploy', 'nope']);
    expect(missing.code).toBe(1);
    expect(isOneLineError(missing.stderr)).toBe(true);
    expect(missing.stderr).toContain('deployments.apps "nope" not found');
  });

  it('wait --for=condition and --for=delete', async () => {
    expect((await cli(['wait', 'deploy/web', '--for=condition=Available'])).stdout).toBe(
      'deployment.apps/web condition met\n',
    );
    expect((await cli(['wait', 'deploy', 'web', '--for=condition=Available=True'])).code).toBe(0);
    const gone = await cli(['wait', 'cm/never-existed', '--for=delete', '--timeout=5s']);
    expect(gone).toMatchObject({ code: 0, stdout: 'configmap/never-existed deleted\n' });
  });

  it('wait on a Deployment that never becomes ready times out naming it, its failing condition and the warnings', async () => {
    const never = deployment('never', { resources: { requests: { cpu: '5000' } } });
    expect((await cli(['apply', '-f', '-'], JSON.stringify(never))).code).toBe(0);
    const started = Date.now();
    const result = await cli(['wait', 'deploy/never', '--for=ready', '--timeout=6s']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(6000);
    expect(result.code).toBe(1);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('timed out after 6s');
    expect(result.stderr).toContain(`deployment.apps/never in namespace ${ns.name}`);
    expect(result.stderr).toContain('Available=False (MinimumReplicasUnavailable');
    expect(result.stderr).toMatch(/FailedScheduling: 0\/\d+ nodes are available: .*Insufficient cpu/);
  });

  it('an interrupted wait ends at once, not at its timeout', async () => {
    const client = await connect({ kubeconfig: testCluster().kubeconfig, namespace: ns.name });
    const interrupt = new AbortController();
    const started = Date.now();
    setTimeout(() => {
      interrupt.abort(new Error('interrupted by the test'));
    }, 300);
    const never = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'never', namespace: ns.name },
    };
    await expect(client.waitReady([never], { timeoutMs: 60_000, signal: interrupt.signal })).rejects.toThrow(
      'interrupted by the test',
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    client.close();
  });

  it('delete TYPE NAME waits until it is gone, dependents first (foreground)', async () => {
    const result = await cli(['delete', 'deploy', 'never']);
    expect(result).toMatchObject({
      code: 0,
      stdout: `deployment.apps "never" deleted from ${ns.name} namespace\n`,
    });
    expect(await kubectl(['get', 'deploy,rs,pods', '-n', ns.name, '-l', 'app=never', '-o', 'name'])).toBe('');
  });

  it('delete of a missing object fails with NotFound unless --ignore-not-found', async () => {
    const missing = await cli(['delete', 'cm', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('configmaps "nope" not found');
    expect((await cli(['delete', 'cm', 'nope', '--ignore-not-found'])).code).toBe(0);
  });

  it('delete -f removes what the file names', async () => {
    const extra = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: {} };
    expect((await cli(['apply', '-f', '-'], JSON.stringify(extra))).code).toBe(0);
    const result = await cli(['delete', '-f', '-'], JSON.stringify(extra));
    expect(result.stdout).toBe(`configmap "extra" deleted from ${ns.name} namespace\n`);
    expect(await kubectl(['get', 'cm', 'extra', '-n', ns.name, '--ignore-not-found'])).toBe('');
  });

  it('delete -l removes every matching object across kinds and waits until they are gone', async () => {
    const result = await cli(['delete', '-l', `app.kubernetes.io/part-of=${part}`]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').sort();
    expect(lines).toEqual(
      [
        'configmap "settings"',
        'deployment.apps "web"',
        'horizontalpodautoscaler.autoscaling "web"',
        'job.batch "once"',
        'service "web"',
        'statefulset.apps "db"',
      ].map((n) => `${n} deleted from ${ns.name} namespace`),
    );
    expect(
      await kubectl([
        'get',
        'all,cm,hpa',
        '-n',
        ns.name,
        '-l',
        `app.kubernetes.io/part-of=${part}`,
        '-o',
        'name',
      ]),
    ).toBe('');
    // Pods the Deployment owned went with it.
    expect(await kubectl(['get', 'pods', '-n', ns.name, '-l', 'app=web', '-o', 'name'])).toBe('');
  });
});
