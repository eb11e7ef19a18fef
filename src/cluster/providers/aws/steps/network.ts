import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type IpPermission,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CNCFDEMO_CLUSTER_TAG, CNCFDEMO_ROLE_TAG } from '../../../../aws/tags.js';
import { type AwsContext, journal, tagSpec, tagsFor } from '../context.js';
import { isAwsError } from '../errors.js';

/** EC2 filters for this cluster's resources. */
export function ours(ctx: Pick<AwsContext, 'cluster'>) {
  return [{ Name: `tag:${CNCFDEMO_CLUSTER_TAG}`, Values: [ctx.cluster] }];
}

export const inVpc = (ctx: AwsContext) => [
  ...ours(ctx),
  { Name: 'vpc-id', Values: [must(ctx.state.vpcId, 'the VPC')] },
];

export const must = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`internal: ${what} is not known yet (a step ran out of order)`);
  return value;
};

export async function ensureVpc(ctx: AwsContext): Promise<void> {
  const { ec2 } = ctx.clients;
  const found = (await ec2.send(new DescribeVpcsCommand({ Filters: ours(ctx) }))).Vpcs?.[0]?.VpcId;
  const vpcId =
    found ??
    (
      await ec2.send(
        new CreateVpcCommand({
          CidrBlock: ctx.options.defaults.vpcCidr,
          TagSpecifications: tagSpec(ctx, 'vpc', 'shared', ctx.names.of('vpc')),
        }),
      )
    ).Vpc?.VpcId;
  ctx.state.vpcId = must(vpcId, 'the VPC id');
  await journal(ctx, 'vpc', 'vpc', ctx.state.vpcId, !found);
  // Instances get DNS names (kubeadm node names) and the private zone resolves inside the VPC.
  for (const attr of ['EnableDnsSupport', 'EnableDnsHostnames'] as const) {
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: ctx.state.vpcId, [attr]: { Value: true } }));
  }
}

export async function ensureSubnets(ctx: AwsContext): Promise<void> {
  const { ec2 } = ctx.clients;
  const { zones: count, subnetCidrs } = ctx.options.defaults;
  const zones = (
    (
      await ec2.send(
        new DescribeAvailabilityZonesCommand({
          Filters: [
            { Name: 'state', Values: ['available'] },
            { Name: 'zone-type', Values: ['availability-zone'] },
          ],
        }),
      )
    ).AvailabilityZones ?? []
  )
    .map((z) => z.ZoneName ?? '')
    .filter(Boolean)
    .sort()
    .slice(0, count);
  if (zones.length < 2) throw new Error(`region ${ctx.options.region} has fewer than 2 available zones`);
  const existing = (await ec2.send(new DescribeSubnetsCommand({ Filters: inVpc(ctx) }))).Subnets ?? [];
  const ids: string[] = [];
  for (const [i, zone] of zones.entries()) {
    const found = existing.find((s) => s.AvailabilityZone === zone)?.SubnetId;
    const subnetId =
      found ??
      (
        await ec2.send(
          new CreateSubnetCommand({
            VpcId: ctx.state.vpcId,
            AvailabilityZone: zone,
            CidrBlock: must(subnetCidrs[i], `a subnet CIDR for zone ${i + 1}`),
            TagSpecifications: [
              {
                ResourceType: 'subnet',
                // kubernetes.io/role/elb: where Kubernetes' integrations place internet-facing load balancers.
                Tags: [
                  ...tagsFor(ctx, 'shared', ctx.names.of(zone)),
                  { Key: 'kubernetes.io/role/elb', Value: '1' },
                ],
              },
            ],
          }),
        )
      ).Subnet?.SubnetId;
    const id = must(subnetId, `the subnet in ${zone}`);
    await journal(ctx, 'subnets', 'subnet', id, !found);
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: id, MapPublicIpOnLaunch: { Value: true } }));
    ids.push(id);
  }
  ctx.state.subnetIds = ids;
  ctx.state.zones = zones;
}

export async function ensureInternetGateway(ctx: AwsContext): Promise<void> {
  const { ec2 } = ctx.clients;
  const vpcId = must(ctx.state.vpcId, 'the VPC');
  const found = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: ours(ctx) })))
    .InternetGateways?.[0];
  const igwId =
    found?.InternetGatewayId ??
    (
      await ec2.send(
        new CreateInternetGatewayCommand({
          TagSpecifications: tagSpec(ctx, 'internet-gateway', 'shared', ctx.names.of('igw')),
        }),
      )
    ).InternetGateway?.InternetGatewayId;
  const id = must(igwId, 'the internet gateway');
  await journal(ctx, 'internet-gateway', 'internet-gateway', id, !found);
  if (!found?.Attachments?.some((a) => a.VpcId === vpcId)) {
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
  }
  ctx.state.internetGatewayId = id;
}

export async function ensureRoutes(ctx: AwsContext): Promise<void> {
  const { ec2 } = ctx.clients;
  const igw = must(ctx.state.internetGatewayId, 'the internet gateway');
  const found = (await ec2.send(new DescribeRouteTablesCommand({ Filters: inVpc(ctx) }))).RouteTables?.[0];
  const tableId =
    found?.RouteTableId ??
    (
      await ec2.send(
        new CreateRouteTableCommand({
          VpcId: ctx.state.vpcId,
          TagSpecifications: tagSpec(ctx, 'route-table', 'shared', ctx.names.of('public')),
        }),
      )
    ).RouteTable?.RouteTableId;
  const id = must(tableId, 'the route table');
  await journal(ctx, 'routes', 'route-table', id, !found);
  if (!found?.Routes?.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.GatewayId === igw)) {
    await ec2.send(
      new CreateRouteCommand({ RouteTableId: id, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
    );
  }
  const associated = new Set((found?.Associations ?? []).map((a) => a.SubnetId));
  for (const subnet of must(ctx.state.subnetIds, 'the subnets')) {
    if (!associated.has(subnet))
      await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnet }));
  }
  ctx.state.routeTableId = id;
}

/** What each role's group admits: everything from both roles' groups, the API and SSH from the admin CIDR. */
function ingress(ctx: AwsContext, role: 'master' | 'minion', groups: Record<'master' | 'minion', string>) {
  const fromGroups: IpPermission = {
    IpProtocol: '-1',
    UserIdGroupPairs: [{ GroupId: groups.master }, { GroupId: groups.minion }],
  };
  const tcp = (from: number, to: number): IpPermission => ({
    IpProtocol: 'tcp',
    FromPort: from,
    ToPort: to,
    IpRanges: [{ CidrIp: ctx.options.adminCidr }],
  });
  return role === 'master'
    ? [fromGroups, tcp(6443, 6443), tcp(22, 22)]
    : [fromGroups, tcp(22, 22), tcp(30000, 32767)];
}

/**
 * One security group per role, each admitting the other. Both carry the cluster tag: an instance has
 * exactly one of them, so Kubernetes' AWS integrations find one tagged group per instance.
 */
export async function ensureSecurityGroups(ctx: AwsContext): Promise<void> {
  const { ec2 } = ctx.clients;
  const groups = {} as Record<'master' | 'minion', string>;
  const existing =
    (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: inVpc(ctx) }))).SecurityGroups ?? [];
  for (const role of ['master', 'minion'] as const) {
    const name = ctx.names.role(role);
    const found = existing.find((g) => g.Tags?.some((t) => t.Key === CNCFDEMO_ROLE_TAG && t.Value === role));
    const id =
      found?.GroupId ??
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: name,
            Description: `cncfdemo cluster ${ctx.cluster}: ${role}s`,
            VpcId: ctx.state.vpcId,
            TagSpecifications: tagSpec(ctx, 'security-group', role, name),
          }),
        )
      ).GroupId;
    groups[role] = must(id, `the ${role}s' security group`);
    await journal(ctx, 'security-groups', 'security-group', groups[role], !found);
  }
  const current = new Map(existing.map((g) => [g.GroupId, g.IpPermissions ?? []]));
  for (const role of ['master', 'minion'] as const) {
    const missing = ingress(ctx, role, groups)
      .map((p) => missingPart(current.get(groups[role]) ?? [], p))
      .filter((p): p is IpPermission => p !== undefined);
    if (missing.length === 0) continue;
    try {
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: groups[role], IpPermissions: missing }),
      );
    } catch (err) {
      // Added meanwhile by a concurrent run: the rule is what we want.
      if (!isAwsError(err, 'InvalidPermission.Duplicate')) throw err;
    }
  }
  ctx.state.securityGroups = groups;
}

/** The part of a wanted rule a group does not have yet (AWS refuses duplicates; emulators may not). */
function missingPart(have: readonly IpPermission[], want: IpPermission): IpPermission | undefined {
  const same = have.filter(
    (h) =>
      h.IpProtocol === want.IpProtocol &&
      (want.IpProtocol === '-1' || (h.FromPort === want.FromPort && h.ToPort === want.ToPort)),
  );
  const groups = new Set(same.flatMap((h) => (h.UserIdGroupPairs ?? []).map((g) => g.GroupId)));
  const ranges = new Set(same.flatMap((h) => (h.IpRanges ?? []).map((r) => r.CidrIp)));
  const pairs = (want.UserIdGroupPairs ?? []).filter((g) => !groups.has(g.GroupId));
  const cidrs = (want.IpRanges ?? []).filter((r) => !ranges.has(r.CidrIp));
  if (pairs.length === 0 && cidrs.length === 0) return undefined;
  return {
    ...want,
    ...(want.UserIdGroupPairs ? { UserIdGroupPairs: pairs } : {}),
    ...(want.IpRanges ? { IpRanges: cidrs } : {}),
  };
}
