import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteCluster } from '../../src/api/cluster.js';
import { apiserverScrapedWithin } from '../../src/bench/local/monitoring.js';
import { savedPorts } from '../../src/cluster/providers/local/components.js';
import { binaryPaths, pinnedVersions } from '../../src/cluster/providers/local/toolchain.js';
import { cacheDir } from '../../src/config/paths.js';
import { exec } from '../../src/exec/index.js';
import { isOneLineError, runCli, type CliResult } from '../helpers/cli.js';
import { uniqueName } from './harness.js';

/** A cluster of this file's own: stopping the shared one would break the tests running beside it. */
const name = uniqueName('stop');
let home: string;
let env: NodeJS.ProcessEnv;
let kubectlBin: string;
let prometheus: string;

const cli = (args: readonly string[]): Promise<CliResult> => runCli(args, env);
const kubectl = async (args: readonly string[]): Promise<string> =>
  (await exec(kubectlBin, ['--context', `cncfdemo-${name}`, ...args], { env })).stdout;
const status = async (): Promise<string | undefined> =>
  (await cli(['cluster', 'list'])).stdout
    .split('\n')
    .map((line) => line.split(/\s+/))
    .find((fields) => fields[0] === name)?.[2];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cncfdemo-stop-'));
  env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
  kubectlBin = binaryPaths(await pinnedVersions(), cacheDir()).kubectl;
  const created = await cli(['cluster', 'create', '--name', name, '--nodes', '2']);
  expect(created.code, created.stderr).toBe(0);
  // its own Prometheus, one of its processes
  prometheus = /Prometheus (http:\S+)/.exec(created.stderr)?.[1] ?? '';
  expect(prometheus).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

afterAll(async () => {
  await deleteCluster({ name, home, env }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

describe('cluster stop and start', () => {
  it('stops every process, keeps the state, and says how to start again', async () => {
    await kubectl(['create', 'configmap', 'kept', '--from-literal=answer=42']);
    const stopped = await cli(['cluster', 'stop', '--name', name]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toContain(`cncfdemo cluster start --name ${name}`);
    expect(await status()).toBe('Stopped');
    await expect(kubectl(['get', 'nodes'])).rejects.toThrow(/refused/);
    await expect(fetch(`${prometheus}/-/ready`)).rejects.toThrow();

    const again = await cli(['cluster', 'stop', '--name', name]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('refuses to create it again while stopped, pointing at cluster start', async () => {
    const result = await cli(['cluster', 'create', '--name', name]);
    expect(result.code).not.toBe(0);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain(`start it with 'cncfdemo cluster start --name ${name}'`);
  });

  it('refuses to start while another process holds one of its ports, naming it', async () => {
    const [first] = await savedPorts(join(home, 'clusters', name, 'kwok.yaml'));
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(first?.port, '127.0.0.1', resolve));
    try {
      const result = await cli(['cluster', 'start', '--name', name]);
      expect(result.code).not.toBe(0);
      expect(isOneLineError(result.stderr)).toBe(true);
      expect(result.stderr).toContain(`port ${String(first?.port)} of cluster "${name}"`);
      expect(await status()).toBe('Stopped');
    } finally {
      squatter.close();
    }
  });

  it('starts it with its objects, and kwok runs new pods at once', async () => {
    const started = await cli(['cluster', 'start', '--name', name]);
    expect(started.code, started.stderr).toBe(0);
    expect(await status()).toBe('Running');
    expect(await kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.answer}'])).toBe('42');
    // its Prometheus scrapes the API server again, with its certificate of system:monitoring
    expect(await apiserverScrapedWithin(prometheus, 15_000)).toBe(true);
    // Pods are Ready within a second here; before, a restarted cluster left them Pending until the old
    // node leases expired (200 s) and the controllers' leader-election leases (15 s).
    await kubectl(['create', 'deployment', 'after', '--image=nginx', '--replicas=2']);
    await kubectl(['rollout', 'status', 'deployment/after', '--timeout=10s']);

    const again = await cli(['cluster', 'start', '--name', name]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('says a cluster that does not exist cannot be started or stopped, in one line', async () => {
    for (const verb of ['start', 'stop']) {
      const result = await cli(['cluster', verb, '--name', 'no-such-cluster']);
      expect(result.code).not.toBe(0);
      expect(isOneLineError(result.stderr)).toBe(true);
      expect(result.stderr).toContain('cluster "no-such-cluster" does not exist');
    }
  });
});
