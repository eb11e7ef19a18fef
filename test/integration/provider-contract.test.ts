import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSpec, type CreateClusterOptions } from '../../src/api/cluster.js';
import { UserError } from '../../src/errors/index.js';
import { awsClients } from '../../src/cluster/providers/aws/clients.js';
import { clusterResources } from '../../src/cluster/providers/aws/inventory.js';
import { awsNames } from '../../src/cluster/providers/aws/names.js';
import { getProvider } from '../../src/cluster/registry.js';
import type { ClusterProvider } from '../../src/cluster/types.js';
import { uniqueName } from './harness.js';
import { type Moto, motoEnv, startMoto } from '../helpers/moto.js';

/** What a provider needs in the contract: its spec, and how to see what is left of a cluster. */
interface ContractSubject {
  spec(name: string): CreateClusterOptions;
  env(): NodeJS.ProcessEnv;
  /** Plays what the provider waits for outside cncfdemo (aws: the first master publishing its kubeconfig). */
  afterCreate?(name: string, home: string): Promise<void>;
  /** Every resource of the cluster still there, by any means the provider has. */
  leftovers(name: string, home: string): Promise<string[]>;
  setup?(name: string): Promise<void>;
  teardown?(): Promise<void>;
}

let moto: Moto | undefined;
const REGION = 'us-east-1';
const awsEnv = () => motoEnv();
const awsSettings = () => ({ region: REGION, endpoint: moto?.endpoint ?? '', env: awsEnv() });

const homeLeftovers = async (name: string, home: string): Promise<string[]> =>
  (await readdir(join(home, 'clusters')).catch(() => [] as string[]))
    .filter((d) => d === name)
    .map((d) => `home ${d}`);

/** A kubeconfig as a master publishes it, with a placeholder credential. */
const ADMIN_KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: [{name: kubernetes, cluster: {server: "https://api.example:6443"}}]',
  'users: [{name: kubernetes-admin, user: {token: not-a-real-token}}]',
  'contexts: [{name: kubernetes-admin@kubernetes, context: {cluster: kubernetes, user: kubernetes-admin}}]',
  'current-context: kubernetes-admin@kubernetes',
].join('\n');

let metalDir: string | undefined;
const metalFiles = async (): Promise<string[]> =>
  metalDir === undefined
    ? []
    : (await readdir(join(metalDir, 'seeds'), { recursive: true }).catch(() => [] as string[]))
        .map((f) => `seed ${f}`)
        .sort();

const SUBJECTS: Record<string, ContractSubject> = {
  local: {
    spec: (name) => ({ name, nodes: 2 }),
    env: () => process.env,
    leftovers: homeLeftovers,
  },
  aws: {
    async setup() {
      moto = await startMoto();
    },
    teardown() {
      moto?.stop();
      return Promise.resolve();
    },
    spec: (name) => ({
      name,
      nodes: 2,
      masters: 1,
      providerOptions: { region: REGION, endpoint: moto?.endpoint, apiTimeoutMs: 0 },
    }),
    env: awsEnv,
    async afterCreate(name) {
      // What the first master's cloud-init does once kubeadm init is done (instances never boot in moto).
      const clients = awsClients(awsSettings());
      const kubeconfig = ADMIN_KUBECONFIG;
      await clients.ssm.send(
        new PutParameterCommand({
          Name: `/cncfdemo/${name}/admin-kubeconfig`,
          Type: 'SecureString',
          Value: kubeconfig,
        }),
      );
      clients.destroy();
    },
    async leftovers(name, home) {
      const clients = awsClients(awsSettings());
      try {
        const left = await clusterResources({ cluster: name, clients, names: awsNames(name) });
        return [...left.map((r) => `${r.type} ${r.id}`), ...(await homeLeftovers(name, home))];
      } finally {
        clients.destroy();
      }
    },
  },
  metal: {
    async setup(name) {
      metalDir = await mkdtemp(join(tmpdir(), 'cncfdemo-contract-metal-'));
      const hosts = [
        { name: 'm1', role: 'master', address: '10.0.0.11' },
        { name: 'n1', role: 'minion', address: '10.0.0.21' },
        { name: 'n2', role: 'minion', address: '10.0.0.22' },
      ];
      const inventory = {
        apiVersion: 'cncfdemo.io/v1alpha1',
        kind: 'MetalInventory',
        cluster: name,
        endpoint: `masters.${name}.k8s`,
        hosts,
      };
      await writeFile(join(metalDir, 'hosts.yaml'), JSON.stringify(inventory));
    },
    async teardown() {
      if (metalDir) await rm(metalDir, { recursive: true, force: true });
    },
    spec: (name) => ({
      name,
      nodes: 2,
      masters: 1,
      providerOptions: { inventory: join(metalDir ?? '', 'hosts.yaml'), out: join(metalDir ?? '', 'seeds') },
    }),
    env: () => process.env,
    // What the operator does once the machines booted: the first master's admin.conf into the cluster's home.
    async afterCreate(name, home) {
      // The seeds are there to be left over (or not): user-data, meta-data and secrets for each of 3 hosts.
      expect((await metalFiles()).filter((f) => /(user|meta)-data$/.test(f))).toHaveLength(6);
      await writeFile(join(home, 'clusters', name, 'admin.conf'), ADMIN_KUBECONFIG);
    },
    async leftovers(name, home) {
      return [...(await metalFiles()), ...(await homeLeftovers(name, home))];
    },
  },
};

describe.each(Object.keys(SUBJECTS))('the %s provider passes the provider contract', (providerName) => {
  const subject = SUBJECTS[providerName] as ContractSubject;
  const name = uniqueName('contract');
  let home: string;
  let provider: ClusterProvider;

  beforeAll(async () => {
    await subject.setup?.(name);
    home = await mkdtemp(join(tmpdir(), 'cncfdemo-contract-'));
    provider = await getProvider(providerName, { home, env: subject.env() });
  }, 120_000);

  afterAll(async () => {
    await provider.delete(name).catch(() => undefined);
    await subject.teardown?.();
    await rm(home, { recursive: true, force: true });
  });

  it('create, then info and kubeconfig name the cluster and its context', async () => {
    const spec = clusterSpec(subject.spec(name));
    expect(await provider.validate(spec)).toEqual([]);
    const info = await provider.create(spec);
    expect(info).toMatchObject({ name, provider: providerName, context: `cncfdemo-${name}`, running: true });
    await subject.afterCreate?.(name, home);
    expect(await provider.info(name)).toMatchObject({ name, provider: providerName, running: true });
    expect((await provider.info(name)).pending).toBeUndefined();
    expect(await provider.kubeconfig(name)).toMatch(new RegExp(`current-context: cncfdemo-${name}\\b`));
  });

  it('list shows it as this provider', async () => {
    expect(await provider.list()).toContainEqual(
      expect.objectContaining({ name, provider: providerName, context: `cncfdemo-${name}`, running: true }),
    );
  });

  it('create twice converges: the cluster is as it was (it is returned, or refused as existing)', async () => {
    const before = await subject.leftovers(name, home);
    const again = await provider.create(clusterSpec(subject.spec(name))).then(
      (info) => info,
      (err: unknown) => {
        expect(err).toBeInstanceOf(UserError);
        expect(String(err)).toContain('already exists');
        return undefined;
      },
    );
    if (again) expect(again).toMatchObject({ name, provider: providerName });
    expect(await subject.leftovers(name, home)).toEqual(before);
    expect((await provider.info(name)).running).toBe(true);
  });

  it('delete leaves nothing; delete twice changes nothing', async () => {
    await provider.delete(name);
    expect(await subject.leftovers(name, home)).toEqual([]);
    expect((await provider.list()).map((c) => c.name)).not.toContain(name);
    await provider.delete(name).catch((err: unknown) => {
      // A provider may say so; it must not fail otherwise or touch anything.
      expect(err).toBeInstanceOf(UserError);
    });
    expect(await subject.leftovers(name, home)).toEqual([]);
  });
});
