import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError, errorMessage } from '../../../../errors/index.js';
import type { Exec } from '../../../../exec/index.js';
import { portInUse, reservedPort } from '../../../../net/ports.js';
import type { RegistryMirror } from '../../../types.js';
import { containerdConfig, cniConfig, hostLimits, registryHostsToml, SANDBOX_IMAGE } from './containerd.js';
import { type DaemonDirs, type DaemonSpec, livePid, logTail, startDaemon, stopDaemon } from './daemons.js';
import {
  componentKubeconfig,
  kubeletArgs,
  kubeletConfig,
  kubeProxyConfig,
  type RealNodePorts,
} from './kubelet.js';
import { REAL_NODE_MARKER, REAL_NODE_NETWORK as NET, realNodePaths, type RealNodePaths } from './layout.js';
import { networkLeftovers, setUpNetwork, tearDownNetwork } from './network.js';
import { signClientCertificate } from './pki.js';
import {
  cgroupLeftovers,
  mountsUnder,
  processesUsing,
  removeKubeletCgroups,
  restoreRootMount,
  shareRootMount,
  unmountUnder,
} from './host.js';

/** The node programs built from the pinned Kubernetes and cri-tools modules. */
export interface RealNodeBinaries {
  kubelet: string;
  kubeProxy: string;
  crictl: string;
}

/** What `cluster create --real-node` asked for, kept in the node record for start. */
export interface RealNodeOptions {
  registryMirrors: readonly RegistryMirror[];
}

/** Written at create; start, stop and delete read it. */
export interface RealNodeRecord {
  nodeName: string;
  ports: RealNodePorts;
  registryMirrors: RegistryMirror[];
}

const startupTimeoutMs = 60_000;

/**
 * This machine as one real node of a local cluster: containerd (its own root, state and socket), the
 * kubelet and kube-proxy, on the sealed bridge network. The control plane is the local cluster's.
 */
export class RealNode {
  readonly paths: RealNodePaths;
  readonly #dirs: DaemonDirs;
  readonly #clusterDir: string;

  constructor(
    readonly clusterName: string,
    clusterDir: string,
    private readonly exec: Exec,
    private readonly binaries: RealNodeBinaries,
  ) {
    this.#clusterDir = clusterDir;
    this.paths = realNodePaths(clusterDir);
    this.#dirs = { pids: this.paths.pids, logs: this.paths.logs };
  }

  get nodeName(): string {
    return `${this.clusterName}-node`;
  }

  /** Present while `/` is shared because this node made it so (see shareRootMount). */
  get #rootShareMarker(): string {
    return join(this.paths.root, 'root-mount-shared');
  }

  /** The node's three processes, each defined once: start, stop, delete and the health waits use these. */
  #daemons(nodeName = this.nodeName): Record<'containerd' | 'kubelet' | 'kubeProxy', DaemonSpec> {
    return {
      containerd: {
        name: 'containerd',
        command: 'containerd',
        args: ['--config', this.paths.containerdConfig],
      },
      kubelet: { name: 'kubelet', command: this.binaries.kubelet, args: kubeletArgs(this.paths, nodeName) },
      kubeProxy: {
        name: 'kube-proxy',
        command: this.binaries.kubeProxy,
        args: [`--config=${this.paths.proxyConfig}`, '--v=1'],
      },
    };
  }

  /** Each node process and whether it runs (its pid file names a live process of its program). */
  async processStates(): Promise<{ name: string; live: boolean }[]> {
    return Promise.all(
      Object.values(this.#daemons()).map(async (d) => ({
        name: d.name,
        live: (await livePid(this.#dirs, d)) !== undefined,
      })),
    );
  }

  /** The cluster directory of the machine's real node, if one exists (a stale marker is ignored). */
  static async owner(marker = REAL_NODE_MARKER): Promise<string | undefined> {
    const text = await readFile(marker, 'utf8').catch(() => undefined);
    const dir = text ? (JSON.parse(text) as { clusterDir?: string }).clusterDir : undefined;
    return dir && (await RealNode.exists(dir)) ? dir : undefined;
  }

  static async exists(clusterDir: string): Promise<boolean> {
    return readFile(realNodePaths(clusterDir).record, 'utf8').then(
      () => true,
      () => false,
    );
  }

  async record(): Promise<RealNodeRecord> {
    return JSON.parse(await readFile(this.paths.record, 'utf8')) as RealNodeRecord;
  }

  /** Before the control plane starts: the bridge (its address goes into the API server's certificate), the record. */
  async prepare(options: RealNodeOptions): Promise<RealNodeRecord> {
    await mkdir(this.paths.root, { recursive: true });
    await mkdir(dirname(REAL_NODE_MARKER), { recursive: true });
    await writeFile(REAL_NODE_MARKER, `${JSON.stringify({ clusterDir: this.#clusterDir })}\n`);
    await setUpNetwork(this.exec);
    // Outside the ephemeral range (see reservedPort): the kubelet binds its ports seconds from now.
    const chosen = new Set<number>();
    const pick = async (): Promise<number> => {
      const port = await reservedPort(chosen);
      chosen.add(port);
      return port;
    };
    const record: RealNodeRecord = {
      nodeName: this.nodeName,
      ports: {
        kubelet: await pick(),
        kubeletHealthz: await pick(),
        proxyHealthz: await pick(),
        proxyMetrics: await pick(),
      },
      registryMirrors: [...options.registryMirrors],
    };
    await writeFile(this.paths.record, `${JSON.stringify(record, null, 2)}\n`);
    return record;
  }

  /** Writes the node's configuration and credentials once (start reuses them). */
  async configure(server: string): Promise<void> {
    const record = await this.record();
    const p = this.paths;
    const ca = { cert: join(p.pki, 'ca.crt'), key: join(p.pki, 'ca.key') };
    for (const dir of [p.cniConfDir, p.cniIpamDir, p.kubeletRoot, p.podLogs, p.registryHosts]) {
      await mkdir(dir, { recursive: true });
    }
    await writeFile(p.containerdConfig, containerdConfig(p, await hostLimits()));
    await writeFile(join(p.cniConfDir, '10-cncfdemo.conflist'), cniConfig(p));
    for (const mirror of record.registryMirrors) {
      await mkdir(join(p.registryHosts, mirror.registry), { recursive: true });
      await writeFile(join(p.registryHosts, mirror.registry, 'hosts.toml'), registryHostsToml(mirror));
    }
    // Pods with dnsPolicy Default get this: no upstream resolver, so no query can leave the machine.
    await writeFile(p.resolvConf, '# cncfdemo real node: cluster DNS only\nnameserver 127.0.0.1\n');
    const kubelet = await signClientCertificate(
      this.exec,
      ca,
      { commonName: `system:node:${record.nodeName}`, organization: 'system:nodes' },
      { dir: p.pki, name: 'kubelet-client' },
    );
    const proxy = await signClientCertificate(
      this.exec,
      ca,
      { commonName: 'system:kube-proxy' },
      { dir: p.pki, name: 'kube-proxy-client' },
    );
    await writeFile(
      p.kubeletKubeconfig,
      componentKubeconfig(server, ca.cert, kubelet.cert, kubelet.key, 'kubelet'),
    );
    await writeFile(
      p.proxyKubeconfig,
      componentKubeconfig(server, ca.cert, proxy.cert, proxy.key, 'kube-proxy'),
    );
    await writeFile(p.kubeletConfig, kubeletConfig(p, record.ports, ca.cert));
    await writeFile(p.proxyConfig, kubeProxyConfig(p, record.ports, record.nodeName));
  }

  /** Starts containerd, checks the mirrors and the sandbox image, then the kubelet and kube-proxy. Idempotent. */
  async start(signal?: AbortSignal): Promise<void> {
    const record = await this.record();
    await setUpNetwork(this.exec);
    await shareRootMount(this.exec, this.#rootShareMarker);
    await this.#mustHaveFreePorts(record);
    const { containerd, kubelet, kubeProxy } = this.#daemons(record.nodeName);
    await startDaemon(this.#dirs, containerd);
    await this.#until(containerd, () => this.#crictl(['info']).then(() => true), signal);
    await this.#pull(SANDBOX_IMAGE, record);
    await startDaemon(this.#dirs, kubelet);
    await startDaemon(this.#dirs, kubeProxy);
    await this.#until(kubelet, () => this.#healthy(record.ports.kubeletHealthz), signal);
    await this.#until(kubeProxy, () => this.#healthy(record.ports.proxyHealthz), signal);
  }

  /** A port of a node process that is not running, taken by another process meanwhile, would fail it later. */
  async #mustHaveFreePorts(record: RealNodeRecord): Promise<void> {
    const { kubelet, kubeProxy } = this.#daemons(record.nodeName);
    const owners: [DaemonSpec, number, string][] = [
      [kubelet, record.ports.kubelet, NET.bridgeAddress],
      [kubelet, record.ports.kubeletHealthz, '127.0.0.1'],
      [kubeProxy, record.ports.proxyHealthz, '127.0.0.1'],
      [kubeProxy, record.ports.proxyMetrics, '127.0.0.1'],
    ];
    for (const [daemon, port, host] of owners) {
      const { name } = daemon;
      if ((await livePid(this.#dirs, daemon)) !== undefined) continue;
      if (await portInUse(port, host)) {
        throw new UserError(
          `port ${String(port)} on ${host} of the real node (its ${name}) is now used by another process`,
          `stop that process, or delete the cluster and create it again ('cncfdemo cluster delete --name ${this.clusterName}')`,
        );
      }
    }
  }

  /** Pulls an image through containerd, failing in one line when the registry (or mirror) does not have it. */
  async pull(image: string): Promise<void> {
    await this.#pull(image, await this.record());
  }

  async #pull(image: string, record: RealNodeRecord): Promise<void> {
    try {
      await this.#crictl(['pull', image]);
    } catch (err) {
      const registry = image.split('/')[0] ?? '';
      const mirror = record.registryMirrors.find((m) => m.registry === registry);
      throw new UserError(
        `the real node could not pull ${image}${mirror ? ` from the mirror ${mirror.endpoint}` : ''}: ${lastLine(err)}`,
        mirror
          ? `push the image to ${mirror.endpoint}, or fix --registry-mirror ${registry}=URL`
          : `check the image name and that its registry is reachable, or give --registry-mirror ${registry || 'docker.io'}=URL`,
      );
    }
  }

  /**
   * Stops the node the way a node shuts down: the kubelet first, then every pod's containers (their
   * sandboxes stay, so start brings the same pods back), then containerd and kube-proxy.
   */
  async stop(): Promise<void> {
    const { containerd, kubelet, kubeProxy } = this.#daemons();
    await stopDaemon(this.#dirs, kubelet);
    if ((await livePid(this.#dirs, containerd)) !== undefined) {
      await this.#crictl(['stopp', ...(await this.#sandboxes())]).catch(() => undefined);
    }
    await stopDaemon(this.#dirs, containerd);
    await stopDaemon(this.#dirs, kubeProxy);
  }

  /**
   * Removes everything the node made on this host: pods (CNI teardown, network namespaces), containerd and
   * its shims, kube-proxy's iptables rules, mounts, the kubelet's cgroups, the network. Safe after a crash.
   */
  async destroy(): Promise<void> {
    const { containerd, kubelet, kubeProxy } = this.#daemons();
    await stopDaemon(this.#dirs, kubelet);
    await stopDaemon(this.#dirs, kubeProxy);
    if (await this.#containerdUsable()) {
      const pods = await this.#sandboxes();
      if (pods.length > 0) await this.#crictl(['rmp', '--force', ...pods]).catch(() => undefined);
    }
    await stopDaemon(this.#dirs, containerd);
    await this.#killLeftoverProcesses();
    await this.exec(this.binaries.kubeProxy, ['--cleanup', '--v=0']).catch(() => undefined);
    await removeKubeletCgroups();
    await unmountUnder(this.exec, this.paths.root);
    await restoreRootMount(this.exec, this.#rootShareMarker);
    await tearDownNetwork(this.exec);
    const left = await this.leftovers();
    if (left.length > 0) {
      throw new Error(
        `the real node left ${left.join(', ')} behind; run the delete again, or remove them by hand`,
      );
    }
    await rm(this.paths.root, { recursive: true, force: true });
    if (
      (await readFile(REAL_NODE_MARKER, 'utf8').catch(() => '')).includes(JSON.stringify(this.#clusterDir))
    ) {
      await rm(REAL_NODE_MARKER, { force: true });
    }
  }

  /** What of the node is left on this host (empty after destroy): processes, mounts, cgroups, network. */
  async leftovers(): Promise<string[]> {
    const processes = await processesUsing(this.paths.root);
    return [
      ...processes.map((p) => `process ${String(p.pid)} (${p.command})`),
      ...(await mountsUnder(this.paths.root)).map((m) => `mount ${m}`),
      ...(await cgroupLeftovers()),
      ...(await networkLeftovers(this.exec)),
    ];
  }

  async #containerdUsable(): Promise<boolean> {
    const { containerd } = this.#daemons();
    if ((await livePid(this.#dirs, containerd)) !== undefined) return true;
    // After a crash: start containerd once more so the CRI can tear pods down properly.
    const configured = await readFile(this.paths.containerdConfig, 'utf8').then(
      () => true,
      () => false,
    );
    if (!configured) return false;
    try {
      await startDaemon(this.#dirs, containerd);
      await this.#until(containerd, () => this.#crictl(['info']).then(() => true));
      return true;
    } catch {
      return false;
    }
  }

  async #sandboxes(): Promise<string[]> {
    const { stdout } = await this.#crictl(['pods', '-q']);
    return stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }

  /** containerd's shims outlive it; after a crash so may the others. */
  async #killLeftoverProcesses(): Promise<void> {
    for (const { pid } of await processesUsing(this.paths.root)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }

  #crictl(args: readonly string[]) {
    const endpoint = `unix://${this.paths.containerdSocket}`;
    return this.exec(this.binaries.crictl, [
      '--runtime-endpoint',
      endpoint,
      '--image-endpoint',
      endpoint,
      '--timeout',
      '60s',
      ...args,
    ]);
  }

  async #healthy(port: number): Promise<boolean> {
    const response = await fetch(`http://127.0.0.1:${String(port)}/healthz`, {
      signal: AbortSignal.timeout(2000),
    });
    await response.arrayBuffer();
    return response.ok;
  }

  /** Polls `ready` until it holds; fails naming the process and what its log says (logTail) if it died or took too long. */
  async #until(daemon: DaemonSpec, ready: () => Promise<boolean>, signal?: AbortSignal): Promise<void> {
    const { name } = daemon;
    const deadline = Date.now() + startupTimeoutMs;
    let delay = 50;
    for (;;) {
      signal?.throwIfAborted();
      if (await ready().catch(() => false)) return;
      const alive = (await livePid(this.#dirs, daemon)) !== undefined;
      if (!alive || Date.now() > deadline) {
        const tail = await logTail(this.#dirs, name);
        throw new Error(
          `${name} ${alive ? `was not healthy within ${String(startupTimeoutMs / 1000)}s` : 'exited'}${tail ? `: ${tail}` : ''} (log: ${join(this.paths.logs, `${name}.log`)})`,
        );
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 500);
    }
  }
}

function lastLine(err: unknown): string {
  const text = errorMessage(err);
  const match = /(?:failed to pull and unpack image|rpc error)[^\n]*/.exec(text);
  return (match?.[0] ?? text.split('\n').at(-1) ?? text).replace(/\\"/g, '"').slice(0, 300);
}
