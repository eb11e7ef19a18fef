import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { UserError } from '../../../errors/index.js';
import { tracked } from '../../../events/index.js';
import { exec as defaultExec, watchLines, type Exec } from '../../../exec/index.js';
import { mergeContext } from '../../kubeconfig-file.js';
import type {
  ClusterInfo,
  ClusterProvider,
  ClusterSpec,
  ClusterSummary,
  OperationOptions,
} from '../../types.js';
import { contextName } from '../../types.js';
import { delayedStages, kwokctlConfig, nodeParams } from './config.js';
import { ensureBinaries, type ToolchainBinaries, pinnedVersions } from './toolchain.js';

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

  async list(): Promise<ClusterSummary[]> {
    let names: string[];
    try {
      names = (await readdir(join(this.#workdir, 'clusters'), { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return Promise.all(
      names.map(async (name) => ({
        name,
        provider: this.name,
        context: contextName(name),
        running: await this.#running(name),
      })),
    );
  }

  async #exists(name: string): Promise<boolean> {
    return (await this.list()).some((c) => c.name === name);
  }

  /** A cluster runs when its apiserver's pid file names a live process. */
  async #running(name: string): Promise<boolean> {
    try {
      const pid = Number(
        (await readFile(join(this.#clusterDir(name), 'pids', 'kube-apiserver.pid'), 'utf8')).trim(),
      );
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  async create(spec: ClusterSpec, options: OperationOptions = {}): Promise<ClusterInfo> {
    if (await this.#exists(spec.name)) {
      throw new UserError(
        `cluster "${spec.name}" already exists`,
        `use it as is, delete it with 'cncfdemo cluster delete --name ${spec.name}', or pick another --name`,
      );
    }
    const { events } = options;
    const binaries = await tracked(events, 'cluster', 'binaries', 'Control-plane binaries', () =>
      ensureBinaries({
        env: this.#env,
        exec: this.#exec,
        ...(options.logger ? { logger: options.logger } : {}),
      }),
    );
    const versions = await pinnedVersions();
    const scratch = await mkdtemp(join(tmpdir(), 'cncfdemo-'));
    try {
      const configPath = join(scratch, 'kwokctl.yaml');
      const stages =
        spec.podStartDelayMs > 0
          ? delayedStages(await readStages(binaries.kwokStages), spec.podStartDelayMs)
          : [];
      await writeFile(configPath, kwokctlConfig(binaries, versions, stages));
      await tracked(events, 'cluster', 'control-plane', 'Starting the control plane', () =>
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
      );
      const kubeconfig = join(this.#clusterDir(spec.name), 'kubeconfig.yaml');
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
      await tracked(events, 'cluster', 'nodes-ready', 'Waiting for nodes to be Ready', (progress) =>
        waitForReadyNodes(binaries.kubectl, kubeconfig, spec.nodes, progress, options.signal),
      );
      await tracked(events, 'cluster', 'metrics', 'Waiting for the resource metrics API', () =>
        this.#exec(
          binaries.kubectl,
          [
            '--kubeconfig',
            kubeconfig,
            'wait',
            '--for=condition=Available',
            'apiservice/v1beta1.metrics.k8s.io',
            '--timeout=120s',
          ],
          options.signal ? { signal: options.signal } : {},
        ),
      );
    } catch (err) {
      if (!this.options.retainOnFailure) await this.#destroy(binaries, spec.name).catch(() => undefined);
      throw err;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    return this.info(spec.name);
  }

  async delete(name: string, options: OperationOptions = {}): Promise<void> {
    if (!(await this.#exists(name))) {
      throw new UserError(`cluster "${name}" does not exist`, "list clusters with 'cncfdemo cluster list'");
    }
    const binaries = await ensureBinaries({ env: this.#env, exec: this.#exec });
    await tracked(options.events, 'cluster', 'delete', `Deleting cluster ${name}`, () =>
      this.#destroy(binaries, name, options),
    );
  }

  async #destroy(binaries: ToolchainBinaries, name: string, options: OperationOptions = {}): Promise<void> {
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
      raw = await readFile(join(this.#clusterDir(name), 'kubeconfig.yaml'), 'utf8');
    } catch {
      throw new UserError(`cluster "${name}" does not exist`, "list clusters with 'cncfdemo cluster list'");
    }
    return mergeContext(undefined, raw, contextName(name));
  }

  async info(name: string): Promise<ClusterInfo> {
    const kubeconfig = await this.kubeconfig(name);
    const server = /server:\s*(\S+)/.exec(kubeconfig)?.[1] ?? '';
    const versions = await pinnedVersions();
    return {
      name,
      provider: this.name,
      context: contextName(name),
      running: await this.#running(name),
      server,
      kubernetesVersion: versions.kubernetes,
      simulatedNodes: true,
    };
  }
}

/**
 * One watch on all nodes (`kubectl get -w`) until `count` of them report Ready; `kubectl wait --all`
 * would GET each node in turn under client-side rate limits (20 s for 100 nodes).
 */
async function waitForReadyNodes(
  kubectl: string,
  kubeconfig: string,
  count: number,
  progress: (message: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const ready = new Set<string>();
  const step = Math.max(1, Math.ceil(count / 5));
  const template = '{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}';
  await watchLines(
    kubectl,
    ['--kubeconfig', kubeconfig, 'get', 'nodes', '--watch', '-o', `jsonpath=${template}`],
    (line) => {
      const [name, status] = line.trim().split(' ');
      if (!name) return false;
      if (status === 'True') ready.add(name);
      else ready.delete(name);
      if (ready.size % step === 0) progress(`${ready.size}/${count} Ready`);
      return ready.size >= count;
    },
    { timeoutMs: 5 * 60_000, ...(signal ? { signal } : {}) },
  );
}

async function readStages(dir: string): Promise<object[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  const texts = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
  return texts.flatMap((text) => parseAllDocuments(text).map((d) => d.toJS() as object));
}
