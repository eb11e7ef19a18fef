import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cacheDir } from '../../../config/paths.js';
import { parseAllDocuments } from 'yaml';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { UserError } from '../../../errors/index.js';
import { tracked } from '../../../events/index.js';
import { exec as defaultExec, which, type Exec } from '../../../exec/index.js';
import { mergeContext } from '../../kubeconfig-file.js';
import type {
  ClusterInfo,
  ClusterProvider,
  ClusterSpec,
  ClusterState,
  ClusterSummary,
  OperationOptions,
  StopResult,
} from '../../types.js';
import { contextName } from '../../../config/identity.js';
import { clusterNames, newRecord, writeRecord } from '../../record.js';
import { localSpecProblems } from './validate.js';
import { delayedStages, kwokctlConfig, LOOPBACK, nodeParams, REAL_NODE_API_NAMES } from './config.js';
import { adoptComponentIdentities, grantKwokRights } from './identities.js';
import { clusterPkiPaths, ensureComponentIdentities, writeClusterPki, type ClusterPki } from './pki.js';
import {
  ensureBinaries,
  ensureNodeBinaries,
  nodeBinaryPaths,
  type ToolchainBinaries,
  pinnedVersions,
} from './toolchain.js';
import { RealNode } from './real-node/node.js';
import { realNodePreflight } from './real-node/preflight.js';
import { installClusterDns, taintSimulatedNodes } from './real-node/addons.js';
import { checkMirrors } from './real-node/mirrors.js';
import { withPortLock } from './port-lock.js';
import { portInUse } from '../../../net/ports.js';
import {
  componentStates,
  controlPlanePorts,
  exitedBeforeApiServed,
  forgetDead,
  stopComponents,
  type ComponentState,
} from './components.js';
import { countNodes, releaseNodeLeases, waitForNodeLeases, waitForReadyNodes } from './node-watch.js';
import { logSummary } from './log-summary.js';
import { clusterPrometheusUrl, writeMonitoringConfig, type ClusterMonitoring } from './monitoring.js';

const METRICS_API = 'v1beta1.metrics.k8s.io';

const onPortWait = (options: OperationOptions) => (): void => {
  options.logger?.info('another local cluster is starting on this machine: waiting for it to finish first');
};

export interface LocalProviderOptions {
  /** cncfdemo's home; local clusters live in `<home>/clusters/<name>`. */
  home: string;
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  /** Keep a half-created cluster for debugging instead of cleaning it up. */
  retainOnFailure?: boolean;
}

/**
 * A real control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, metrics-server)
 * as local processes, with kwok playing the kubelets: driven by kwokctl's binary runtime.
 */
export class LocalProvider implements ClusterProvider {
  readonly name = 'local';
  readonly capabilities = { simulatedNodes: true, loadBalancers: false };
  readonly #env: NodeJS.ProcessEnv;
  readonly #exec: Exec;
  readonly #workdir: string;

  constructor(private readonly options: LocalProviderOptions) {
    this.#env = options.env ?? process.env;
    this.#exec = options.exec ?? defaultExec;
    this.#workdir = options.home;
  }

  #clusterDir(name: string): string {
    return join(this.#workdir, 'clusters', name);
  }

  async #kwokctl(
    binaries: ToolchainBinaries,
    args: string[],
    options: OperationOptions = {},
  ): Promise<string> {
    const env = {
      ...this.#env,
      KWOK_WORKDIR: this.#workdir,
      // kwokctl runs `kubectl` from PATH: ours first (a distribution's kubectl may be years old).
      PATH: [dirname(binaries.kubectl), this.#env.PATH ?? ''].join(delimiter),
    };
    const { stdout } = await this.#exec(binaries.kwokctl, args, {
      env,
      ...(options.signal ? { signal: options.signal } : {}),
      onOutput: (chunk) => {
        options.logger?.debug(chunk.trimEnd());
      },
    });
    return stdout;
  }

  validate(spec: ClusterSpec): Promise<string[]> {
    const problems = localSpecProblems(spec);
    if (problems.length > 0) throw new UserError(problems.join('; '), 'see cncfdemo cluster create --help');
    return Promise.resolve([]);
  }

  async list(): Promise<ClusterSummary[]> {
    const names = await clusterNames(this.#workdir, this.name);
    return Promise.all(
      names.map(async (name) => ({
        name,
        provider: this.name,
        context: contextName(name),
        ...(await this.#health(name)),
      })),
    );
  }

  async #exists(name: string): Promise<boolean> {
    return (await clusterNames(this.#workdir, this.name)).includes(name);
  }

  /**
   * Running when every process of the cluster runs (the control plane's, and the real node's containerd,
   * kubelet and kube-proxy when it has one), Stopped when none does, else Degraded.
   */
  async #health(name: string): Promise<{ running: boolean; state: ClusterState; down?: string[] }> {
    const dir = this.#clusterDir(name);
    const states: { name: string; live: boolean }[] = await componentStates(dir);
    if (await RealNode.exists(dir)) {
      // Looking needs the binaries' names only: nothing is installed for a health check.
      const binaries = nodeBinaryPaths(await pinnedVersions(), cacheDir(this.#env));
      const node = new RealNode(name, dir, this.#exec, binaries);
      states.push(...(await node.processStates()));
    }
    const down = states.filter((c) => !c.live).map((c) => c.name);
    if (states.length > 0 && down.length === 0) return { running: true, state: 'Running' };
    if (down.length === states.length) return { running: false, state: 'Stopped' };
    return { running: false, state: 'Degraded', down };
  }

  async create(spec: ClusterSpec, options: OperationOptions = {}): Promise<ClusterInfo> {
    if (await this.#exists(spec.name)) {
      const { state, down } = await this.#health(spec.name);
      const start = `start it with 'cncfdemo cluster start --name ${spec.name}', or delete it first`;
      throw new UserError(
        `cluster "${spec.name}" already exists`,
        state === 'Running'
          ? `use it as is, delete it with 'cncfdemo cluster delete --name ${spec.name}', or pick another --name`
          : state === 'Stopped'
            ? `it is stopped: ${start}`
            : `it is degraded (${(down ?? []).join(', ')} not running): ${start}`,
      );
    }
    const { events } = options;
    if (spec.realNode) {
      const { registryMirrors } = spec.realNode;
      await tracked(events, 'cluster', 'preflight', 'Checking this machine can be a real node', async () => {
        await realNodePreflight({ exec: this.#exec, env: this.#env });
        await this.#mustBeOnlyRealNode(spec.name);
        await checkMirrors(registryMirrors);
      });
    }
    const ensureOptions = {
      env: this.#env,
      exec: this.#exec,
      ...(options.logger ? { logger: options.logger } : {}),
    };
    const binaries = await tracked(events, 'cluster', 'binaries', 'Control-plane binaries', async () => {
      const controlPlane = await ensureBinaries(ensureOptions);
      if (spec.realNode) await ensureNodeBinaries(ensureOptions);
      return controlPlane;
    });
    const versions = await pinnedVersions();
    const scratch = await mkdtemp(join(tmpdir(), 'cncfdemo-'));
    try {
      const configPath = join(scratch, 'kwokctl.yaml');
      const stages =
        spec.podStartDelayMs > 0
          ? delayedStages(await readStages(binaries.kwokStages), spec.podStartDelayMs)
          : [];
      const realNode = spec.realNode ? await this.#realNode(spec.name) : undefined;
      const pki = await tracked(events, 'cluster', 'pki', 'Certificates and keys', () =>
        writeClusterPki(this.#exec, this.#clusterDir(spec.name), realNode ? REAL_NODE_API_NAMES : []),
      );
      await withPortLock(this.#env, onPortWait(options), async () => {
        const ports = await controlPlanePorts(
          (await clusterNames(this.#workdir, this.name)).map((c) => this.#clusterDir(c)),
        );
        const apiServer = `${LOOPBACK}:${String(ports.kubeApiserverPort)}`;
        await ensureComponentIdentities(this.#exec, this.#clusterDir(spec.name), `https://${apiServer}`);
        const monitoring = await this.#monitoring(spec.name, pki, apiServer, options);
        await writeFile(
          configPath,
          kwokctlConfig(binaries, versions, {
            pki,
            ports,
            profiling: spec.profiling === true,
            realNode: realNode !== undefined,
            ...(monitoring ? { monitoring } : {}),
            extraDocuments: stages,
          }),
        );
        if (realNode && spec.realNode) {
          await tracked(events, 'cluster', 'node-network', 'Sealed bridge network for the real node', () =>
            realNode.prepare({ registryMirrors: spec.realNode?.registryMirrors ?? [] }),
          );
        }
        await tracked(events, 'cluster', 'control-plane', 'Starting the control plane', () =>
          this.#withKwokRights(spec.name, options, () =>
            this.#kwokctl(
              binaries,
              [
                'create',
                'cluster',
                '--name',
                spec.name,
                '--config',
                configPath,
                '--kubeconfig',
                '',
                '--wait',
                '5m',
              ],
              options,
            ),
          ),
        );
        await this.#startAgainWhatExitedEarly(spec.name, binaries, options);
        const kubeconfig = this.#kubeconfigPath(spec.name);
        if (spec.nodes > 0) {
          await tracked(events, 'cluster', 'nodes', `Registering ${spec.nodes} simulated nodes`, () =>
            this.#kwokctl(
              binaries,
              [
                'scale',
                'node',
                '--name',
                spec.name,
                '--replicas',
                String(spec.nodes),
                ...nodeParams(spec.nodeCpu, spec.nodeMemory, spec.nodePods),
              ],
              options,
            ),
          );
        }
        if (realNode && spec.realNode) {
          await tracked(
            events,
            'cluster',
            'real-node',
            'Starting the real node (containerd, kubelet, kube-proxy)',
            async () => {
              await realNode.configure(await this.#server(spec.name));
              await realNode.start(options.signal);
            },
          );
          if (spec.nodes > 0) await taintSimulatedNodes(this.#exec, binaries.kubectl, kubeconfig);
        }
        await this.#waitHealthy(binaries, kubeconfig, spec.nodes + (realNode ? 1 : 0), options);
        await this.#mustAllRun(spec.name);
        if (realNode && spec.realNode) {
          const { dnsImage } = spec.realNode;
          await tracked(events, 'cluster', 'dns', 'Cluster DNS (CoreDNS)', async () => {
            await realNode.pull(dnsImage);
            await installClusterDns(kubeconfig, dnsImage, options.signal);
          });
        }
      });
    } catch (err) {
      if (!this.options.retainOnFailure) await this.#destroy(binaries, spec.name).catch(() => undefined);
      throw err;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    await writeRecord(this.#workdir, newRecord(spec.name, this.name));
    return this.info(spec.name);
  }

  /**
   * The cluster's own Prometheus, scraping its API server (monitoring.ts), when Prometheus is installed;
   * without it the cluster runs all the same, and a benchmark starts a Prometheus when it can.
   */
  async #monitoring(
    name: string,
    pki: ClusterPki,
    apiServer: string,
    options: OperationOptions,
  ): Promise<ClusterMonitoring | undefined> {
    const binary = await which('prometheus', this.#env.PATH);
    if (!binary) {
      options.logger?.info('prometheus is not installed: the cluster runs without a Prometheus of its own');
      return undefined;
    }
    return writeMonitoringConfig(this.#clusterDir(name), pki, apiServer, binary);
  }

  /**
   * Runs the kwokctl command that starts the control plane while kwok's rights are applied as soon as the
   * API server answers (kwok runs as its own user: pki.ts COMPONENT_USERS).
   */
  async #withKwokRights(name: string, options: OperationOptions, run: () => Promise<unknown>): Promise<void> {
    const controller = new AbortController();
    const onAbort = (): void => {
      controller.abort(options.signal?.reason);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const granting = grantKwokRights(this.#kubeconfigPath(name), controller.signal);
    try {
      await run();
      await granting;
    } finally {
      controller.abort();
      options.signal?.removeEventListener('abort', onAbort);
      await granting.catch(() => undefined);
    }
  }

  #kubeconfigPath(name: string): string {
    return join(this.#clusterDir(name), 'kubeconfig.yaml');
  }

  /** Every node Ready (one watch) and the resource metrics API Available. */
  async #waitHealthy(
    binaries: ToolchainBinaries,
    kubeconfig: string,
    nodes: number,
    options: OperationOptions,
  ): Promise<void> {
    const { events, signal } = options;
    await tracked(events, 'cluster', 'nodes-ready', 'Waiting for nodes to be Ready', (progress) =>
      waitForReadyNodes(kubeconfig, nodes, progress, signal),
    );
    await tracked(events, 'cluster', 'metrics', 'Waiting for the resource metrics API', async () => {
      const kubectl = (...args: string[]) =>
        this.#exec(binaries.kubectl, ['--kubeconfig', kubeconfig, ...args], signal ? { signal } : {});
      try {
        await kubectl('wait', '--for=condition=Available', `apiservice/${METRICS_API}`, '--timeout=120s');
      } catch (err) {
        if (signal?.aborted) throw err;
        const why = await kubectl(
          'get',
          'apiservice',
          METRICS_API,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Available")].message}',
        ).then(
          (r) => r.stdout.trim(),
          () => 'unknown',
        );
        const log = await readFile(join(dirname(kubeconfig), 'logs', 'metrics-server.log'), 'utf8').catch(
          () => '',
        );
        const said = logSummary(log, 1);
        throw new Error(
          `the resource metrics API (metrics-server) did not become Available in 120 s: ${why || 'no reason given'}` +
            (said ? `; metrics-server's log: ${said.slice(0, 300)}` : ''),
        );
      }
    });
  }

  async start(name: string, options: OperationOptions = {}): Promise<ClusterInfo> {
    await this.#mustExist(name);
    const dir = this.#clusterDir(name);
    // A cluster made before its components had users of their own gets them; those running as the admin
    // are stopped here, so that the start below brings them back as themselves.
    await ensureComponentIdentities(this.#exec, dir, await this.#server(name));
    const adopted = await adoptComponentIdentities(join(dir, 'kwok.yaml'), clusterPkiPaths(dir));
    await stopComponents(
      dir,
      (await componentStates(dir)).filter((c) => c.live && (adopted as string[]).includes(c.name)),
    );
    const states = await componentStates(dir);
    const dead = states.filter((c) => !c.live);
    if (dead.length === 0) {
      // The control plane runs; the real node's processes may not (one died, or the node was stopped alone).
      if (await RealNode.exists(dir)) await (await this.#realNode(name)).start(options.signal);
      return this.info(name);
    }
    const binaries = await ensureBinaries({ env: this.#env, exec: this.#exec });
    await withPortLock(this.#env, onPortWait(options), async () => {
      await this.#mustHaveFreePorts(name, dead);
      // kwokctl starts what it finds no live pid for, and leaves the processes that run alone.
      await forgetDead(dir, states);
      const kubeconfig = this.#kubeconfigPath(name);
      const kwokDied = dead.some((c) => c.name === 'kwok-controller');
      const apiUp = !dead.some((c) => c.name === 'etcd' || c.name === 'kube-apiserver');
      // Leases a kwok that died held block a new one until they expire; gone before it starts, they do not.
      if (kwokDied && apiUp) await releaseNodeLeases(kubeconfig, signalOption(options));
      const startedAt = new Date();
      const what =
        dead.length === states.length
          ? 'Starting the control plane'
          : `Restarting ${dead.map((c) => c.name).join(', ')}`;
      await tracked(options.events, 'cluster', 'control-plane', what, () =>
        this.#withKwokRights(name, options, () =>
          this.#kwokctl(binaries, ['start', 'cluster', '--name', name, '--wait', '5m'], options),
        ),
      );
      await this.#startAgainWhatExitedEarly(name, binaries, options);
      const realNode = (await RealNode.exists(dir)) ? await this.#realNode(name) : undefined;
      if (realNode) {
        await tracked(options.events, 'cluster', 'real-node', 'Starting the real node', () =>
          realNode.start(options.signal),
        );
      }
      const nodes = await countNodes(kubeconfig, options.signal);
      if (kwokDied) {
        // Leases renewed before this start were held by a kwok that did not stop cleanly (a crash, a reboot).
        await releaseNodeLeases(kubeconfig, { renewedBefore: startedAt, ...signalOption(options) });
        // The nodes' Ready status is the one stored before the stop: kwok manages them again once it holds their leases.
        await tracked(
          options.events,
          'cluster',
          'node-leases',
          'Waiting for kwok to take over the nodes',
          (progress) => waitForNodeLeases(kubeconfig, nodes, startedAt, progress, options.signal),
        );
      }
      await this.#waitHealthy(binaries, kubeconfig, nodes, options);
      await this.#mustAllRun(name);
    });
    return this.info(name);
  }

  /**
   * kwokctl returns once the API server serves, but it started the other processes before that: those that
   * exited because it did not answer yet (metrics-server) get one more start, now that it does.
   */
  async #startAgainWhatExitedEarly(
    name: string,
    binaries: ToolchainBinaries,
    options: OperationOptions,
  ): Promise<void> {
    const dir = this.#clusterDir(name);
    const states = await componentStates(dir);
    const exited = exitedBeforeApiServed(states);
    if (exited.length === 0) return;
    const names = exited.map((c) => c.name).join(', ');
    await tracked(options.events, 'cluster', 'control-plane-again', `Starting ${names} again`, async () => {
      await forgetDead(dir, states);
      await this.#kwokctl(binaries, ['start', 'cluster', '--name', name, '--wait', '5m'], options);
    });
  }

  /** A process that exits right after its start is not noticed by kwokctl: name it, and where it said why. */
  async #mustAllRun(name: string): Promise<void> {
    const down = (await componentStates(this.#clusterDir(name))).filter((c) => !c.live);
    if (down.length === 0) return;
    const logs = down.map((c) => join(this.#clusterDir(name), 'logs', `${c.name}.log`));
    throw new Error(
      `${down.map((c) => c.name).join(', ')} of cluster "${name}" exited after its start; see ${logs.join(', ')}`,
    );
  }

  async stop(name: string, options: OperationOptions = {}): Promise<StopResult> {
    await this.#mustExist(name);
    const dir = this.#clusterDir(name);
    const stopped: string[] = [];
    // The real node's processes stop even when the control plane is already down.
    if (await RealNode.exists(dir)) {
      const realNode = await this.#realNode(name);
      await tracked(options.events, 'cluster', 'real-node-stop', 'Stopping the real node', () =>
        realNode.stop(),
      );
      stopped.push('the real node (containerd, kubelet, kube-proxy)');
    }
    const states = await componentStates(dir);
    const live = states.filter((c) => c.live);
    if (live.length === 0) return { stopped };
    const binaries = await ensureBinaries({ env: this.#env, exec: this.#exec });
    await tracked(options.events, 'cluster', 'stop', `Stopping cluster ${name}`, async () => {
      await this.#releaseLeasesBeforeStop(name, live, options);
      // so that kwokctl, which kills whatever a pid file names, kills only the cluster's own processes
      await forgetDead(dir, states);
      await this.#kwokctl(binaries, ['stop', 'cluster', '--name', name], options);
      await this.#portsReleased(live);
    });
    stopped.push(...live.map((c) => c.name));
    return { stopped };
  }

  /**
   * Released leases let the next kwok manage the nodes at once instead of after they expire (200 s). Only
   * an API that can answer is asked, and not for long: a degraded cluster stops all the same.
   */
  async #releaseLeasesBeforeStop(
    name: string,
    live: readonly ComponentState[],
    options: OperationOptions,
  ): Promise<void> {
    const up = new Set(live.map((c) => c.name));
    if (!up.has('etcd') || !up.has('kube-apiserver')) return;
    const timeout = AbortSignal.timeout(10_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    await releaseNodeLeases(this.#kubeconfigPath(name), { signal }).catch((err: unknown) => {
      options.signal?.throwIfAborted();
      options.logger?.debug(`node leases not released before the stop: ${String(err)}`);
    });
  }

  /**
   * kwokctl stop returns while the API server still shuts down gracefully and holds its port: wait until
   * the stopped processes' ports are free, so that `stop` then `start` never finds its own port taken.
   */
  async #portsReleased(stopped: readonly ComponentState[], timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const port of stopped.flatMap((c) => c.ports)) {
      while ((await portInUse(port)) && Date.now() < deadline) await sleep(100);
    }
  }

  /**
   * The ports of a cluster's stopped processes are free for others to take; starting it then would fail
   * half-way. The ports its live processes hold are its own. A process killed a moment ago may still hold
   * its port while the kernel tears it down (its main thread is a zombie already): a few seconds' grace.
   */
  async #mustHaveFreePorts(name: string, dead: readonly ComponentState[]): Promise<void> {
    const deadline = Date.now() + 5_000;
    for (const { name: component, ports } of dead) {
      for (const port of ports) {
        while ((await portInUse(port)) && Date.now() < deadline) await sleep(100);
        if (!(await portInUse(port))) continue;
        throw new UserError(
          `port ${String(port)} of cluster "${name}" (its ${component}) is now used by another process`,
          `stop that process, or delete the cluster and create it again ('cncfdemo cluster delete --name ${name}')`,
        );
      }
    }
  }

  async #mustExist(name: string): Promise<void> {
    if (!(await this.#exists(name))) {
      throw new UserError(`cluster "${name}" does not exist`, "list clusters with 'cncfdemo cluster list'");
    }
  }

  async delete(name: string, options: OperationOptions = {}): Promise<void> {
    await this.#mustExist(name);
    const binaries = await ensureBinaries({ env: this.#env, exec: this.#exec });
    await tracked(options.events, 'cluster', 'delete', `Deleting cluster ${name}`, () =>
      this.#destroy(binaries, name, options),
    );
  }

  async #destroy(binaries: ToolchainBinaries, name: string, options: OperationOptions = {}): Promise<void> {
    if (await RealNode.exists(this.#clusterDir(name))) await (await this.#realNode(name)).destroy();
    // kwokctl insists on editing some kubeconfig on delete; give it a scratch one (ours is edited by the caller).
    const scratch = await mkdtemp(join(tmpdir(), 'cncfdemo-'));
    try {
      await this.#kwokctl(
        binaries,
        ['delete', 'cluster', '--name', name, '--kubeconfig', join(scratch, 'kubeconfig')],
        options,
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    await rm(this.#clusterDir(name), { recursive: true, force: true });
  }

  async kubeconfig(name: string): Promise<string> {
    let raw: string;
    try {
      raw = await readFile(this.#kubeconfigPath(name), 'utf8');
    } catch {
      throw new UserError(`cluster "${name}" does not exist`, "list clusters with 'cncfdemo cluster list'");
    }
    return mergeContext(undefined, raw, contextName(name));
  }

  prometheus(name: string): Promise<string | undefined> {
    return clusterPrometheusUrl(this.#clusterDir(name));
  }

  async info(name: string): Promise<ClusterInfo> {
    const kubeconfig = await this.kubeconfig(name);
    const server = /server:\s*(\S+)/.exec(kubeconfig)?.[1] ?? '';
    const versions = await pinnedVersions();
    const prometheus = await this.prometheus(name);
    return {
      name,
      provider: this.name,
      context: contextName(name),
      ...(await this.#health(name)),
      server,
      kubernetesVersion: versions.kubernetes,
      ...(prometheus ? { prometheus } : {}),
    };
  }

  async #realNode(name: string): Promise<RealNode> {
    const binaries = await ensureNodeBinaries({ env: this.#env, exec: this.#exec });
    return new RealNode(name, this.#clusterDir(name), this.#exec, binaries);
  }

  /** The API server's URL from the cluster's kubeconfig (loopback; the node's processes run on this host). */
  async #server(name: string): Promise<string> {
    const text = await readFile(this.#kubeconfigPath(name), 'utf8');
    const server = /server:\s*(\S+)/.exec(text)?.[1];
    if (!server) throw new Error(`the kubeconfig of cluster "${name}" names no server`);
    return server;
  }

  /** One real node per machine (in any cncfdemo home): its bridge, addresses and firewall chains are machine-wide. */
  async #mustBeOnlyRealNode(name: string): Promise<void> {
    const owner = await RealNode.owner();
    if (owner && owner !== this.#clusterDir(name)) {
      const other = basename(owner);
      throw new UserError(
        `cluster "${other}" (${owner}) already has this machine as its real node`,
        `delete it first ('cncfdemo cluster delete --name ${other}', with the cncfdemo home it is in), or leave out --real-node`,
      );
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const signalOption = (options: OperationOptions): { signal?: AbortSignal } =>
  options.signal ? { signal: options.signal } : {};

async function readStages(dir: string): Promise<object[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
  return texts.flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as object));
}
