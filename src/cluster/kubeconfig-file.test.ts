import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { extractContext, mergeContext, removeContext } from './kubeconfig-file.js';

const clusterKubeconfig = `
apiVersion: v1
kind: Config
clusters:
  - name: kwok-dev
    cluster: { server: https://127.0.0.1:6443, certificate-authority: /tmp/ca.crt }
users:
  - name: kwok-dev
    user: { client-certificate: /tmp/admin.crt, client-key: /tmp/admin.key }
contexts:
  - name: kwok-dev
    context: { cluster: kwok-dev, user: kwok-dev }
current-context: kwok-dev
`;

const userKubeconfig = `
apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: { server: https://prod.example:6443 }
users:
  - name: prod-admin
    user: { token: abc }
contexts:
  - name: prod
    context: { cluster: prod, user: prod-admin, namespace: web }
current-context: prod
preferences: {}
`;

interface Doc {
  clusters: { name: string; cluster: { server: string } }[];
  users: { name: string }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
  preferences?: object;
}

describe('mergeContext', () => {
  it('adds the cluster under one name, keeps other contexts and makes it current', () => {
    const merged = parse(mergeContext(userKubeconfig, clusterKubeconfig, 'cncfdemo-dev')) as Doc;
    expect(merged.contexts.map((c) => c.name)).toEqual(['prod', 'cncfdemo-dev']);
    expect(merged.clusters.map((c) => c.name)).toEqual(['prod', 'cncfdemo-dev']);
    expect(merged.users.map((u) => u.name)).toEqual(['prod-admin', 'cncfdemo-dev']);
    expect(merged.contexts[1]?.context).toEqual({ cluster: 'cncfdemo-dev', user: 'cncfdemo-dev' });
    expect(merged['current-context']).toBe('cncfdemo-dev');
    expect(merged.preferences).toEqual({});
  });

  it('replaces an entry of the same name instead of duplicating it', () => {
    const once = mergeContext(userKubeconfig, clusterKubeconfig, 'cncfdemo-dev');
    const twice = parse(
      mergeContext(once, clusterKubeconfig.replace('127.0.0.1:6443', '127.0.0.1:7000'), 'cncfdemo-dev'),
    ) as Doc;
    expect(twice.clusters.filter((c) => c.name === 'cncfdemo-dev')).toHaveLength(1);
    expect(twice.clusters.find((c) => c.name === 'cncfdemo-dev')?.cluster.server).toBe(
      'https://127.0.0.1:7000',
    );
  });

  it('creates a kubeconfig when the user has none', () => {
    const merged = parse(mergeContext(undefined, clusterKubeconfig, 'cncfdemo-dev')) as Doc;
    expect(merged.contexts.map((c) => c.name)).toEqual(['cncfdemo-dev']);
  });

  it('rejects a user kubeconfig that is not YAML, with a hint', () => {
    expect(() => mergeContext('clusters: [', clusterKubeconfig, 'x')).toThrow(
      /your kubeconfig is not valid YAML/,
    );
  });
});

describe('removeContext', () => {
  it('removes only the named entries and clears current-context when it pointed there', () => {
    const merged = mergeContext(userKubeconfig, clusterKubeconfig, 'cncfdemo-dev');
    const removed = parse(removeContext(merged, 'cncfdemo-dev') ?? '') as Doc;
    expect(removed.contexts.map((c) => c.name)).toEqual(['prod']);
    expect(removed.clusters.map((c) => c.name)).toEqual(['prod']);
    expect(removed['current-context']).toBe('');
  });

  it('leaves the file alone when nothing of that name is there', () => {
    expect(removeContext(userKubeconfig, 'cncfdemo-dev')).toBeUndefined();
    expect(removeContext(undefined, 'cncfdemo-dev')).toBeUndefined();
  });
});

describe('extractContext', () => {
  it('returns a standalone kubeconfig with only that context', () => {
    const merged = mergeContext(userKubeconfig, clusterKubeconfig, 'cncfdemo-dev');
    const single = parse(extractContext(merged, 'cncfdemo-dev') ?? '') as Doc;
    expect(single.contexts.map((c) => c.name)).toEqual(['cncfdemo-dev']);
    expect(single.users.map((u) => u.name)).toEqual(['cncfdemo-dev']);
    expect(extractContext(merged, 'nope')).toBeUndefined();
  });
});
