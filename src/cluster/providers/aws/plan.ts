import type { PriceTable } from '../../../report/cost.js';
import type { AwsContext } from './context.js';
import {
  ensureAutoScalingGroups,
  ensureImage,
  ensureLaunchTemplates,
  ensureLoadBalancer,
  waitInService,
} from './steps/compute.js';
import { ensureZone, syncRoleRecords } from './steps/dns.js';
import { ensureIam, ensureKeyPair, ensureSecrets } from './steps/identity.js';
import {
  ensureInternetGateway,
  ensureRoutes,
  ensureSecurityGroups,
  ensureSubnets,
  ensureVpc,
} from './steps/network.js';
import type { ResolvedAwsOptions } from './options.js';
import type { AwsNames } from './names.js';

/** One step of a bootstrap: finds its resources by tag or name, creates what is missing, journals them. */
export interface BootstrapStep {
  id: string;
  /** What it makes, for the plan (`--dry-run`). */
  describe(options: ResolvedAwsOptions, names: AwsNames): string;
  run(ctx: AwsContext): Promise<void>;
}

/** The bootstrap, in dependency order; every step converges, so a re-run (or a run after a crash) is safe. */
export const BOOTSTRAP_STEPS: readonly BootstrapStep[] = [
  { id: 'vpc', describe: (o) => `VPC ${o.defaults.vpcCidr}, DNS hostnames on`, run: ensureVpc },
  {
    id: 'subnets',
    describe: (o) => `${o.defaults.zones} public subnets, one per availability zone`,
    run: ensureSubnets,
  },
  {
    id: 'internet-gateway',
    describe: () => 'internet gateway, attached to the VPC',
    run: ensureInternetGateway,
  },
  {
    id: 'routes',
    describe: () => 'route table: 0.0.0.0/0 through the gateway, for every subnet',
    run: ensureRoutes,
  },
  {
    id: 'security-groups',
    describe: (o) =>
      `security groups for masters and minions, admitting each other; 6443 and 22 from ${o.adminCidr}`,
    run: ensureSecurityGroups,
  },
  {
    id: 'key-pair',
    describe: (o, n) =>
      o.sshPublicKey ? `key pair ${n.of('key')} from ${o.sshPublicKey}` : 'no key pair (no --ssh-public-key)',
    run: ensureKeyPair,
  },
  {
    id: 'secrets',
    describe: (_, n) =>
      `SSM SecureStrings ${n.secrets}/join-token and /certificate-key (generated, never printed)`,
    run: ensureSecrets,
  },
  {
    id: 'iam',
    describe: (_, n) => `IAM role and instance profile per role under ${n.iamPath}`,
    run: ensureIam,
  },
  {
    id: 'load-balancer',
    describe: (_, n) =>
      `network load balancer ${n.short('api')} (TCP 6443) and target group ${n.short('masters')}`,
    run: ensureLoadBalancer,
  },
  {
    id: 'image',
    describe: (o) => `image ${o.image ?? 'newest Debian 12 (else Ubuntu) amd64'}`,
    run: ensureImage,
  },
  {
    id: 'launch-templates',
    describe: (o) =>
      `launch templates: masters ${o.masterInstanceType}, minions ${o.nodeInstanceType} (IMDSv2, cloud-init user-data)`,
    run: ensureLaunchTemplates,
  },
  {
    id: 'auto-scaling-groups',
    describe: (o, n) =>
      `auto scaling groups ${n.role('master')} (${o.masters}) and ${n.role('minion')} (${o.nodes})`,
    run: ensureAutoScalingGroups,
  },
  { id: 'in-service', describe: () => 'wait until every instance is InService', run: waitInService },
  { id: 'zone', describe: (_, n) => `private Route53 zone ${n.zone}`, run: ensureZone },
  {
    id: 'dns',
    describe: (_, n) =>
      `records ${n.record('master')} and ${n.record('minion')} = the InService instances' addresses`,
    run: async (ctx) => {
      await syncRoleRecords(ctx);
    },
  },
];

/** The hourly price of the cluster's instances, from the price table (null for an unpriced type). */
export function hourlyCost(options: ResolvedAwsOptions, prices: PriceTable): number | null {
  const table = prices.providers.aws ?? {};
  const master = table[options.masterInstanceType];
  const node = table[options.nodeInstanceType];
  if (master === undefined || node === undefined) return null;
  return master * options.masters + node * options.nodes;
}

export const unpricedTypes = (options: ResolvedAwsOptions, prices: PriceTable): string[] =>
  [...new Set([options.masterInstanceType, options.nodeInstanceType])].filter(
    (t) => (prices.providers.aws ?? {})[t] === undefined,
  );

/** The plan as `--dry-run` prints it: every step in order, then the hourly cost. */
export function planText(
  cluster: string,
  options: ResolvedAwsOptions,
  names: AwsNames,
  prices: PriceTable,
): string {
  const lines = [
    `cluster ${cluster} on aws (${options.region}): ${options.masters} master(s), ${options.nodes} node(s)`,
  ];
  BOOTSTRAP_STEPS.forEach((s, i) =>
    lines.push(`  ${String(i + 1).padStart(2)}. ${s.id}: ${s.describe(options, names)}`),
  );
  const cost = hourlyCost(options, prices);
  lines.push(
    cost === null
      ? `cost: unknown (not in data/prices.yaml: ${unpricedTypes(options, prices).join(', ')}); the load balancer, volumes and traffic are extra`
      : `cost: ${prices.currency} ${cost.toFixed(4)} per hour for the instances (data/prices.yaml); the load balancer, volumes and traffic are extra`,
  );
  return lines.join('\n') + '\n';
}
