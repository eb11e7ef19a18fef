import { access, mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'smol-toml';
import { httpOk, startDaemon, type Daemon } from '../../src/bench/local/daemon.js';
import { freePort } from '../../src/net/ports.js';
import { exec, type ExecOptions, type ExecResult } from '../../src/exec/index.js';

/** A containerd of a test's own: root, state, socket and image hosts all under one temp dir. */
export interface PrivateContainerd {
  address: string;
  namespace: string;
  /** ctr against this containerd, in its namespace, with the hosts dir that mirrors registries to loopback. */
  ctr(args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** `ctr images pull` through the mirrors. */
  pull(reference: string): Promise<void>;
  /** `ctr run ARGS` with runc's state and the IO FIFOs under the temp dir too. */
  run(args: readonly string[]): Promise<ExecResult>;
  stop(): Promise<void>;
}

/**
 * Starts Debian's containerd with everything under `dir` (never /var/lib/containerd or /run/containerd; the
 * runc shims' sockets alone go to /run/containerd/s, named by a hash of this socket's path, and are gone
 * when the tasks are) and the CRI plugin off. Containers' cgroups go under /<namespace>, removed on stop. `mirrors` maps registry hosts (docker.io, registry.k8s.io) to a loopback registry host, written
 * as hosts.toml files with the mirror as the only server: a pull never leaves the machine.
 */
export async function startPrivateContainerd(
  dir: string,
  mirrors: Record<string, string>,
): Promise<PrivateContainerd> {
  const address = join(dir, 'containerd.sock');
  const hostsDir = join(dir, 'certs.d');
  for (const [registry, mirror] of Object.entries(mirrors)) {
    await mkdir(join(hostsDir, registry), { recursive: true });
    const server = `http://${mirror}`;
    await writeFile(
      join(hostsDir, registry, 'hosts.toml'),
      stringify({ server, host: { [server]: { capabilities: ['pull', 'resolve'] } } }),
    );
  }
  const config = join(dir, 'config.toml');
  await writeFile(
    config,
    stringify({
      version: 2,
      root: join(dir, 'root'),
      state: join(dir, 'state'),
      disabled_plugins: [
        'io.containerd.grpc.v1.cri',
        'io.containerd.snapshotter.v1.aufs',
        'io.containerd.snapshotter.v1.btrfs',
        'io.containerd.snapshotter.v1.devmapper',
        'io.containerd.snapshotter.v1.zfs',
      ],
      grpc: { address },
      ttrpc: { address: `${address}.ttrpc` },
      debug: { address: '' },
      metrics: { address: '' },
      plugins: { 'io.containerd.internal.v1.opt': { path: join(dir, 'opt') } },
    }),
  );
  const namespace = 'cncfdemo-images-test';
  const ctr = (args: readonly string[], options?: ExecOptions): Promise<ExecResult> =>
    exec('ctr', ['--address', address, '--namespace', namespace, ...args], options);
  const daemon: Daemon = await startDaemon({
    name: 'containerd',
    command: 'containerd',
    args: ['--config', config],
    ready: async () => {
      await access(address);
      await ctr(['version']);
      return true;
    },
  });
  return {
    address,
    namespace,
    ctr,
    pull: async (reference) => {
      await ctr(['images', 'pull', '--hosts-dir', hostsDir, reference]);
    },
    run: (args) => ctr(['run', '--fifo-dir', join(dir, 'fifo'), '--runc-root', join(dir, 'runc'), ...args]),
    stop: async () => {
      await removeEverything(ctr);
      await daemon.stop();
      await unmountUnder(dir);
      await rm(dir, { recursive: true, force: true });
      await removeCgroups(namespace);
    },
  };
}

/**
 * Starts the ingest server image detached on the host network, bound to a free loopback port, and resolves
 * with its URL once /healthz answers (within 30 s).
 */
export async function runIngestServer(
  containerd: PrivateContainerd,
  ref: string,
  id: string,
): Promise<string> {
  const port = await freePort();
  await containerd.run(['-d', '--net-host', '--env', 'HOST=127.0.0.1', '--env', `PORT=${port}`, ref, id]);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await httpOk(`${url}/healthz`).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${ref} did not answer ${url}/healthz within 30s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return url;
}

/** Kills the tasks and removes the containers left in the namespace (their shims exit with them). */
async function removeEverything(ctr: PrivateContainerd['ctr']): Promise<void> {
  const ids = async (kind: string): Promise<string[]> =>
    (await ctr([kind, 'ls', '-q']).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
  for (const id of await ids('tasks')) {
    await ctr(['tasks', 'kill', '-s', 'SIGKILL', id]).catch(() => undefined);
    await ctr(['tasks', 'delete', '-f', id]).catch(() => undefined);
  }
  for (const id of await ids('containers')) await ctr(['containers', 'rm', id]).catch(() => undefined);
}

/** The (empty, once the tasks are gone) cgroup v1/v2 directories runc made for the namespace's containers. */
async function removeCgroups(namespace: string): Promise<void> {
  const roots = await readdir('/sys/fs/cgroup').catch(() => []);
  for (const root of ['', ...roots])
    await rmdir(join('/sys/fs/cgroup', root, namespace)).catch(() => undefined);
}

/** Unmounts whatever containerd left mounted under `dir` (snapshots, task rootfs), deepest first. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((path) => path.startsWith(`${dir}/`))
    .sort()
    .reverse();
  for (const path of mounts) await exec('umount', ['-l', path]).catch(() => undefined);
}
