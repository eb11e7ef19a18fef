import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { delayedStages, kwokctlConfig, nodeParams } from './config.js';
import { binaryPaths } from './toolchain.js';

const versions = { kubernetes: 'v1.34.12', etcd: 'v3.6.16', kwok: 'v0.7.0', metricsServer: 'v0.8.0' };

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
