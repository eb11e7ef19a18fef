import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { cniConfig, containerdConfig, registryHostsToml } from './containerd.js';
import { mountsUnder } from './host.js';
import { realNodePaths } from './layout.js';

const paths = realNodePaths('/home/u/.cncfdemo/clusters/demo');

describe('containerdConfig', () => {
  const config = parse(containerdConfig(paths)) as Record<string, unknown> & {
    plugins: Record<string, Record<string, unknown>>;
  };

  it('keeps containerd inside the cluster directory, with no TCP listener', () => {
    expect(config.root).toBe('/home/u/.cncfdemo/clusters/demo/node/containerd/root');
    expect(config.state).toBe('/home/u/.cncfdemo/clusters/demo/node/containerd/state');
    expect(config.grpc).toEqual({
      address: '/home/u/.cncfdemo/clusters/demo/node/containerd/containerd.sock',
    });
    expect(config.metrics).toEqual({ address: '' });
    const cri = config.plugins['io.containerd.grpc.v1.cri'];
    expect(cri).toMatchObject({ netns_mounts_under_state_dir: true, stream_server_address: '127.0.0.1' });
    expect(cri?.cni).toMatchObject({ conf_dir: paths.cniConfDir });
  });
});

describe('registryHostsToml', () => {
  it('makes the mirror the server too, so a pull never falls back to the upstream registry', () => {
    expect(parse(registryHostsToml({ registry: 'docker.io', endpoint: 'http://127.0.0.1:5000' }))).toEqual({
      server: 'http://127.0.0.1:5000',
      host: { 'http://127.0.0.1:5000': { capabilities: ['pull', 'resolve'] } },
    });
  });
});

describe('cniConfig', () => {
  it('bridges pods on the sealed subnet without IP masquerade', () => {
    const conf = JSON.parse(cniConfig(paths)) as { plugins: Record<string, unknown>[] };
    expect(conf.plugins[0]).toMatchObject({ type: 'bridge', bridge: 'cncfdemo0', ipMasq: false });
    expect(JSON.stringify(conf)).toContain('"subnet":"198.18.0.0/24"');
  });
});

describe('mountsUnder', () => {
  it('lists mounts below a directory deepest first, unescaping octal escapes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mountinfo-'));
    const file = join(dir, 'mountinfo');
    await writeFile(
      file,
      [
        '22 1 0:21 / / rw - ext4 /dev/vda rw',
        '30 22 0:30 / /c/node/kubelet/pods/x/volumes/a\\040b rw - tmpfs tmpfs rw',
        '31 22 0:31 / /c/node/containerd/state/netns/cni-1 rw - nsfs nsfs rw',
        '32 22 0:32 / /c/nodeother rw - tmpfs tmpfs rw',
      ].join('\n'),
    );
    expect(await mountsUnder('/c/node', file)).toEqual([
      '/c/node/kubelet/pods/x/volumes/a b',
      '/c/node/containerd/state/netns/cni-1',
    ]);
  });
});
