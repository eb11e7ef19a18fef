import { chmod, mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { contextName } from '../../../config/identity.js';
import { UserError } from '../../../errors/index.js';
import { exec as realExec, type Exec } from '../../../exec/index.js';
import { mergeContext } from '../../kubeconfig-file.js';
import { renderNodeArtefacts, type NodeValues } from '../../node/render.js';
import { kubernetesMinor } from '../../node/versions.js';
import {
  clusterHome,
  clusterNames,
  newRecord,
  noSuchCluster,
  readRecord,
  writeRecord,
} from '../../record.js';
import { tracked } from '../../../events/index.js';
import type {
  ClusterInfo,
  ClusterProvider,
  ClusterSpec,
  ClusterSummary,
  OperationOptions,
  StopResult,
} from '../../types.js';
import { readInventory, type MetalInventory } from './inventory.js';
import { ensureSecrets } from './secrets.js';
import { NODE_SECRETS_PATH, seedFiles } from './seeds.js';

export interface MetalProviderOptions {
  home: string;
  exec?: Exec;
}

/** What the record keeps: where the seeds are and which files cncfdemo wrote there (delete removes those). */
interface MetalState {
  inventory: string;
  out: string;
  endpoint: string;
  kubernetesMinor: string;
  initHost: string;
  files: string[];
}

/** `spec.options` of a metal cluster. */
interface MetalOptions {
  inventory: string;
  out?: string;
}

/** Where the seeds go without `--out`: the cluster's home. */
export const defaultSeedsDir = (home: string, name: string): string => join(clusterHome(home, name), 'metal');

/** Where the operator puts the init master's /etc/cncfdemo/admin.conf for `cluster kubeconfig`. */
const adminConfPath = (home: string, name: string): string => join(clusterHome(home, name), 'admin.conf');

/**
 * Machines cncfdemo does not own: create renders a NoCloud seed per inventory host (the shared node
 * artefacts) and its secrets; the operator boots the machines from them. Nothing here reaches a machine.
 */
export class MetalProvider implements ClusterProvider {
  readonly name = 'metal';
  readonly capabilities = { simulatedNodes: false, loadBalancers: false };
  readonly #exec: Exec;

  constructor(private readonly options: MetalProviderOptions) {
    this.#exec = options.exec ?? realExec;
  }

  #options(spec: ClusterSpec): MetalOptions {
    const o = spec.options ?? {};
    if (typeof o.inventory !== 'string' || o.inventory === '') {
      throw new UserError('metal needs an inventory', 'cncfdemo bootstrap metal --inventory hosts.yaml');
    }
    const unknown = Object.keys(o).filter((k) => k !== 'inventory' && k !== 'out');
    if (unknown.length > 0) {
      throw new UserError(`metal takes no option ${unknown.join(', ')}`, 'see cncfdemo bootstrap --help');
    }
    return { inventory: o.inventory, ...(typeof o.out === 'string' ? { out: o.out } : {}) };
  }

  async #inventory(spec: ClusterSpec): Promise<MetalInventory> {
    const { inventory: file } = this.#options(spec);
    const inventory = await readInventory(file);
    if (inventory.cluster !== spec.name) {
      throw new UserError(
        `${file} is the inventory of cluster "${inventory.cluster}", not "${spec.name}"`,
        `use --name ${inventory.cluster}, or bootstrap metal, which takes the name from the inventory`,
      );
    }
    return inventory;
  }

  async validate(spec: ClusterSpec): Promise<string[]> {
    await this.#inventory(spec);
    return [];
  }

  async create(spec: ClusterSpec, op: OperationOptions = {}): Promise<ClusterInfo> {
    const inventory = await this.#inventory(spec);
    const options = this.#options(spec);
    const home = clusterHome(this.options.home, spec.name);
    const out = resolve(options.out ?? defaultSeedsDir(this.options.home, spec.name));
    const previous = await this.#state(spec.name);
    const secrets = await tracked(op.events, 'cluster', 'secrets', 'Making the bootstrap secrets', () =>
      ensureSecrets(this.#exec, join(home, 'secrets')),
    );
    const values: NodeValues = {
      provider: 'metal',
      cluster: inventory.cluster,
      apiHost: inventory.endpoint,
      userApiHost: inventory.endpoint,
      certSans: [],
      kubernetesMinor: previous?.kubernetesMinor ?? (await kubernetesMinor()),
      secretsPath: NODE_SECRETS_PATH,
    };
    const files = await tracked(
      op.events,
      'cluster',
      'seeds',
      `Writing a NoCloud seed for each of ${inventory.hosts.length} hosts in ${out}`,
      () => this.#writeSeeds(inventory, values, secrets, out, previous),
    );
    const state: MetalState = {
      inventory: resolve(options.inventory),
      out,
      endpoint: inventory.endpoint,
      kubernetesMinor: values.kubernetesMinor,
      initHost: inventory.hosts.find((h) => h.role === 'master')?.name ?? '',
      files,
    };
    const record = await readRecord(this.options.home, spec.name);
    await writeRecord(this.options.home, {
      ...newRecord(spec.name, this.name, { ...state }),
      ...(record?.provider === this.name && record.createdAt ? { createdAt: record.createdAt } : {}),
    });
    return this.info(spec.name);
  }

  /** Every host's seed (user-data from the shared renderer, meta-data, network-config, secrets). */
  async #writeSeeds(
    inventory: MetalInventory,
    values: NodeValues,
    secrets: Awaited<ReturnType<typeof ensureSecrets>>,
    out: string,
    previous: MetalState | undefined,
  ): Promise<string[]> {
    // Per host: each seed's node script carries the host's own address from the inventory.
    const artefacts = Object.fromEntries(
      await Promise.all(
        inventory.hosts.map(
          async (h) =>
            [h.name, await renderNodeArtefacts(h.role, { ...values, nodeAddress: h.address })] as const,
        ),
      ),
    );
    const files = seedFiles(inventory, artefacts, secrets);
    // Files of hosts (or secrets) no longer in the inventory go, when they were ours in the previous seeds.
    if (previous && previous.out === out) {
      const kept = new Set(files.map((f) => f.path));
      await removeFiles(
        out,
        previous.files.filter((f) => !kept.has(f)),
      );
    }
    for (const f of files) {
      const path = join(out, f.path);
      await mkdir(dirname(path), { recursive: true, ...(f.secret ? { mode: 0o700 } : {}) });
      if (f.secret) await chmod(dirname(path), 0o700);
      await writeFile(path, f.content, { mode: f.secret ? 0o600 : 0o644 });
      await chmod(path, f.secret ? 0o600 : 0o644);
    }
    return files.map((f) => f.path);
  }

  async #state(name: string): Promise<MetalState | undefined> {
    const record = await readRecord(this.options.home, name);
    return record?.provider === this.name ? (record.state as unknown as MetalState) : undefined;
  }

  async delete(name: string): Promise<void> {
    const state = await this.#state(name);
    if (!state) throw noSuchCluster(name);
    await removeFiles(state.out, state.files);
    await rm(clusterHome(this.options.home, name), { recursive: true, force: true });
  }

  start(): Promise<ClusterInfo> {
    return Promise.reject(notOurs('start'));
  }

  stop(): Promise<StopResult> {
    return Promise.reject(notOurs('stop'));
  }

  async list(): Promise<ClusterSummary[]> {
    return (await clusterNames(this.options.home, this.name)).map((name) => summary(name));
  }

  async kubeconfig(name: string): Promise<string> {
    const state = await this.#state(name);
    if (!state) throw noSuchCluster(name);
    const text = await readFile(adminConfPath(this.options.home, name), 'utf8').catch(() => undefined);
    if (text === undefined) {
      throw new UserError(
        `cluster "${name}" has no kubeconfig yet: it is not available until the operator boots the machines`,
        `copy /etc/cncfdemo/admin.conf from ${state.initHost} to ${adminConfPath(this.options.home, name)}`,
      );
    }
    return mergeContext(undefined, text, contextName(name));
  }

  async info(name: string): Promise<ClusterInfo> {
    const state = await this.#state(name);
    if (!state) throw noSuchCluster(name);
    const host = isIP(state.endpoint) === 6 ? `[${state.endpoint}]` : state.endpoint;
    const imported = await readFile(adminConfPath(this.options.home, name)).then(
      () => true,
      () => false,
    );
    return {
      ...summary(name),
      server: `https://${host}:6443`,
      kubernetesVersion: `v${state.kubernetesMinor}`,
      ...(imported
        ? {}
        : {
            pending: `boot the machines from the seeds in ${state.out} (copy each <host>/secrets/ to ${NODE_SECRETS_PATH} first); the kubeconfig is not available until then`,
          }),
    };
  }
}

/** cncfdemo does not own the machines: "running" says the cluster exists and cncfdemo never stopped it. */
const summary = (name: string): ClusterSummary => ({
  name,
  provider: 'metal',
  context: contextName(name),
  running: true,
  state: 'Running',
});

const notOurs = (verb: string): UserError =>
  new UserError(
    `cncfdemo cannot ${verb} bare-metal machines: their operator powers them on and off`,
    'use your provisioning system (IPMI, MAAS, Tinkerbell) or the machines themselves',
  );

/** Removes the listed files under `out`, then whichever of their directories that leaves empty (only those). */
async function removeFiles(out: string, files: readonly string[]): Promise<void> {
  await Promise.all(files.map((f) => rm(join(out, f), { force: true })));
  const dirs = new Set<string>();
  for (const f of files) {
    for (let d = dirname(f); d !== '.' && d !== '/'; d = dirname(d)) dirs.add(d);
  }
  // Deepest first, then the output directory itself.
  for (const d of [...dirs].sort((a, b) => b.split('/').length - a.split('/').length)) {
    await rmdirIfEmpty(join(out, d));
  }
  await rmdirIfEmpty(out);
}

async function rmdirIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch((err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
  });
}
