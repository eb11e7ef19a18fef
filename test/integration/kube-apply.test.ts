import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineError, runCli } from '../helpers/cli.js';
import { kubectl, testEnv, useNamespace } from './harness.js';

const fixtures = fileURLToPath(new URL('../fixtures/kube/', import.meta.url));

interface Item {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

const items = async (args: string[]): Promise<Item[]> =>
  (JSON.parse(await kubectl([...args, '-o', 'json'])) as { items: Item[] }).items;

describe('apply and create against the API server', () => {
  const ns = useNamespace('apply');
  const cli = (...args: string[]) => runCli([...args, '-n', ns.name], testEnv());

  it('applies a directory (-R) in dependency order and a second apply leaves every resourceVersion unchanged', async () => {
    const first = await cli('apply', '-f', `${fixtures}app`, '-R', '--wait', '--timeout', '90s');
    expect(first.stderr).toContain('objects ready');
    expect(first.code).toBe(0);
    const applied = first.stdout.trim().split('\n');
    expect(applied).toHaveLength(10);
    expect(applied).toContain('cronjob.batch/report serverside-applied');
    // ServiceAccount and RBAC go in a wave before the workloads.
    expect(applied.indexOf('serviceaccount/web serverside-applied')).toBeLessThan(
      applied.indexOf('deployment.apps/web serverside-applied'),
    );

    const selector = ['-n', ns.name, '-l', 'app.kubernetes.io/part-of=it-app'];
    const kinds =
      'configmaps,secrets,serviceaccounts,roles,rolebindings,deployments,services,poddisruptionbudgets,statefulsets,cronjobs';
    const before = await items(['get', kinds, ...selector]);
    expect(before).toHaveLength(10);

    const second = await cli('apply', '-f', `${fixtures}app`, '-R');
    expect(second.code).toBe(0);
    const after = await items(['get', kinds, ...selector]);
    const versions = (list: Item[]) =>
      Object.fromEntries(list.map((i) => [`${i.kind}/${i.metadata.name}`, i.metadata.resourceVersion]));
    expect(versions(after)).toEqual(versions(before));
  });

  it('without -R reads only the top directory', async () => {
    const result = await cli('apply', '-f', `${fixtures}app`, '--dry-run=server', '-o', 'name');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('cronjob');
    expect(result.stdout.trim().split('\n')).toHaveLength(9);
  });

  it('create of an existing object fails with AlreadyExists like kubectl, while apply succeeds', async () => {
    const file = `${fixtures}app/config.yaml`;
    const created = await cli('create', '-f', file);
    // The first test may have created them already; create them fresh under another namespace if so.
    const again = await cli('create', '-f', file);
    expect(again.code).toBe(1);
    expect(isOneLineError(again.stderr)).toBe(true);
    expect(again.stderr).toContain('configmaps "settings" already exists');
    expect(again.stderr).toContain('hint: use `cncfdemo apply`');
    expect(created.code === 0 || created.stderr.includes('already exists')).toBe(true);
    const applied = await cli('apply', '-f', file);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe(
      'configmap/settings serverside-applied\nsecret/credentials serverside-applied\n',
    );
  });

  it('create prints kubectl-style lines, -o yaml/json/name, and --dry-run=client sends nothing', async () => {
    const dry = await cli('create', '-f', `${fixtures}app/web.yaml`, '--dry-run=client', '-o', 'json');
    expect(dry.code, dry.stderr).toBe(0);
    const list = JSON.parse(dry.stdout) as { kind: string; items: Item[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => `${i.kind}/${i.metadata.name}/${i.metadata.namespace ?? ''}`)).toEqual([
      `Deployment/web/${ns.name}`,
      `Service/web/${ns.name}`,
      `PodDisruptionBudget/web/${ns.name}`,
    ]);
    const plain = await cli('create', '-f', `${fixtures}app/web.yaml`, '--dry-run=client');
    expect(plain.stdout).toBe(
      'deployment.apps/web created (dry run)\nservice/web created (dry run)\npoddisruptionbudget.policy/web created (dry run)\n',
    );

    const stdin = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-stdin' },
      data: { on: 'yes' },
    });
    const created = await runCli(['create', '-f', '-', '-n', ns.name, '-o', 'yaml'], testEnv(), stdin);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('name: from-stdin');
    // YAML 1.1 quoting: `on`/`yes` stay strings when the output is read back.
    expect(created.stdout).toContain('"on": "yes"');
    const server = await items([
      'get',
      'configmaps',
      '-n',
      ns.name,
      '--field-selector',
      'metadata.name=from-stdin',
    ]);
    expect(server[0]?.data).toEqual({ on: 'yes' });

    const serverDry = await runCli(
      ['create', '-f', '-', '-n', ns.name, '--dry-run=server'],
      testEnv(),
      stdin.replace('from-stdin', 'dry'),
    );
    expect(serverDry.stdout).toBe('configmap/dry created (server dry run)\n');
    expect(
      await items(['get', 'configmaps', '-n', ns.name, '--field-selector', 'metadata.name=dry']),
    ).toEqual([]);
  });

  it('--dry-run=server rejects an invalid object with the API server message and creates nothing', async () => {
    const result = await cli(
      'apply',
      '-f',
      `${fixtures}invalid/service-without-ports.yaml`,
      '--dry-run=server',
    );
    expect(result.code).toBe(1);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('Service "broken" is invalid: spec.ports: Required value');
    const kubectlSays = await kubectl([
      'create',
      '-f',
      `${fixtures}invalid/service-without-ports.yaml`,
      '-n',
      ns.name,
      '--dry-run=server',
    ]).catch((err: unknown) => String(err));
    expect(kubectlSays).toContain('spec.ports: Required value');
    expect(
      await items(['get', 'services', '-n', ns.name, '--field-selector', 'metadata.name=broken']),
    ).toEqual([]);
  });

  it('rejects unknown fields (strict field validation) instead of dropping them', async () => {
    const result = await cli('apply', '-f', `${fixtures}invalid/unknown-field.yaml`);
    expect(result.code).toBe(1);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain('.dataa: field not declared in schema');
  });

  it('reports field-manager conflicts and takes the fields over with --force-conflicts', async () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'contested', namespace: ns.name },
      data: { owner: 'other' },
    };
    await kubectl(['apply', '--server-side', '--field-manager=other', '-f', '-'], JSON.stringify(cm));
    const mine = JSON.stringify({ ...cm, data: { owner: 'cncfdemo' } });
    const conflict = await runCli(['apply', '-f', '-'], testEnv(), mine);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('conflict');
    expect(conflict.stderr).toContain('--force-conflicts');
    const forced = await runCli(['apply', '-f', '-', '--force-conflicts'], testEnv(), mine);
    expect(forced.code).toBe(0);
    expect(
      JSON.parse(await kubectl(['get', 'configmap', 'contested', '-n', ns.name, '-o', 'json'])),
    ).toMatchObject({ data: { owner: 'cncfdemo' } });
  });

  it('renders the seed Mongo template (macro + json_dump init containers) and applies it', async () => {
    const result = await cli(
      'create',
      '-f',
      `${fixtures}mongo`,
      '-R',
      '--values',
      `${fixtures}mongo-values.yaml`,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('job.batch/mongors2-setup created');
    const jobs = await items(['get', 'jobs', '-n', ns.name]);
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(['mongors1-setup', 'mongors2-setup']);
    for (const job of jobs) {
      const spec = job.spec as {
        template: { spec: { initContainers: { name: string; command: string[] }[] } };
      };
      const fromAnnotation = JSON.parse(
        job.metadata.annotations?.['cncfdemo.io/init-containers'] ?? '',
      ) as unknown;
      expect(spec.template.spec.initContainers).toMatchObject(fromAnnotation as object[]);
      expect(spec.template.spec.initContainers).toHaveLength(2);
    }
    const rs1 = jobs.find((j) => j.metadata.name === 'mongors1-setup')?.spec as {
      template: { spec: { initContainers: { command: string[] }[] } };
    };
    expect(rs1.template.spec.initContainers[0]?.command).toEqual([
      '/bin/sh',
      '-c',
      '[ $(nslookup mongors1.default | tail -n +5 | wc -l) -ge 3 ]',
    ]);
    expect(rs1.template.spec.initContainers[1]?.command.at(-1)).toBe("rs.initiate({_id: 'rs0'})");
    const wait = await cli(
      'wait',
      'statefulset/mongors1',
      'statefulset/mongors2',
      'svc/mongors1',
      '--for=ready',
      '--timeout=90s',
    );
    expect(wait.code, wait.stderr).toBe(0);
  });
});

describe('a CRD and its instances in one directory', () => {
  const ns = useNamespace('crd');
  const removeCrd = () =>
    kubectl(['delete', 'crd', 'widgets.it.cncfdemo.io', '--ignore-not-found', '--wait=true']);
  beforeAll(removeCrd);
  afterAll(removeCrd);

  it('apply in one go: the CRD is established before the instance, which the server then validates', async () => {
    const result = await runCli(['apply', '-f', `${fixtures}crd`, '-n', ns.name], testEnv());
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([
      'customresourcedefinition.apiextensions.k8s.io/widgets.it.cncfdemo.io serverside-applied',
      'widget.it.cncfdemo.io/small serverside-applied',
    ]);
    const widget = JSON.parse(
      await kubectl(['get', 'widgets', 'small', '-n', ns.name, '-o', 'json']),
    ) as Item;
    expect(widget.spec).toEqual({ size: 3, color: 'blue' });

    // Tables of custom resources come from the CRD's printer columns, as in kubectl.
    const table = await runCli(['get', 'wdg', '-n', ns.name], testEnv());
    expect(table.stdout).toMatch(/^NAME\s+SIZE\nsmall\s+3\n$/);
    expect(table.stdout).toBe(await kubectl(['get', 'wdg', '-n', ns.name]));
  });
});
