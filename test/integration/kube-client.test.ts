import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connect, type KubeClient, type KubeObject, type WatchUpdate } from '../../src/api/kube.js';
import { UserError } from '../../src/errors/index.js';
import { kubectl, testCluster, uniqueName, useNamespace } from './harness.js';

interface KubeconfigDoc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  'current-context': string;
}

let dir: string;
let base: KubeconfigDoc;

/** A kubeconfig for the test cluster with another user (and optionally other cluster settings). */
async function kubeconfigWith(
  name: string,
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = {},
): Promise<string> {
  const doc: KubeconfigDoc = structuredClone(base);
  const first = doc.clusters[0];
  if (!first) throw new Error('test kubeconfig has no cluster');
  const merged = { ...first.cluster, ...cluster };
  first.cluster = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
  doc.users = [{ name: 'u', user }];
  doc.contexts = [{ name: 'c', context: { cluster: first.name, user: 'u' } }];
  doc['current-context'] = 'c';
  const path = join(dir, name);
  await writeFile(path, stringify(doc));
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-client-'));
  base = parse(await readFile(testCluster().kubeconfig, 'utf8')) as KubeconfigDoc;
});

describe('credentials from the kubeconfig', () => {
  const ns = useNamespace('creds');
  let token: string;
  const account = uniqueName('reader');

  beforeAll(async () => {
    await kubectl(['create', 'serviceaccount', account, '-n', ns.name]);
    token = (await kubectl(['create', 'token', account, '-n', ns.name, '--duration=10m'])).trim();
  });

  const identity = `system:serviceaccount:${ns.name}:${account}`;

  it('sends a bearer token: the server knows the service account (and forbids what RBAC does not allow)', async () => {
    const client = await connect({ kubeconfig: await kubeconfigWith('token', { token }) });
    const err = await client.list('configmaps', { namespace: ns.name }).catch((e: unknown) => e);
    client.close();
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`User "${identity}" cannot list resource "configmaps"`);
  });

  it('runs an exec credential plugin and uses the token it prints', async () => {
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token },
    });
    const plugin = join(dir, 'plugin.sh');
    await writeFile(plugin, `#!/bin/sh\ncat <<'EOF'\n${credential}\nEOF\n`, { mode: 0o755 });
    const kubeconfig = await kubeconfigWith('exec', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' },
    });
    const client = await connect({ kubeconfig });
    await kubectl([
      'create',
      'rolebinding',
      account,
      '--clusterrole=view',
      `--serviceaccount=${ns.name}:${account}`,
      '-n',
      ns.name,
    ]);
    // RBAC is now granted to the identity the plugin's token carries.
    await expect
      .poll(
        async () => (await client.list('configmaps', { namespace: ns.name }).catch(() => undefined))?.length,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    client.close();
  });

  it('verifies the server certificate unless the kubeconfig says insecure-skip-tls-verify', async () => {
    const noCa = await kubeconfigWith('no-ca', { token }, { 'certificate-authority': undefined });
    const err = await (await connect({ kubeconfig: noCa })).serverVersion().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      /TLS with the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ failed/,
    );

    const insecure = await kubeconfigWith(
      'insecure',
      { token },
      { 'certificate-authority': undefined, 'insecure-skip-tls-verify': true },
    );
    const version = await (await connect({ kubeconfig: insecure })).serverVersion();
    expect(version.gitVersion).toMatch(/^v1\.34\./);
  });
});

describe('KubeClient', () => {
  const ns = useNamespace('client');
  let client: KubeClient;
  beforeAll(async () => {
    client = await connect({
      kubeconfig: testCluster().kubeconfig,
      context: testCluster().context,
      namespace: ns.name,
    });
    return () => {
      client.close();
    };
  });

  const configMap = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name },
    data: { a: '1' },
  });

  it('reports the server version and lists nodes', async () => {
    expect((await client.serverVersion()).gitVersion).toMatch(/^v1\.34\./);
    const nodes = await client.listNodes();
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    expect(nodes.every((n) => n.kind === 'Node' && n.apiVersion === 'v1')).toBe(true);
  });

  it('watch from a very old resourceVersion ends with the current objects (a relist when it is 410 Gone)', async () => {
    await client.apply([configMap('before-watch')]);
    const updates: WatchUpdate['type'][] = [];
    let seen: string[] = [];
    // On a long-lived cluster "1" is compacted away (410 Gone: the loop relists and says SYNCED); on a young
    // one the server may still replay every event since. Either way the store must end up current.
    await client.watch('configmaps', { namespace: ns.name, resourceVersion: '1' }, (update, store) => {
      updates.push(update.type);
      seen = [...store.values()].map((o) => o.metadata.name ?? '');
      return seen.includes('before-watch');
    });
    expect(seen).toContain('before-watch');
    expect(updates.length).toBeGreaterThan(0);
  });

  it('watch keeps delivering events across server timeouts and inactivity reconnects', async () => {
    const name = uniqueName('late');
    let synced = false;
    const watching = client.watch(
      'configmaps',
      { namespace: ns.name, timeoutSeconds: 1, inactivityMs: 400 },
      (update) => {
        if (update.type === 'SYNCED') synced = true;
        return update.type === 'ADDED' && update.object.metadata.name === name;
      },
    );
    await expect.poll(() => synced).toBe(true);
    // Long enough for the server to close the watch and for the inactivity timer to fire, several times.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await client.apply([configMap(name)]);
    await watching;
  });

  it('waitReady resolves for ready objects and reports progress', async () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ready' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'ready' } },
        template: {
          metadata: { labels: { app: 'ready' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    };
    await client.apply([deployment]);
    const progress: number[] = [];
    await client.waitReady([deployment], { timeoutMs: 60_000, onProgress: (p) => progress.push(p.done) });
    expect(progress.at(-1)).toBe(1);
    const live = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'ready');
    expect(live?.status).toMatchObject({ readyReplicas: 1 });
  });

  it('deleteBySelector removes labelled objects across kinds', async () => {
    const labelled = (o: KubeObject): KubeObject => ({
      ...o,
      metadata: { ...o.metadata, labels: { sweep: 'yes' } },
    });
    await client.apply([
      labelled(configMap('sweep-a')),
      labelled({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sweep-b' } }),
    ]);
    const deleted = await client.deleteBySelector('sweep=yes', { namespace: ns.name, timeoutMs: 30_000 });
    expect(deleted.map((d) => d.name).sort()).toEqual(['configmap/sweep-a', 'secret/sweep-b']);
    expect(await client.list('configmaps', { labelSelector: 'sweep=yes' })).toEqual([]);
  });
});

describe('discovery kept on disk (the kubectl-like commands)', () => {
  const ns = useNamespace('disco');
  interface Entry {
    fetchedAt: number;
    resources: { resource: string; shortNames: string[] }[];
  }
  const open = (cache: string): Promise<KubeClient> =>
    connect({
      kubeconfig: testCluster().kubeconfig,
      context: testCluster().context,
      discoveryCache: cache,
    });
  const listWith = async (cache: string, type: string): Promise<unknown> => {
    const client = await open(cache);
    try {
      return await client.list(type, { namespace: ns.name });
    } finally {
      client.close();
    }
  };

  it('answers from the cache, refetches (and renews it) for a name it lacks, and ignores an expired one', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'discovery-'));
    await listWith(cache, 'pods');
    const [file, ...others] = await readdir(cache);
    expect(others).toEqual([]);
    const path = join(cache, file ?? '');
    const entry = JSON.parse(await readFile(path, 'utf8')) as Entry;
    expect(entry.resources.some((r) => r.resource === 'configmaps')).toBe(true);

    // A short name only the cache knows: found, so the cache was read.
    const pods = entry.resources.find((r) => r.resource === 'pods');
    pods?.shortNames.push('pdz');
    const doctored = { ...entry, resources: entry.resources.filter((r) => r.resource !== 'configmaps') };
    await writeFile(path, JSON.stringify(doctored));
    await expect(listWith(cache, 'pdz')).resolves.toBeDefined();

    // configmaps is missing from the cache: fetched from the server, which renews the cache.
    await expect(listWith(cache, 'configmaps')).resolves.toBeDefined();
    const renewed = JSON.parse(await readFile(path, 'utf8')) as Entry;
    expect(renewed.resources.some((r) => r.resource === 'configmaps')).toBe(true);
    expect(renewed.resources.some((r) => r.shortNames.includes('pdz'))).toBe(false);

    // Expired: not read, so the doctored name is unknown again.
    await writeFile(path, JSON.stringify({ ...doctored, fetchedAt: 0 }));
    await expect(listWith(cache, 'pdz')).rejects.toThrow(/doesn't have a resource type "pdz"/);
  });
});
