import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../errors/index.js';
import type { Exec } from '../../../exec/index.js';
import { binaryPaths, ensureBinaries, pinnedVersions } from './toolchain.js';

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
    // Port 1 on loopback refuses: should any set be pinned, its download fails at once and it is built.
    const env = {
      PATH: '/nonexistent',
      CNCFDEMO_CACHE: cache,
      CNCFDEMO_RELEASE_MIRROR: 'http://127.0.0.1:1',
    };
    const attempt = ensureBinaries({ env, exec });
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
