import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savedComponents } from './components.js';
import { adoptComponentIdentities, withArgs } from './identities.js';
import { clusterPkiPaths } from './pki.js';

describe('withArgs', () => {
  it('replaces every --key= of an argument, or appends it', () => {
    expect(
      withArgs(
        ['--kubeconfig=/admin', '--v=2', '--kubeconfig=/again'],
        [
          { key: 'kubeconfig', value: '/own' },
          { key: 'use-service-account-credentials', value: 'true' },
        ],
      ),
    ).toEqual(['--kubeconfig=/own', '--v=2', '--kubeconfig=/own', '--use-service-account-credentials=true']);
  });
});

describe('adoptComponentIdentities', () => {
  let dir: string;
  const saved = (admin: string): string => `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  kubeApiserverPort: 32003
components:
- args:
  - --etcd-servers=https://127.0.0.1:32001
  binary: /k/bin/kube-apiserver
  name: kube-apiserver
- args:
  - --kubeconfig=${admin}
  - --authentication-kubeconfig=${admin}
  - --authorization-kubeconfig=${admin}
  binary: /k/bin/kube-controller-manager
  name: kube-controller-manager
  ports:
  - name: https
    port: 32004
- args:
  - --kubeconfig=${admin}
  binary: /k/bin/kwok-controller
  name: kwok-controller
---
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  nodeIP: 127.0.0.1
`;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'adopt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('points the components kwokctl saved at their own kubeconfigs, once, leaving the rest of the file alone', async () => {
    const file = join(dir, 'kwok.yaml');
    await writeFile(file, saved('/k/kubeconfig.yaml'));
    const pki = clusterPkiPaths('/k');
    expect(await adoptComponentIdentities(file, pki)).toEqual(['kube-controller-manager', 'kwok-controller']);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('/k/kubeconfig.yaml');
    expect(text).toContain('- --kubeconfig=/k/kubeconfigs/kube-controller-manager.yaml');
    expect(text).toContain('- --use-service-account-credentials=true');
    expect(text).toContain('- --kubeconfig=/k/kubeconfigs/kwok-controller.yaml');
    expect(text).toContain('- --etcd-servers=https://127.0.0.1:32001');
    expect(text).toContain('kind: KwokConfiguration\noptions:\n  nodeIP: 127.0.0.1');
    expect((await savedComponents(file)).map((c) => [c.name, c.ports])).toEqual([
      ['kube-apiserver', []],
      ['kube-controller-manager', [32004]],
      ['kwok-controller', []],
    ]);
    expect(await adoptComponentIdentities(file, pki)).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});
