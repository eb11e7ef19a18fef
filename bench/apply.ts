/**
 * How fast does cncfdemo apply compared with kubectl? Applies the same objects (mixed kinds, 200 by default)
 * into a fresh namespace of the same cluster with:
 *   cncfdemo     `cncfdemo apply -f FILE -n NS` as a process (server-side apply, concurrent, ordered)
 *   library      `client.apply(objects)` in this process (what `start` uses: no process start-up)
 *   kubectl      the pinned `kubectl apply -f FILE -n NS` (client-side apply, one object at a time)
 *   kubectl-ssa  the pinned `kubectl apply --server-side -f FILE -n NS`
 * and prints objects/s for each (median of the rounds) and the ratio cncfdemo / kubectl (target >= 2).
 *
 * Usage: npm run build && npx tsx bench/apply.ts [--objects 200] [--rounds 3] [--kubeconfig FILE] [--context NAME]
 * The default cluster is the integration test cluster (create it with the integration tests, or pass --kubeconfig).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { connect, type KubeObject } from '../src/api/kube.js';
import { binaryPaths, pinnedVersions } from '../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../src/config/paths.js';
import { exec } from '../src/exec/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    kubeconfig: { type: 'string', default: join(cacheDir(), 'test-home', 'kubeconfig') },
    context: { type: 'string' },
  },
});
const count = Number(values.objects);
const rounds = Number(values.rounds);
const kubeconfig = values.kubeconfig;
const contextArgs = values.context ? ['--context', values.context] : [];

const cli = join(root, 'bin', 'cncfdemo');
if (!existsSync(join(root, 'dist', 'bundle', 'main.js'))) {
  console.error('build first: npm run build (the benchmark runs the compiled CLI, as users do)');
  process.exit(2);
}
const kubectl = binaryPaths(await pinnedVersions(), cacheDir()).kubectl;
const dir = await mkdtemp(join(tmpdir(), 'bench-apply-'));
const file = join(dir, 'objects.yaml');
const objects = mixedObjects(count);
await writeFile(file, objects.map((o) => stringify(o)).join('---\n'));

const client = await connect({ kubeconfig, ...(values.context ? { context: values.context } : {}) });
/** The same file, namespace and cluster for every command-line tool. */
const target = (ns: string): string[] => ['-f', file, '-n', ns, '--kubeconfig', kubeconfig, ...contextArgs];
const runners: Record<string, (ns: string) => Promise<void>> = {
  cncfdemo: async (ns) => {
    await exec(cli, ['apply', ...target(ns)]);
  },
  library: async (ns) => {
    const fresh = await connect({
      kubeconfig,
      namespace: ns,
      ...(values.context ? { context: values.context } : {}),
    });
    await fresh.apply(objects);
    fresh.close();
  },
  kubectl: async (ns) => {
    await exec(kubectl, ['apply', ...target(ns)]);
  },
  'kubectl-ssa': async (ns) => {
    await exec(kubectl, ['apply', '--server-side', ...target(ns)]);
  },
};

const timings: Record<string, number[]> = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  // Alternate the order so neither tool always runs on a cluster busier with the other's objects.
  const order = round % 2 === 0 ? Object.keys(runners) : Object.keys(runners).reverse();
  for (const name of order) {
    const ns = `bench-apply-${name}-${round}-${Date.now().toString(36)}`;
    await client.apply([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns, labels: { 'cncfdemo.io/bench': 'apply' } },
      },
    ]);
    const started = performance.now();
    await runners[name]?.(ns);
    const seconds = (performance.now() - started) / 1000;
    timings[name]?.push(seconds);
    console.log(
      `round ${round + 1} ${name.padEnd(12)} ${seconds.toFixed(2)}s  ${(count / seconds).toFixed(0)} objects/s`,
    );
  }
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
console.log(`\n${count} objects (${kindsSummary(objects)}), median of ${rounds} rounds:`);
const rates = Object.fromEntries(Object.entries(timings).map(([name, xs]) => [name, count / median(xs)]));
for (const [name, rate] of Object.entries(rates))
  console.log(`  ${name.padEnd(12)} ${rate.toFixed(0)} objects/s`);
const ratio = (rates.cncfdemo ?? 0) / (rates.kubectl ?? 1);
console.log(`  cncfdemo / kubectl apply:        ${ratio.toFixed(1)}x (target >= 2x)`);
console.log(
  `  cncfdemo / kubectl --server-side: ${((rates.cncfdemo ?? 0) / (rates['kubectl-ssa'] ?? 1)).toFixed(1)}x`,
);
console.log(
  `  library / kubectl apply:         ${((rates.library ?? 0) / (rates.kubectl ?? 1)).toFixed(1)}x`,
);

client.close();

/** Eight kinds in equal shares: config, identity, RBAC, networking and workloads (0 replicas: apply cost only). */
function mixedObjects(total: number): KubeObject[] {
  const labels = { 'app.kubernetes.io/part-of': 'bench-apply' };
  const make = [
    (n: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: n, labels },
      data: { 'app.conf': `name=${n}\nmode=on\n` },
    }),
    (n: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: n, labels },
      type: 'Opaque',
      data: { token: Buffer.from(n).toString('base64') },
    }),
    (n: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n, labels } }),
    (n: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: n, labels },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    }),
    (n: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: n, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: n },
      subjects: [{ kind: 'ServiceAccount', name: n }],
    }),
    (n: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: n, labels },
      // Headless: no cluster IP, so repeated runs cannot exhaust the service range of a small test cluster.
      spec: { clusterIP: 'None', selector: { app: n }, ports: [{ port: 80, targetPort: 8080 }] },
    }),
    (n: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: n, labels },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: n } },
        template: {
          metadata: { labels: { app: n } },
          spec: { serviceAccountName: n, containers: [{ name: 'app', image: 'nginx:1.27' }] },
        },
      },
    }),
    (n: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: n, labels },
      spec: {
        replicas: 0,
        serviceName: n,
        selector: { matchLabels: { app: n } },
        template: {
          metadata: { labels: { app: n } },
          spec: { containers: [{ name: 'db', image: 'mongo:7' }] },
        },
      },
    }),
  ];
  return Array.from({ length: total }, (_, i) =>
    (make[i % make.length] as (n: string) => KubeObject)(`obj-${Math.floor(i / make.length)}`),
  );
}

function kindsSummary(list: readonly KubeObject[]): string {
  const counts = new Map<string, number>();
  for (const o of list) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}
