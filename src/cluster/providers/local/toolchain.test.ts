import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../errors/index.js';
import type { Exec } from '../../../exec/index.js';
import { binaryPaths, ensureBinaries, pinnedVersions, requiredVersion } from './toolchain.js';

describe('requiredVersion', () => {
  it('reads single-line and block requires', () => {
    expect(requiredVersion('module x\n\nrequire k8s.io/kubernetes v1.34.12\n', 'k8s.io/kubernetes')).toBe(
      'v1.34.12',
    );
    expect(requiredVersion('require (\n\tsigs.k8s.io/kwok v0.7.0\n)\n', 'sigs.k8s.io/kwok')).toBe('v0.7.0');
    expect(requiredVersion('require k8s.io/kubernetes-extra v1.0.0\n', 'k8s.io/kubernetes')).toBeUndefined();
  });
});

describe('pinnedVersions', () => {
  it('reads every pinned version from the wrapper modules in toolchain/', async () => {
    const versions = await pinnedVersions();
    expect(versions.kubernetes).toMatch(/^v1\.\d+\.\d+$/);
    expect(versions.etcd).toMatch(/^v3\.\d+\.\d+$/);
    expect(versions.kwok).toMatch(/^v0\.\d+\.\d+$/);
    expect(versions.metricsServer).toMatch(/^v0\.\d+\.\d+$/);
  });
});

describe('ensureBinaries', () => {
  let cache: string | undefined;
  afterEach(async () => {
    if (cache) await rm(cache, { recursive: true, force: true });
  });

  it('explains how to get Go when binaries must be built and Go is missing, without running anything', async () => {
    cache = await mkdtemp(join(tmpdir(), 'cncfdemo-cache-'));
    const calls: string[] = [];
    const exec: Exec = (command) => {
      calls.push(command);
      return Promise.resolve({ stdout: '', stderr: '' });
    };
    const attempt = ensureBinaries({ env: { PATH: '/nonexistent', CNCFDEMO_CACHE: cache }, exec });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(/Go toolchain is not on PATH/);
    expect(calls).toEqual([]);
  });

  it('puts each binary set in a versioned folder of the cache', () => {
    const paths = binaryPaths(
      {
        kubernetes: 'v1.34.12',
        etcd: 'v3.6.16',
        kwok: 'v0.7.0',
        metricsServer: 'v0.8.0',
        criTools: 'v1.34.0',
      },
      '/cache',
    );
    expect(paths.kubeApiserver).toBe('/cache/bin/kubernetes-v1.34.12/kube-apiserver');
    expect(paths.etcd).toBe('/cache/bin/etcd-v3.6.16/etcd');
    expect(paths.kwokctl).toBe('/cache/bin/kwok-v0.7.0/kwokctl');
  });
});
