import {
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DeleteInternetGatewayCommand,
  DeleteKeyPairCommand,
  DeleteLaunchTemplateCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  RevokeSecurityGroupIngressCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetInstanceProfileCommand,
  ListRolePoliciesCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { DeleteHostedZoneCommand } from '@aws-sdk/client-route-53';
import { DeleteParametersCommand } from '@aws-sdk/client-ssm';
import { CNCFDEMO_CLUSTER_TAG } from '../../../aws/tags.js';
import type { AwsContext } from './context.js';
import { isAwsError } from './errors.js';
import {
  classicLoadBalancers,
  type ClusterResource,
  clusterResources,
  RESOURCE_TYPES,
  type ResourceType,
} from './inventory.js';
import { changeRecords, recordSets } from './steps/dns.js';
import { retrying, waitFor } from './wait.js';

const NOT_FOUND = [
  'NoSuchEntity',
  'NoSuchHostedZone',
  'ParameterNotFound',
  'LoadBalancerNotFound',
  // classic ELB's name for LoadBalancerNotFound
  'AccessPointNotFoundException',
  'TargetGroupNotFound',
  'InvalidVpcID',
  'InvalidSubnetID',
  'InvalidGroup',
  'InvalidInternetGatewayID',
  'InvalidRouteTableID',
  'InvalidLaunchTemplateId',
  'InvalidKeyPair',
  'InvalidInstanceID',
  'InvalidAssociationID',
];
/** Errors that pass once a dependent resource is gone (AWS deletes asynchronously). */
const TRANSIENT = [
  'DependencyViolation',
  'ResourceInUse',
  'ResourceInUseFault',
  'ScalingActivityInProgress',
  'HostedZoneNotEmpty',
];

const gone = async (action: () => Promise<unknown>): Promise<void> => {
  try {
    await action();
  } catch (err) {
    if (!isAwsError(err, ...NOT_FOUND)) throw err;
  }
};

/** Deletes with retries while something it depends on is still going away. */
function deleting(ctx: AwsContext, what: string, action: () => Promise<unknown>): Promise<void> {
  return retrying(
    what,
    () => gone(action),
    (err) => isAwsError(err, ...TRANSIENT),
    ctx.backoff(10 * 60_000),
  );
}

/** What a describe returns, or nothing when the resources are gone already. */
async function unlessGone<T>(describe: () => Promise<T[]>): Promise<T[]> {
  try {
    return await describe();
  } catch (err) {
    if (isAwsError(err, ...NOT_FOUND)) return [];
    throw err;
  }
}

type Deleter = (ctx: AwsContext, ids: string[]) => Promise<void>;

const DELETERS: Record<ResourceType, Deleter> = {
  async 'classic-load-balancer'(ctx, names) {
    const { DeleteLoadBalancerCommand: Delete } = await import('@aws-sdk/client-elastic-load-balancing');
    const elb = await ctx.clients.classicElb();
    for (const name of names) await gone(() => elb.send(new Delete({ LoadBalancerName: name })));
    // Listed whole: a describe by names fails outright when any one of them is gone.
    await waitFor(
      'the classic load balancers to be deleted',
      async (report) => {
        const left = (await classicLoadBalancers(ctx)).filter((l) => names.includes(l.name));
        report(left.map((l) => l.name).join(', '));
        return left.length === 0 ? true : undefined;
      },
      ctx.backoff(10 * 60_000),
    );
  },
  async 'foreign-load-balancer'(ctx, arns) {
    await DELETERS['load-balancer'](ctx, arns);
  },
  async 'auto-scaling-group'(ctx, names) {
    const { asg } = ctx.clients;
    for (const name of names) {
      await deleting(ctx, `auto scaling group ${name}`, () =>
        asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true })),
      );
    }
    await waitFor(
      'the auto scaling groups to be deleted',
      async (report) => {
        const left =
          (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names })))
            .AutoScalingGroups ?? [];
        report(left.map((g) => `${g.AutoScalingGroupName ?? ''} ${g.Status ?? ''}`).join(', '));
        return left.length === 0 ? true : undefined;
      },
      ctx.backoff(15 * 60_000),
    );
  },
  async instance(ctx, ids) {
    const { ec2 } = ctx.clients;
    await gone(() => ec2.send(new TerminateInstancesCommand({ InstanceIds: ids })));
    await waitFor(
      'the instances to terminate',
      async (report) => {
        const left = ((await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations ?? [])
          .flatMap((r) => r.Instances ?? [])
          .filter((i) => i.State?.Name !== 'terminated');
        report(`${left.length} not terminated`);
        return left.length === 0 ? true : undefined;
      },
      ctx.backoff(10 * 60_000),
    );
  },
  async 'load-balancer'(ctx, arns) {
    const { elb } = ctx.clients;
    for (const arn of arns)
      await gone(() => elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })));
    await waitFor(
      'the load balancers to be deleted',
      async () => {
        const left = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: arns })).then(
          (r) => r.LoadBalancers ?? [],
          (err: unknown) => {
            if (isAwsError(err, 'LoadBalancerNotFound')) return [];
            throw err;
          },
        );
        return left.length === 0 ? true : undefined;
      },
      ctx.backoff(10 * 60_000),
    );
  },
  async 'target-group'(ctx, arns) {
    for (const arn of arns) {
      await deleting(ctx, `target group ${arn}`, () =>
        ctx.clients.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })),
      );
    }
  },
  async 'launch-template'(ctx, ids) {
    for (const id of ids)
      await gone(() => ctx.clients.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: id })));
  },
  async 'instance-profile'(ctx, names) {
    const { iam } = ctx.clients;
    for (const name of names) {
      await gone(async () => {
        const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name })))
          .InstanceProfile;
        for (const role of profile?.Roles ?? []) {
          await iam.send(
            new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: role.RoleName }),
          );
        }
        await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name }));
      });
    }
  },
  async 'iam-role'(ctx, names) {
    const { iam } = ctx.clients;
    for (const name of names) {
      await gone(async () => {
        for (const policy of (await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames ??
          []) {
          await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policy }));
        }
        await deleting(ctx, `IAM role ${name}`, () => iam.send(new DeleteRoleCommand({ RoleName: name })));
      });
    }
  },
  async 'ssm-parameter'(ctx, names) {
    for (let i = 0; i < names.length; i += 10) {
      await gone(() => ctx.clients.ssm.send(new DeleteParametersCommand({ Names: names.slice(i, i + 10) })));
    }
  },
  async 'key-pair'(ctx, names) {
    for (const name of names)
      await gone(() => ctx.clients.ec2.send(new DeleteKeyPairCommand({ KeyName: name })));
  },
  async 'hosted-zone'(ctx, ids) {
    for (const id of ids) {
      await gone(async () => {
        const records = (await recordSets(ctx, id)).filter((r) => r.Type !== 'SOA' && r.Type !== 'NS');
        await changeRecords(
          ctx,
          id,
          records.map((r) => ({ Action: 'DELETE' as const, ResourceRecordSet: r })),
        );
        await deleting(ctx, `hosted zone ${id}`, () =>
          ctx.clients.route53.send(new DeleteHostedZoneCommand({ Id: id })),
        );
      });
    }
  },
  async 'security-group'(ctx, ids) {
    const { ec2 } = ctx.clients;
    // Groups that admit each other cannot go while the rule exists: revoke the references first.
    const groups = await unlessGone(
      async () => (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ids }))).SecurityGroups ?? [],
    );
    for (const g of groups) {
      const referencing = (g.IpPermissions ?? []).filter((p) => (p.UserIdGroupPairs ?? []).length > 0);
      if (referencing.length > 0) {
        await gone(() =>
          ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: referencing })),
        );
      }
    }
    for (const id of ids) {
      await deleting(ctx, `security group ${id}`, () =>
        ec2.send(new DeleteSecurityGroupCommand({ GroupId: id })),
      );
    }
  },
  async 'route-table'(ctx, ids) {
    const { ec2 } = ctx.clients;
    const tables = await unlessGone(
      async () => (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ids }))).RouteTables ?? [],
    );
    for (const t of tables) {
      for (const a of t.Associations ?? []) {
        if (!a.Main && a.RouteTableAssociationId) {
          await gone(() =>
            ec2.send(new DisassociateRouteTableCommand({ AssociationId: a.RouteTableAssociationId })),
          );
        }
      }
    }
    for (const id of ids)
      await deleting(ctx, `route table ${id}`, () =>
        ec2.send(new DeleteRouteTableCommand({ RouteTableId: id })),
      );
  },
  async 'internet-gateway'(ctx, ids) {
    const { ec2 } = ctx.clients;
    const gateways = await unlessGone(
      async () =>
        (await ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: ids }))).InternetGateways ??
        [],
    );
    for (const g of gateways) {
      for (const a of g.Attachments ?? []) {
        await deleting(ctx, `detaching internet gateway ${g.InternetGatewayId ?? ''}`, () =>
          ec2.send(
            new DetachInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId, VpcId: a.VpcId }),
          ),
        );
      }
    }
    for (const id of ids) {
      await deleting(ctx, `internet gateway ${id}`, () =>
        ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id })),
      );
    }
  },
  async subnet(ctx, ids) {
    for (const id of ids) {
      await deleting(ctx, `subnet ${id}`, () =>
        ctx.clients.ec2.send(new DeleteSubnetCommand({ SubnetId: id })),
      );
    }
  },
  async vpc(ctx, ids) {
    for (const id of ids)
      await deleting(ctx, `VPC ${id}`, () => ctx.clients.ec2.send(new DeleteVpcCommand({ VpcId: id })));
  },
};

/**
 * Security groups in the cluster's VPC that cncfdemo did not create (Kubernetes made them for Service
 * type LoadBalancer): they go with the VPC, and nothing else would delete them.
 */
async function foreignGroups(ctx: AwsContext, vpcIds: string[]): Promise<ClusterResource[]> {
  if (vpcIds.length === 0) return [];
  const groups =
    (
      await ctx.clients.ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: vpcIds }] }),
      )
    ).SecurityGroups ?? [];
  return groups
    .filter((g) => g.GroupName !== 'default' && !g.Tags?.some((t) => t.Key === CNCFDEMO_CLUSTER_TAG))
    .map((g) => ({ type: 'security-group', id: g.GroupId ?? '' }));
}

/**
 * Classic ELBs in the cluster's VPC whatever their tags (an older cloud provider tagged only
 * `KubernetesCluster`): the VPC cannot go while they hold its subnets.
 */
async function foreignClassicLoadBalancers(ctx: AwsContext, vpcIds: string[]): Promise<ClusterResource[]> {
  if (vpcIds.length === 0) return [];
  return (await classicLoadBalancers(ctx))
    .filter((l) => l.vpcId !== undefined && vpcIds.includes(l.vpcId))
    .map((l) => ({ type: 'classic-load-balancer', id: l.name }));
}

/**
 * Deletes everything of the cluster, from the journal and a tag sweep, dependents first; ends by listing
 * what is left, which must be nothing (terminated instances aside).
 */
export async function teardown(
  ctx: AwsContext,
  progress: (message: string) => void = () => undefined,
): Promise<void> {
  const fromJournal = (await ctx.journal.entries()).map((e) => ({ type: e.type as ResourceType, id: e.id }));
  const found = await clusterResources(ctx);
  const vpcIds = [...new Set([...found, ...fromJournal].filter((r) => r.type === 'vpc').map((r) => r.id))];
  const all = [
    ...found,
    ...fromJournal,
    ...(await foreignClassicLoadBalancers(ctx, vpcIds)),
    ...(await foreignGroups(ctx, vpcIds)),
  ];
  for (const type of RESOURCE_TYPES) {
    // A journal id may be gone already; the deleters treat "not found" as done.
    const ids = [...new Set(all.filter((r) => r.type === type).map((r) => r.id))];
    if (ids.length === 0) continue;
    progress(`deleting ${ids.length} ${type}${ids.length > 1 ? 's' : ''}`);
    await DELETERS[type](ctx, ids);
  }
  const left = await clusterResources(ctx);
  if (left.length > 0) {
    throw new Error(
      `cluster ${ctx.cluster}: resources are still there after delete: ${left.map((r) => `${r.type} ${r.id}`).join(', ')}; run delete again`,
    );
  }
}
