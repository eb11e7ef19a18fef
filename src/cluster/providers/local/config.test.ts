import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { delayedStages, kwokctlConfig, nodeParams, type ControlPlaneOptions } from './config.js';
import { clusterPkiPaths } from './pki.js';
import { binaryPaths } from './toolchain.js';

const versions = {
  kubernetes: 'v1.34.12',
  etcd: 'v3.6.16',
  kwok: 'v0.7.0',
  metricsServer: 'v0.8.0',
  criTools: 'v1.34.0',
};

type Patch = { name: string; extraArgs: { key: string; value: string; override?: boolean }[] };
type Doc = { kind: string; options: Record<string, unknown>; componentsPatches: Patch[] };

const setup = (overrides: Partial<ControlPlaneOptions> = {}): ControlPlaneOptions => ({
  pki: clusterPkiPaths('/k'),
  ports: {
    etcdPort: 32001,
    etcdPeerPort: 32002,
    kubeApiserverPort: 32003,
    kubeControllerManagerPort: 32004,
    kubeSchedulerPort: 32005,
    kwokControllerPort: 32006,
    metricsServerPort: 32007,
    prometheusPort: 32008,
  },
  profiling: false,
  realNode: false,
  ...overrides,
});
const documents = (options: ControlPlaneOptions): Doc[] =>
  parseAllDocuments(kwokctlConfig(binaryPaths(versions, '/c'), versions, options)).map(
    (d) => d.toJS() as Doc,
  );
const argsOf = (doc: Doc | undefined, name: string): Record<string, string> =>
  Object.fromEntries(
    doc?.componentsPatches
      .filter((p) => p.name === name)
      .flatMap((p) => p.extraArgs.map((a) => [a.key, a.value])) ?? [],
  );

describe('kwokctlConfig', () => {
  const docs = documents(setup());

  it('runs every component from the cached binaries on loopback', () => {
    const kwokctl = docs.find((d) => d.kind === 'KwokctlConfiguration');
    expect(kwokctl?.options).toMatchObject({
      runtime: 'binary',
      bindAddress: '127.0.0.1',
      kubeApiserverBinary: '/c/bin/kubernetes-v1.34.12/kube-apiserver',
      etcdBinary: '/c/bin/etcd-v3.6.16/etcd',
      kwokControllerBinary: '/c/bin/kwok-v0.7.0/kwok',
      enableMetricsServer: true,
    });
    for (const [key, value] of Object.entries(kwokctl?.options ?? {})) {
      if (key.endsWith('Binary')) expect(String(value)).toMatch(/^\/c\/bin\//);
    }
  });

  it("runs kwokctl's Prometheus only when given one, with the cluster's config and data", () => {
    const kwokctl = docs.find((d) => d.kind === 'KwokctlConfiguration');
    expect(kwokctl?.options).not.toHaveProperty('prometheusPort');
    expect(kwokctl?.componentsPatches.map((p) => p.name)).not.toContain('prometheus');

    const monitoring = {
      binary: '/usr/bin/prometheus',
      config: '/k/monitoring/p.yml',
      data: '/k/monitoring/data',
    };
    const withIt = documents(setup({ monitoring })).find((d) => d.kind === 'KwokctlConfiguration');
    expect(withIt?.options).toMatchObject({ prometheusPort: 32008, prometheusBinary: '/usr/bin/prometheus' });
    const patch = withIt?.componentsPatches.find((p) => p.name === 'prometheus');
    // kwokctl's own --config.file is replaced, not followed by a second one
    expect(patch?.extraArgs.find((a) => a.key === 'config.file')).toEqual({
      key: 'config.file',
      value: '/k/monitoring/p.yml',
      override: true,
    });
    expect(argsOf(withIt, 'prometheus')['storage.tsdb.path']).toBe('/k/monitoring/data');
  });

  it('gives simulated nodes a loopback InternalIP', () => {
    expect(docs.find((d) => d.kind === 'KwokConfiguration')?.options).toMatchObject({ nodeIP: '127.0.0.1' });
    expect(JSON.stringify(docs.find((d) => d.kind === 'KwokctlConfiguration')?.componentsPatches)).toContain(
      '"value":"127.0.0.1"',
    );
  });
});

describe('nodeParams', () => {
  it('sizes nodes through kwokctl --param', () => {
    expect(nodeParams('4', '16Gi', 50)).toEqual([
      '--param',
      '.allocatable.cpu="4"',
      '--param',
      '.allocatable.memory="16Gi"',
      '--param',
      '.allocatable.pods=50',
    ]);
  });
});

describe('delayedStages', () => {
  const defaults = [
    { kind: 'Stage', metadata: { name: 'node-initialize' }, spec: { next: {} } },
    { kind: 'Stage', metadata: { name: 'pod-ready' }, spec: { next: {} } },
    { kind: 'Stage', metadata: { name: 'pod-complete' }, spec: { next: {} } },
    { kind: 'Stage', metadata: { name: 'pod-delete' }, spec: { next: {} } },
  ];

  it('delays only the stages that make pods Ready or complete them', () => {
    const delayed = delayedStages(defaults, 300);
    const delays = Object.fromEntries(
      delayed.map((s): [string, unknown] => [s.metadata?.name ?? '', s.spec?.delay]),
    );
    expect(delays).toEqual({
      'node-initialize': undefined,
      'pod-ready': { durationMilliseconds: 300, jitterDurationMilliseconds: 600 },
      'pod-complete': { durationMilliseconds: 300, jitterDurationMilliseconds: 600 },
      'pod-delete': undefined,
    });
    expect(defaults[1]?.spec).toEqual({ next: {} });
  });
});

describe('kwokctlConfig: the PKI, authentication and profiling', () => {
  const kwokctl = documents(setup()).find((d) => d.kind === 'KwokctlConfiguration');
  const args = (name: string) => argsOf(kwokctl, name);

  it('runs etcd on TLS with client certificates for clients and peers, on the ports chosen', () => {
    const { prometheusPort, ...controlPlane } = setup().ports;
    expect(kwokctl?.options).toMatchObject(controlPlane);
    expect(prometheusPort).toBe(32008);
    expect(args('etcd')).toMatchObject({
      'listen-client-urls': 'https://127.0.0.1:32001',
      'initial-cluster': 'node0=https://127.0.0.1:32002',
      'client-cert-auth': 'true',
      'peer-client-cert-auth': 'true',
      'trusted-ca-file': '/k/pki/etcd/ca.crt',
    });
    const etcd = kwokctl?.componentsPatches.find((p) => p.name === 'etcd');
    expect(etcd?.extraArgs.find((a) => a.key === 'listen-client-urls')?.override).toBe(true);
    expect(args('kube-apiserver')).toMatchObject({
      'etcd-servers': 'https://127.0.0.1:32001',
      'etcd-certfile': '/k/pki/apiserver-etcd-client.crt',
    });
  });

  it('gives the API server a key for each purpose, none of them the admin key', () => {
    const apiserver = args('kube-apiserver');
    expect(apiserver).toMatchObject({
      'tls-private-key-file': '/k/pki/apiserver.key',
      'service-account-signing-key-file': '/k/pki/sa.key',
      'proxy-client-key-file': '/k/pki/front-proxy-client.key',
      'requestheader-client-ca-file': '/k/pki/front-proxy-ca.crt',
      'encryption-provider-config': '/k/pki/encryption-config.yaml',
      'authentication-config': '/k/authentication-config.yaml',
    });
    const everyArg = kwokctl?.componentsPatches.flatMap((p) => p.extraArgs.map((a) => a.value)) ?? [];
    expect(everyArg.filter((v) => v.includes('admin.'))).toEqual([]);
  });

  it('turns profiling off everywhere unless asked, and kcm/scheduler allow only health paths anonymously', () => {
    for (const name of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'metrics-server']) {
      expect(args(name).profiling, name).toBe('false');
    }
    expect(
      documents(setup()).find((d) => d.kind === 'KwokConfiguration')?.options.enableProfilingHandler,
    ).toBe(false);
    expect(args('kube-scheduler')['authorization-always-allow-paths']).toBe('/healthz,/readyz,/livez');
    const debug = documents(setup({ profiling: true }));
    expect(
      argsOf(
        debug.find((d) => d.kind === 'KwokctlConfiguration'),
        'kube-apiserver',
      ).profiling,
    ).toBeUndefined();
    expect(debug.find((d) => d.kind === 'KwokConfiguration')?.options.enableProfilingHandler).toBe(true);
  });
});

describe('kwokctlConfig: a user of their own for the controller-manager, the scheduler and kwok', () => {
  const kwokctl = documents(setup()).find((d) => d.kind === 'KwokctlConfiguration');
  const patch = (name: string) => kwokctl?.componentsPatches.find((p) => p.name === name)?.extraArgs ?? [];

  it('replaces the admin kubeconfig kwokctl passes with the component’s own, for delegated auth too', () => {
    for (const name of ['kube-controller-manager', 'kube-scheduler', 'kwok-controller']) {
      const own = `/k/kubeconfigs/${name}.yaml`;
      expect(
        patch(name).find((a) => a.key === 'kubeconfig'),
        name,
      ).toEqual({
        key: 'kubeconfig',
        value: own,
        override: true,
      });
      if (name !== 'kwok-controller') {
        expect(argsOf(kwokctl, name), name).toMatchObject({
          'authentication-kubeconfig': own,
          'authorization-kubeconfig': own,
          'client-ca-file': '/k/pki/ca.crt',
          'requestheader-client-ca-file': '/k/pki/front-proxy-ca.crt',
        });
      }
    }
    // kubeadm's way: each controller with its service account's token, as the bootstrap RBAC expects
    expect(argsOf(kwokctl, 'kube-controller-manager')['use-service-account-credentials']).toBe('true');
  });
});

describe('kwokctlConfig with a real node', () => {
  const kwokctl = documents(setup({ realNode: true })).find((d) => d.kind === 'KwokctlConfiguration');
  const args = (name: string) => argsOf(kwokctl, name);

  it('keeps one patch per component, with the simulated cluster arguments still there', () => {
    const names = kwokctl?.componentsPatches.map((p) => p.name) ?? [];
    expect(new Set(names).size).toBe(names.length);
    expect(args('kube-controller-manager')).toMatchObject({
      'leader-elect': 'false',
      'service-cluster-ip-range': '198.19.0.0/16',
    });
  });

  it('puts Services in the sealed range and lets pods reach the API server at the bridge address', () => {
    expect(args('kube-apiserver')).toMatchObject({
      'service-cluster-ip-range': '198.19.0.0/16',
      'advertise-address': '198.18.0.1',
      'kubelet-client-certificate': '/k/pki/apiserver-kubelet-client.crt',
    });
  });

  it('keeps kwok away from the real node', () => {
    expect(args('kwok-controller')).toMatchObject({
      'manage-all-nodes': 'false',
      'manage-nodes-with-annotation-selector': 'kwok.x-k8s.io/node=fake',
    });
  });
});
