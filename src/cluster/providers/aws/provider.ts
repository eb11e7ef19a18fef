import { rm } from 'node:fs/promises';
import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsClient } from '../../../aws/clients.js';
import { settingsEndpoint, type AwsSettings } from '../../../aws/settings.js';
import { UserError } from '../../../errors/index.js';
import { tracked } from '../../../events/index.js';
import { loadPriceTable } from '../../../report/cost.js';
import { mergeContext } from '../../kubeconfig-file.js';
import {
  clusterHome,
  clusterNames,
  newRecord,
  noSuchCluster,
  readRecord,
  type ClusterRecord,
  writeRecord,
} from '../../record.js';
import type {
  ClusterInfo,
  ClusterProvider,
  ClusterSpec,
  ClusterSummary,
  OperationOptions,
  StopResult,
} from '../../types.js';
import { contextName } from '../../../config/identity.js';
import { type ApiProbe, publishedKubeconfig, waitApiHealthy } from './api-health.js';
import { awsClients } from './clients.js';
import type { AwsContext } from './context.js';
import { explainAwsError, isAwsError } from './errors.js';
import { Journal } from './journal.js';
import { awsNames } from './names.js';
import { loadAwsDefaults, resolveAwsOptions, type ResolvedAwsOptions } from './options.js';
import { BOOTSTRAP_STEPS, planText, unpricedTypes } from './plan.js';
import { setHostname, syncRoleRecords } from './steps/dns.js';
import { teardown } from './teardown.js';
import { type Clock, realClock } from './wait.js';

const LIST_REGIONS_FROM = 'us-east-1';

export interface AwsProviderOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** How the API wait reaches the API server (tests: a fake that is slow or fails). */
  apiProbe?: ApiProbe;
}

/** What the record keeps: the spec to converge to again (start) and where the cluster lives. */
interface AwsState {
  spec: ClusterSpec;
  /** Public records made by publishHostname, for delete. */
  hostnames?: string[];
  region: string;
  endpoint?: string;
  loadBalancerDns?: string;
  stopped?: boolean;
}

/**
 * Kubernetes on EC2 with kubeadm: VPC, subnets, security groups, IAM, a load balancer for the API, a launch
 * template and AutoScalingGroup per role, and a private zone for discovery, made by direct SDK calls in an
 * ordered plan of converging steps (see plan.ts) and journalled in the cluster's home.
 */
export class AwsProvider implements ClusterProvider {
  readonly name = 'aws';
  readonly capabilities = { simulatedNodes: false, loadBalancers: true };
  readonly #env: NodeJS.ProcessEnv;
  readonly #clock: Clock;
  readonly #apiProbe: ApiProbe | undefined;

  constructor(private readonly options: AwsProviderOptions) {
    this.#env = options.env ?? process.env;
    this.#clock = options.clock ?? realClock;
    this.#apiProbe = options.apiProbe;
  }

  async #resolve(spec: ClusterSpec): Promise<ResolvedAwsOptions> {
    const { options, problems } = resolveAwsOptions(spec, this.#env, await loadAwsDefaults());
    if (problems.length > 0) throw new UserError(problems.join('; '), 'see cncfdemo bootstrap --help');
    return options;
  }

  async validate(spec: ClusterSpec): Promise<string[]> {
    if (spec.realNode) {
      throw new UserError('--real-node makes this machine a node of a local cluster', 'leave it out for aws');
    }
    const options = await this.#resolve(spec);
    const unpriced = unpricedTypes(options, await loadPriceTable());
    return unpriced.map(
      (t) => `instance type ${t} is not in data/prices.yaml: benchmark costs on this cluster will be unknown`,
    );
  }

  async plan(spec: ClusterSpec): Promise<string> {
    return planText(spec.name, await this.#resolve(spec), awsNames(spec.name), await loadPriceTable());
  }

  #settings(options: Pick<ResolvedAwsOptions, 'region' | 'endpoint'>): AwsSettings {
    return {
      region: options.region,
      env: this.#env,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    };
  }

  #context(cluster: string, options: ResolvedAwsOptions, op: OperationOptions): AwsContext {
    const clock = this.#clock;
    return {
      cluster,
      home: this.options.home,
      options,
      clients: awsClients(this.#settings(options)),
      names: awsNames(cluster),
      journal: new Journal(this.options.home, cluster),
      clock,
      backoff: (timeoutMs) => ({ clock, timeoutMs, ...(op.signal ? { signal: op.signal } : {}) }),
      ...(op.logger ? { logger: op.logger } : {}),
      ...(op.signal ? { signal: op.signal } : {}),
      state: {},
    };
  }

  /** Credentials, endpoint and region are checked before anything is created. */
  async #preflight(ctx: AwsContext): Promise<void> {
    const where = settingsEndpoint(this.#settings(ctx.options)) ?? `AWS ${ctx.options.region}`;
    // The region list comes from a region that always exists: an unknown one has no endpoint to ask.
    const global = awsClient(EC2Client, { ...this.#settings(ctx.options), region: LIST_REGIONS_FROM });
    try {
      const regions = (await global.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
      if (!regions.some((r) => r.RegionName === ctx.options.region)) {
        throw new UserError(
          `unknown AWS region "${ctx.options.region}"`,
          `use one of: ${regions
            .map((r) => r.RegionName ?? '')
            .sort()
            .join(', ')}`,
        );
      }
      ctx.state.accountId = (await ctx.clients.sts.send(new GetCallerIdentityCommand({}))).Account;
    } catch (err) {
      throw explainAwsError(err, where);
    } finally {
      global.destroy();
    }
  }

  async #record(name: string): Promise<(ClusterRecord & { state: AwsState }) | undefined> {
    const record = await readRecord(this.options.home, name);
    return record?.provider === this.name ? (record as ClusterRecord & { state: AwsState }) : undefined;
  }

  async create(spec: ClusterSpec, op: OperationOptions = {}): Promise<ClusterInfo> {
    const options = await this.#resolve(spec);
    const ctx = this.#context(spec.name, options, op);
    try {
      await this.#preflight(ctx);
      const existing = await this.#record(spec.name);
      const state: AwsState = {
        ...(existing?.state ?? {}),
        spec,
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        stopped: false,
      };
      await writeRecord(this.options.home, {
        ...(existing ?? newRecord(spec.name, this.name)),
        region: options.region,
        machines: [
          { role: 'master', instanceType: options.masterInstanceType, count: options.masters },
          { role: 'minion', instanceType: options.nodeInstanceType, count: options.nodes },
        ],
        state: { ...state },
      });
      for (const step of BOOTSTRAP_STEPS) {
        await tracked(op.events, 'cluster', step.id, step.describe(options, ctx.names), () =>
          step.run(ctx).catch((err: unknown) => {
            throw explainAwsError(err, options.endpoint ?? options.region);
          }),
        );
      }
      state.loadBalancerDns = ctx.state.loadBalancerDns;
      await writeRecord(this.options.home, {
        ...((await readRecord(this.options.home, spec.name)) ?? newRecord(spec.name, this.name)),
        state: { ...state },
      });
      if (options.apiTimeoutMs > 0) {
        await tracked(op.events, 'cluster', 'api', 'Waiting for the API behind the load balancer', () =>
          waitApiHealthy(ctx, this.#apiProbe),
        );
      }
    } finally {
      ctx.clients.destroy();
    }
    return this.info(spec.name);
  }

  /** A context for an existing cluster, from its record. */
  async #existing(
    name: string,
    op: OperationOptions = {},
  ): Promise<{ ctx: AwsContext; state: AwsState } | undefined> {
    const record = await this.#record(name);
    if (!record) return undefined;
    const options = await this.#resolve(record.state.spec);
    return { ctx: this.#context(name, options, op), state: record.state };
  }

  async delete(name: string, op: OperationOptions = {}): Promise<void> {
    const found = await this.#existing(name, op);
    if (!found) return;
    const { ctx, state } = found;
    try {
      await this.#preflight(ctx);
      for (const hostname of state.hostnames ?? []) await setHostname(ctx, hostname, undefined);
      await tracked(
        op.events,
        'cluster',
        'delete',
        `Deleting cluster ${name} and everything tagged for it`,
        (progress) => teardown(ctx, progress),
      );
    } finally {
      ctx.clients.destroy();
    }
    await rm(clusterHome(this.options.home, name), { recursive: true, force: true });
  }

  /** Runs the bootstrap again with the recorded spec: it converges, so this restores the groups' sizes. */
  async start(name: string, op: OperationOptions = {}): Promise<ClusterInfo> {
    const found = await this.#existing(name, op);
    if (!found) throw noSuchCluster(name);
    found.ctx.clients.destroy();
    return this.create(found.state.spec, op);
  }

  /** Scales both groups to zero (the instances go; everything else stays for start). */
  async stop(name: string, op: OperationOptions = {}): Promise<StopResult> {
    const found = await this.#existing(name, op);
    if (!found) throw noSuchCluster(name);
    const { ctx } = found;
    try {
      await this.#preflight(ctx);
      for (const role of ['master', 'minion'] as const) {
        await ctx.clients.asg
          .send(
            new UpdateAutoScalingGroupCommand({
              AutoScalingGroupName: ctx.names.role(role),
              MinSize: 0,
              MaxSize: 0,
              DesiredCapacity: 0,
            }),
          )
          .catch((err: unknown) => {
            if (!isAwsError(err, 'ValidationError')) throw err;
          });
      }
      ctx.state.vpcId = undefined;
      const { findZone } = await import('./steps/dns.js');
      const zone = await findZone(ctx, undefined);
      if (zone) {
        ctx.state.hostedZoneId = zone;
        await syncRoleRecords(ctx);
      }
    } finally {
      ctx.clients.destroy();
    }
    const record = await this.#record(name);
    if (record)
      await writeRecord(this.options.home, { ...record, state: { ...record.state, stopped: true } });
    return { stopped: ['the master and node instances (their Auto Scaling groups scaled to 0)'] };
  }

  async publishHostname(name: string, hostname: string, target: string | undefined): Promise<void> {
    const found = await this.#existing(name);
    if (!found) throw noSuchCluster(name);
    try {
      await this.#preflight(found.ctx);
      await setHostname(found.ctx, hostname, target);
    } finally {
      found.ctx.clients.destroy();
    }
    const record = await this.#record(name);
    if (!record) return;
    const others = (record.state.hostnames ?? []).filter((h) => h !== hostname);
    const hostnames = target === undefined ? others : [...others, hostname];
    await writeRecord(this.options.home, { ...record, state: { ...record.state, hostnames } });
  }

  async unpublishHostnames(name: string): Promise<void> {
    for (const hostname of (await this.#record(name))?.state.hostnames ?? []) {
      await this.publishHostname(name, hostname, undefined);
    }
  }

  async list(): Promise<ClusterSummary[]> {
    const names = await clusterNames(this.options.home, this.name);
    return Promise.all(
      names.map(async (name) => {
        const running = (await this.#record(name))?.state.stopped !== true;
        return {
          name,
          provider: this.name,
          context: contextName(name),
          running,
          state: running ? ('Running' as const) : ('Stopped' as const),
        };
      }),
    );
  }

  async kubeconfig(name: string): Promise<string> {
    const found = await this.#existing(name);
    if (!found) throw noSuchCluster(name);
    try {
      const raw = await publishedKubeconfig(found.ctx);
      if (raw === undefined) {
        throw new UserError(
          `cluster "${name}" has no kubeconfig yet: its first master publishes it when kubeadm init is done`,
          `wait for the masters to boot, then run 'cncfdemo cluster kubeconfig --name ${name}' again`,
        );
      }
      return mergeContext(undefined, raw, contextName(name));
    } finally {
      found.ctx.clients.destroy();
    }
  }

  async info(name: string): Promise<ClusterInfo> {
    const record = await this.#record(name);
    if (!record) throw noSuchCluster(name);
    const found = await this.#existing(name);
    let published = false;
    if (found) {
      try {
        published = (await publishedKubeconfig(found.ctx)) !== undefined;
      } finally {
        found.ctx.clients.destroy();
      }
    }
    const dns = record.state.loadBalancerDns;
    return {
      name,
      provider: this.name,
      context: contextName(name),
      running: record.state.stopped !== true,
      state: record.state.stopped === true ? 'Stopped' : 'Running',
      server: dns ? `https://${dns}:6443` : '',
      kubernetesVersion: (await import('../../node/versions.js').then((m) => m.kubernetesMinor())) + '.x',
      ...(published
        ? {}
        : {
            pending: `the masters are still booting (no kubeconfig published yet); later: cncfdemo cluster kubeconfig --name ${name}`,
          }),
    };
  }
}
