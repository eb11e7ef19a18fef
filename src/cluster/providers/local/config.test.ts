import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { delayedStages, kwokctlConfig, nodeParams } from './config.js';
import { binaryPaths } from './toolchain.js';

const versions = {
  kubernetes: 'v1.34.12',
  etcd: 'v3.6.16',
  kwok: 'v0.7.0',
  metricsServer: 'v0.8.0',
  criTools: 'v1.34.0',
};

describe('kwokctlConfig', () => {
  const docs = parseAllDocuments(kwokctlConfig(binaryPaths(versions, '/c'), versions)).map(
    (d) => d.toJS() as { kind: string; options: Record<string, unknown>; componentsPatches?: unknown[] },
  );

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

describe('kwokctlConfig with a real node', () => {
  type Patch = { name: string; extraArgs: { key: string; value: string }[] };
  const kwokctl = parseAllDocuments(
    kwokctlConfig(binaryPaths(versions, '/c'), versions, [], { pkiDir: '/p' }),
  )
    .map((d) => d.toJS() as { kind: string; options: Record<string, unknown>; componentsPatches: Patch[] })
    .find((d) => d.kind === 'KwokctlConfiguration');
  const args = (name: string) =>
    Object.fromEntries(
      kwokctl?.componentsPatches
        .filter((p) => p.name === name)
        .flatMap((p) => p.extraArgs.map((a) => [a.key, a.value])) ?? [],
    );

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
      'kubelet-client-certificate': '/p/admin.crt',
    });
    expect(kwokctl?.options.kubeApiserverCertSANs).toEqual(['198.18.0.1', '198.19.0.1']);
  });

  it('keeps kwok away from the real node', () => {
    expect(args('kwok-controller')).toMatchObject({
      'manage-all-nodes': 'false',
      'manage-nodes-with-annotation-selector': 'kwok.x-k8s.io/node=fake',
    });
  });
});
