import { DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import {
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListInstanceProfilesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListHostedZonesByNameCommand, ListTagsForResourceCommand } from '@aws-sdk/client-route-53';
import { GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { clusterTagKey, CNCFDEMO_CLUSTER_TAG, tagRecord } from '../../../aws/tags.js';
import type { AwsContext } from './context.js';
import { ours } from './steps/network.js';

/** The resource types a cluster has, in the order delete removes them (dependents first). */
export const RESOURCE_TYPES = [
  // What Kubernetes made for Service type LoadBalancer first: their security groups wait for them.
  'classic-load-balancer',
  'foreign-load-balancer',
  'auto-scaling-group',
  'instance',
  'load-balancer',
  'target-group',
  'launch-template',
  'instance-profile',
  'iam-role',
  'ssm-parameter',
  'key-pair',
  'hosted-zone',
  'security-group',
  'route-table',
  'internet-gateway',
  'subnet',
  'vpc',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface ClusterResource {
  type: ResourceType;
  id: string;
}

type Ctx = Pick<AwsContext, 'cluster' | 'clients' | 'names'>;

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];

async function ec2Resources(ctx: Ctx): Promise<ClusterResource[]> {
  const { ec2 } = ctx.clients;
  const Filters = ours(ctx);
  const [instances, vpcs, subnets, igws, tables, groups, templates, keys] = await Promise.all([
    ec2.send(
      new DescribeInstancesCommand({
        Filters: [...Filters, { Name: 'instance-state-name', Values: LIVE_STATES }],
      }),
    ),
    ec2.send(new DescribeVpcsCommand({ Filters })),
    ec2.send(new DescribeSubnetsCommand({ Filters })),
    ec2.send(new DescribeInternetGatewaysCommand({ Filters })),
    ec2.send(new DescribeRouteTablesCommand({ Filters })),
    ec2.send(new DescribeSecurityGroupsCommand({ Filters })),
    ec2.send(new DescribeLaunchTemplatesCommand({ Filters })),
    ec2.send(new DescribeKeyPairsCommand({ Filters })),
  ]);
  const of = (type: ResourceType, ids: (string | undefined)[]): ClusterResource[] =>
    ids.filter((id): id is string => !!id).map((id) => ({ type, id }));
  return [
    ...of(
      'instance',
      (instances.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId),
    ),
    ...of(
      'vpc',
      (vpcs.Vpcs ?? []).map((v) => v.VpcId),
    ),
    ...of(
      'subnet',
      (subnets.Subnets ?? []).map((s) => s.SubnetId),
    ),
    ...of(
      'internet-gateway',
      (igws.InternetGateways ?? []).map((g) => g.InternetGatewayId),
    ),
    ...of(
      'route-table',
      (tables.RouteTables ?? []).map((t) => t.RouteTableId),
    ),
    ...of(
      'security-group',
      (groups.SecurityGroups ?? []).map((g) => g.GroupId),
    ),
    ...of(
      'launch-template',
      (templates.LaunchTemplates ?? []).map((t) => t.LaunchTemplateId),
    ),
    ...of(
      'key-pair',
      (keys.KeyPairs ?? []).map((k) => k.KeyName),
    ),
  ];
}

async function groupResources(ctx: Ctx): Promise<ClusterResource[]> {
  const groups: AutoScalingGroup[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.clients.asg.send(
      new DescribeAutoScalingGroupsCommand({ ...(token ? { NextToken: token } : {}) }),
    );
    groups.push(...(page.AutoScalingGroups ?? []));
    token = page.NextToken;
  } while (token);
  return groups
    .filter((g) => tagRecord(g.Tags)[CNCFDEMO_CLUSTER_TAG] === ctx.cluster)
    .map((g) => ({ type: 'auto-scaling-group', id: g.AutoScalingGroupName ?? '' }));
}

/** Load balancers and target groups by their tags: ours, and those Kubernetes made for the cluster. */
async function elbResources(ctx: Ctx): Promise<ClusterResource[]> {
  const { elb } = ctx.clients;
  const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  const tgs = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
  const arns = [...lbs.map((l) => l.LoadBalancerArn ?? ''), ...tgs.map((t) => t.TargetGroupArn ?? '')].filter(
    Boolean,
  );
  const tags = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += 20) {
    const page = await elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
    for (const d of page.TagDescriptions ?? []) tags.set(d.ResourceArn ?? '', tagRecord(d.Tags));
  }
  const resources: ClusterResource[] = [];
  for (const arn of arns) {
    const t = tags.get(arn) ?? {};
    const mine = t[CNCFDEMO_CLUSTER_TAG] === ctx.cluster;
    const kubernetes =
      t[clusterTagKey(ctx.cluster)] !== undefined || t['elbv2.k8s.aws/cluster'] === ctx.cluster;
    if (!mine && !kubernetes) continue;
    const isLb = lbs.some((l) => l.LoadBalancerArn === arn);
    resources.push({
      type: isLb ? (mine ? 'load-balancer' : 'foreign-load-balancer') : 'target-group',
      id: arn,
    });
  }
  return resources;
}

export interface ClassicLoadBalancer {
  name: string;
  vpcId: string | undefined;
  tags: Record<string, string>;
}

/** Every classic ELB of the region, with its VPC and tags. */
export async function classicLoadBalancers(ctx: Pick<Ctx, 'clients'>): Promise<ClassicLoadBalancer[]> {
  const { DescribeLoadBalancersCommand: Describe, DescribeTagsCommand: Tags } =
    await import('@aws-sdk/client-elastic-load-balancing');
  const elb = await ctx.clients.classicElb();
  const found: ClassicLoadBalancer[] = [];
  let marker: string | undefined;
  do {
    const page = await elb.send(new Describe({ ...(marker ? { Marker: marker } : {}) }));
    for (const l of page.LoadBalancerDescriptions ?? []) {
      if (l.LoadBalancerName) found.push({ name: l.LoadBalancerName, vpcId: l.VPCId, tags: {} });
    }
    marker = page.NextMarker;
  } while (marker);
  // DescribeTags takes at most 20 names.
  for (let i = 0; i < found.length; i += 20) {
    const batch = found.slice(i, i + 20);
    const page = await elb.send(new Tags({ LoadBalancerNames: batch.map((l) => l.name) }));
    for (const d of page.TagDescriptions ?? []) {
      const lb = batch.find((l) => l.name === d.LoadBalancerName);
      if (lb) lb.tags = tagRecord(d.Tags);
    }
  }
  return found;
}

/**
 * Classic ELBs that Kubernetes' legacy in-tree cloud provider made for the cluster's Services of type
 * LoadBalancer: tagged `kubernetes.io/cluster/<name>=owned` (and `kubernetes.io/service-name`) and named
 * after the Service's UID, so the tag is how to find them. `shared` would mean not the cluster's to delete.
 */
async function classicElbResources(ctx: Ctx): Promise<ClusterResource[]> {
  return (await classicLoadBalancers(ctx))
    .filter(
      (l) => l.tags[clusterTagKey(ctx.cluster)] === 'owned' || l.tags[CNCFDEMO_CLUSTER_TAG] === ctx.cluster,
    )
    .map((l) => ({ type: 'classic-load-balancer', id: l.name }));
}

async function iamResources(ctx: Ctx): Promise<ClusterResource[]> {
  const { iam } = ctx.clients;
  const PathPrefix = ctx.names.iamPath;
  const roles = (await iam.send(new ListRolesCommand({ PathPrefix }))).Roles ?? [];
  const profiles = (await iam.send(new ListInstanceProfilesCommand({ PathPrefix }))).InstanceProfiles ?? [];
  return [
    ...roles.map((r) => ({ type: 'iam-role' as const, id: r.RoleName ?? '' })),
    ...profiles.map((p) => ({ type: 'instance-profile' as const, id: p.InstanceProfileName ?? '' })),
  ];
}

async function ssmResources(ctx: Ctx): Promise<ClusterResource[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.clients.ssm.send(
      new GetParametersByPathCommand({
        Path: ctx.names.secrets,
        Recursive: true,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    names.push(...(page.Parameters ?? []).map((p) => p.Name ?? ''));
    token = page.NextToken;
  } while (token);
  return names.filter(Boolean).map((id) => ({ type: 'ssm-parameter', id }));
}

/** Private zones named `<cluster>.k8s` carrying the cluster's tag. */
async function zoneResources(ctx: Ctx): Promise<ClusterResource[]> {
  const { route53 } = ctx.clients;
  const name = `${ctx.names.zone}.`;
  const zones = (
    (await route53.send(new ListHostedZonesByNameCommand({ DNSName: name }))).HostedZones ?? []
  ).filter((z) => z.Name === name);
  const resources: ClusterResource[] = [];
  for (const z of zones) {
    const id = (z.Id ?? '').replace(/^\/hostedzone\//, '');
    const tags = (
      await route53.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id }))
    ).ResourceTagSet?.Tags;
    if (tagRecord(tags)[CNCFDEMO_CLUSTER_TAG] === ctx.cluster) resources.push({ type: 'hosted-zone', id });
  }
  return resources;
}

/** Every resource of the cluster that AWS still has, found by tag, name or path (terminated instances aside). */
export async function clusterResources(ctx: Ctx): Promise<ClusterResource[]> {
  const lists = await Promise.all([
    ec2Resources(ctx),
    groupResources(ctx),
    elbResources(ctx),
    classicElbResources(ctx),
    iamResources(ctx),
    ssmResources(ctx),
    zoneResources(ctx),
  ]);
  return lists.flat().filter((r) => r.id !== '');
}
