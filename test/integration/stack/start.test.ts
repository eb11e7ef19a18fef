import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/api/kube.js';
import { dryRunStack, renderStack } from '../../../src/api/stack.js';
import { jobPodsSucceeded } from '../../../src/kube/index.js';
import { conditionsOf, type KubeObject } from '../../../src/kube/types.js';
import { isOneLineError, runCli } from '../../helpers/cli.js';
import { kubectl, testCluster, testEnv, uniqueName } from '../harness.js';
import { items, parseStart, STACK_KINDS, yamlDocuments, type ListedObject } from './helpers.js';

/**
 * The stack on the shared test cluster, in namespaces of this file's own. Cluster-scoped objects (the
 * priority classes, Prometheus' RBAC) are shared with any other stack on the cluster, so this file never
 * runs `stop`; stack-lifecycle.test.ts does, on a cluster of its own.
 */
const stack = uniqueName('st');
const monitoring = `${stack}-mon`;
// node-exporter off the host network: other stacks on this shared cluster may hold port 9100 on the nodes
const namespaceArgs = [
  '--set',
  `namespaces.stack=${stack}`,
  '--set',
  `namespaces.monitoring=${monitoring}`,
  '--set',
  'monitoring.nodeExporter.hostNetwork=false',
];
const { context } = testCluster();
const start = (...extra: string[]) =>
  runCli(['start', '--context', context, ...namespaceArgs, ...extra], testEnv());

afterAll(async () => {
  await kubectl(['delete', 'namespace', stack, monitoring, '--ignore-not-found', '--wait=false']);
});

/** resourceVersions of everything the stack put in this file's namespaces, and the priority classes. */
async function versions(): Promise<Map<string, string>> {
  const selector = 'app.kubernetes.io/managed-by=cncfdemo,app.kubernetes.io/part-of=cncfdemo';
  const found = [
    ...items(await kubectl(['get', STACK_KINDS, '-n', stack, '-l', selector, '-o', 'json'])),
    ...items(await kubectl(['get', STACK_KINDS, '-n', monitoring, '-l', selector, '-o', 'json'])),
    ...items(await kubectl(['get', 'namespaces,priorityclasses', '-l', selector, '-o', 'json'])).filter(
      (o) => o.kind === 'PriorityClass' || [stack, monitoring].includes(o.metadata.name),
    ),
  ];
  return new Map(
    found.map((o: ListedObject) => [
      `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
      o.metadata.resourceVersion,
    ]),
  );
}

describe('cncfdemo start on the shared cluster', () => {
  it('rejects bad values with one-line errors before anything is applied', async () => {
    const cases: [string[], string][] = [
      [['--set', 'countly.replicas=-1'], 'countly.replicas must be >= 0 (got -1)'],
      [['--set', 'countly.replicass=2'], 'unknown key countly.replicass'],
      [['--set', 'mongo.image=Mongo Latest'], 'mongo.image is not an image reference'],
      [['--domain', 'not a domain'], 'domain is not a DNS domain'],
    ];
    for (const [args, message] of cases) {
      const result = await start(...args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(isOneLineError(result.stderr), result.stderr).toBe(true);
      expect(result.stderr).toContain(message);
    }
    const namespaces = items(await kubectl(['get', 'namespaces', '-o', 'json'])).map((n) => n.metadata.name);
    expect(namespaces).not.toContain(stack);
    expect(namespaces).not.toContain(monitoring);
  });

  it("deploys every component from nothing: all Ready, every Job's pod Succeeded, then Complete", async () => {
    const result = await start();
    expect(result.code, result.stderr).toBe(0);
    const { totalS, rows } = parseStart(result);
    console.log(
      `start from nothing: ${totalS}s\n${result.stderr.slice(result.stderr.indexOf('  COMPONENT'))}`,
    );
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'foundation',
        'mongo-config-init',
        'mongos',
        'mongo-add-shards',
        'countly-api',
        'countly-dashboard',
        'boinc',
      ]),
    );
    const at = new Map(rows.map((r) => [r.name, r]));
    const applied = (name: string) => at.get(name)?.appliedS ?? Infinity;
    const ready = (name: string) => at.get(name)?.readyS ?? -Infinity;
    // The MongoDB chain is applied at once, in order, each step waiting for the one before it in the cluster
    // (stack.yaml's `after`): mongos is in the cluster before the config servers' init Job has completed.
    expect(applied('mongos')).toBeGreaterThanOrEqual(applied('mongo-config-init'));
    expect(applied('mongos')).toBeLessThanOrEqual(ready('mongo-config-init'));
    expect(applied('countly-api')).toBeGreaterThanOrEqual(applied('mongo-add-shards'));
    // what `needs` a component still waits for it to be Ready
    expect(applied('boinc')).toBeGreaterThanOrEqual(ready('countly-api'));

    // start ends when each Job's work is done (its pod Succeeded); the Job controller's Complete follows.
    const listed = async (kind: string): Promise<KubeObject[]> =>
      (JSON.parse(await kubectl(['get', kind, '-n', stack, '-o', 'json'])) as { items: KubeObject[] }).items;
    const [jobs, pods] = await Promise.all([listed('jobs'), listed('pods')]);
    expect(jobs.length).toBe(4);
    for (const job of jobs) {
      const complete = conditionsOf(job).some((c) => c.type === 'Complete' && c.status === 'True');
      expect(complete || jobPodsSucceeded(job, pods), job.metadata.name).toBe(true);
    }
    const status = await runCli(['status', '--context', context, ...namespaceArgs], testEnv());
    expect(status.code, status.stdout + status.stderr).toBe(0);
    for (const name of ['mongos', 'countly-api', 'grafana', 'boinc']) {
      expect(status.stdout).toMatch(new RegExp(`^${name}\\s+Ready`, 'm'));
    }
    expect(status.stdout).toMatch(/^boinc\s+Ready.*running unattached/m);
    // the API starts at the autoscaler's minimum instead of waiting for the autoscaler's first pass
    const api = items(await kubectl(['get', 'deployments', '-n', stack, '-o', 'json'])).find(
      (d) => d.metadata.name === 'countly-api',
    );
    expect((api?.status as { availableReplicas?: number }).availableReplicas).toBe(2);
    await kubectl(['wait', '--for=condition=Complete', 'jobs', '--all', '-n', stack, '--timeout=60s']);
  });

  it('changes nothing when run again', async () => {
    // once the Job controller has marked the Jobs Complete: its writes are not start's
    await kubectl(['wait', '--for=condition=Complete', 'jobs', '--all', '-n', stack, '--timeout=60s']);
    const before = await versions();
    expect(before.size).toBeGreaterThan(40);
    const again = await start();
    expect(again.code, again.stderr).toBe(0);
    console.log(`start again: ${parseStart(again).totalS}s`);
    expect(await versions()).toEqual(before);
  });

  it('renders objects that all pass a server-side dry run, for other values too', async () => {
    const client = await connect({ env: testEnv(), context });
    try {
      // what start --dry-run prints for the deployed stack (planned with this cluster's facts), and what
      // render prints without a cluster for other values (persistent storage, Ingresses, NodePorts, BOINC key)
      const renders = [
        (await dryRunStack({ context, env: testEnv(), set: namespaceArgs.filter((_, i) => i % 2 === 1) }))
          .yaml,
        (
          await renderStack({
            set: [
              `namespaces.stack=${stack}-alt`,
              `namespaces.monitoring=${stack}-alt-mon`,
              'countly.serviceType=NodePort',
              'storage.persistent=true',
            ],
            domain: 'demo.example.com',
            boincAccountKey: 'not-a-real-key',
          })
        ).yaml,
      ];
      for (const yaml of renders) {
        const objects = yamlDocuments(yaml) as KubeObject[];
        expect(objects.length).toBeGreaterThan(40);
        const namespaces = objects.filter((o) => o.kind === 'Namespace');
        // a dry-run Namespace does not exist for the dry runs of what it holds, so namespaces are real
        await client.apply(namespaces);
        const results = await client.apply(
          objects.filter((o) => o.kind !== 'Namespace'),
          { dryRun: 'server' },
        );
        expect(results).toHaveLength(objects.length - namespaces.length);
      }
    } finally {
      await kubectl([
        'delete',
        'namespace',
        `${stack}-alt`,
        `${stack}-alt-mon`,
        '--ignore-not-found',
        '--wait=false',
      ]);
      client.close();
    }
  });

  it('prints how to reach Grafana without printing its password', async () => {
    const result = await runCli(['grafana', '--context', context, ...namespaceArgs], testEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`-n ${monitoring} port-forward svc/grafana 3000:80`);
    expect(result.stdout).toContain(`get secret grafana-admin -o jsonpath='{.data.admin-password}'`);
    const secret = items(await kubectl(['get', 'secrets', '-n', monitoring, '-o', 'json'])).find(
      (s) => s.metadata.name === 'grafana-admin',
    );
    const password = Buffer.from(
      (secret as unknown as { data: Record<string, string> }).data['admin-password'] ?? '',
      'base64',
    ).toString();
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(result.stdout + result.stderr).not.toContain(password);
  });
});
