import { createHash } from 'node:crypto';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
  CreateTagsCommand,
  ModifyLaunchTemplateCommand,
  type LaunchTemplate,
  type RequestLaunchTemplateData,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { UserError } from '../../../../errors/index.js';
import { renderNodeArtefacts, type NodeRole } from '../../../node/render.js';
import { kubernetesMinor } from '../../../node/versions.js';
import { type AwsContext, journal, tagsFor } from '../context.js';
import { isAwsError } from '../errors.js';
import { must, ours } from './network.js';
import { waitFor, retrying } from '../wait.js';

const API_PORT = 6443;
const USER_DATA_DIGEST_TAG = 'cncfdemo.io/user-data-sha256';

/** What a describe by name returns, or undefined when AWS says there is none of that name. */
async function byName<T>(describe: () => Promise<T | undefined>, notFound: string): Promise<T | undefined> {
  try {
    return await describe();
  } catch (err) {
    if (isAwsError(err, notFound)) return undefined;
    throw err;
  }
}

const findLoadBalancer = (ctx: AwsContext) =>
  byName(
    async () =>
      (await ctx.clients.elb.send(new DescribeLoadBalancersCommand({ Names: [ctx.names.short('api')] })))
        .LoadBalancers?.[0],
    'LoadBalancerNotFound',
  );

const findTargetGroup = (ctx: AwsContext) =>
  byName(
    async () =>
      (await ctx.clients.elb.send(new DescribeTargetGroupsCommand({ Names: [ctx.names.short('masters')] })))
        .TargetGroups?.[0],
    'TargetGroupNotFound',
  );

/** The API endpoint: a TCP network load balancer on 6443 in front of the masters' group. */
export async function ensureLoadBalancer(ctx: AwsContext): Promise<void> {
  const { elb } = ctx.clients;
  const found = await findLoadBalancer(ctx);
  const lb =
    found ??
    (
      await elb.send(
        new CreateLoadBalancerCommand({
          Name: ctx.names.short('api'),
          Type: 'network',
          Scheme: 'internet-facing',
          Subnets: must(ctx.state.subnetIds, 'the subnets'),
          Tags: tagsFor(ctx, 'master', ctx.names.short('api')),
        }),
      )
    ).LoadBalancers?.[0];
  const lbArn = must(lb?.LoadBalancerArn, 'the load balancer');
  await journal(ctx, 'load-balancer', 'load-balancer', lbArn, !found);
  const foundGroup = await findTargetGroup(ctx);
  const group =
    foundGroup ??
    (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: ctx.names.short('masters'),
          Protocol: 'TCP',
          Port: API_PORT,
          VpcId: ctx.state.vpcId,
          TargetType: 'instance',
          HealthCheckProtocol: 'TCP',
          Tags: tagsFor(ctx, 'master', ctx.names.short('masters')),
        }),
      )
    ).TargetGroups?.[0];
  const groupArn = must(group?.TargetGroupArn, 'the target group');
  await journal(ctx, 'load-balancer', 'target-group', groupArn, !foundGroup);
  const listeners =
    (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners ?? [];
  if (!listeners.some((l) => l.Port === API_PORT)) {
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'TCP',
        Port: API_PORT,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: groupArn }],
      }),
    );
  }
  // provisioning -> active takes minutes on AWS.
  const active = await waitFor(
    'the API load balancer to be active',
    async (report) => {
      const now = await findLoadBalancer(ctx);
      report(now?.State?.Code ?? 'absent');
      if (now?.State?.Code === 'failed')
        throw new Error(`load balancer ${lbArn} failed: ${now.State.Reason ?? ''}`);
      return now?.State?.Code === 'active' ? now : undefined;
    },
    ctx.backoff(10 * 60_000),
  );
  ctx.state.loadBalancerArn = lbArn;
  ctx.state.loadBalancerDns = must(active.DNSName, 'the load balancer DNS name');
  ctx.state.targetGroupArn = groupArn;
}

/** --image, else the newest image of the first owner and name pattern in data/aws/defaults.yaml that has one. */
export async function ensureImage(ctx: AwsContext): Promise<void> {
  if (ctx.options.image) {
    ctx.state.imageId = ctx.options.image;
    return;
  }
  for (const { owner, name } of ctx.options.defaults.images) {
    const images =
      (
        await ctx.clients.ec2.send(
          new DescribeImagesCommand({
            Owners: [owner],
            Filters: [
              { Name: 'name', Values: [name] },
              { Name: 'architecture', Values: ['x86_64'] },
              { Name: 'state', Values: ['available'] },
            ],
          }),
        )
      ).Images ?? [];
    const newest = images.sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
    if (newest?.ImageId) {
      ctx.state.imageId = newest.ImageId;
      return;
    }
  }
  throw new UserError(`no Debian or Ubuntu image found in ${ctx.options.region}`, 'pass --image ami-...');
}

/** The user-data of a role: the shared renderer, pointed at this cluster's names. */
export async function userData(ctx: AwsContext, role: NodeRole): Promise<string> {
  const lbDns = must(ctx.state.loadBalancerDns, 'the load balancer DNS name');
  const artefacts = await renderNodeArtefacts(role, {
    provider: 'aws',
    cluster: ctx.cluster,
    apiHost: ctx.names.record('master'),
    userApiHost: lbDns,
    certSans: [lbDns],
    kubernetesMinor: await kubernetesMinor(),
    region: ctx.options.region,
    secretsPath: ctx.names.secrets,
  });
  return artefacts.userData;
}

const instanceType = (ctx: AwsContext, role: NodeRole): string =>
  role === 'master' ? ctx.options.masterInstanceType : ctx.options.nodeInstanceType;

/** A launch template per role (IMDSv2 only, the role's user-data); a new version when what it holds changed. */
export async function ensureLaunchTemplates(ctx: AwsContext): Promise<void> {
  const { ec2 } = ctx.clients;
  const existing =
    (await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: ours(ctx) }))).LaunchTemplates ?? [];
  const templates: Partial<Record<NodeRole, string>> = {};
  for (const role of ['master', 'minion'] as const) {
    const name = ctx.names.role(role);
    const data: RequestLaunchTemplateData = {
      ImageId: must(ctx.state.imageId, 'the image'),
      // Any type the region offers; the SDK's list may lag behind new ones.
      InstanceType: instanceType(ctx, role) as _InstanceType,
      IamInstanceProfile: {
        Name: must(ctx.state.instanceProfiles?.[role], `the ${role}s' instance profile`),
      },
      ...(ctx.state.keyName ? { KeyName: ctx.state.keyName } : {}),
      UserData: Buffer.from(await userData(ctx, role)).toString('base64'),
      MetadataOptions: {
        HttpTokens: 'required' as const,
        HttpEndpoint: 'enabled' as const,
        HttpPutResponseHopLimit: 2,
      },
      NetworkInterfaces: [
        {
          DeviceIndex: 0,
          AssociatePublicIpAddress: true,
          Groups: [must(ctx.state.securityGroups?.[role], `the ${role}s' security group`)],
        },
      ],
      TagSpecifications: [
        { ResourceType: 'instance' as const, Tags: tagsFor(ctx, role, name) },
        { ResourceType: 'volume' as const, Tags: tagsFor(ctx, role, name) },
      ],
    };
    const digest = createHash('sha256').update(JSON.stringify(data)).digest('hex');
    const found: LaunchTemplate | undefined = existing.find((t) => t.LaunchTemplateName === name);
    let id = found?.LaunchTemplateId;
    if (!found) {
      id = (
        await ec2.send(
          new CreateLaunchTemplateCommand({
            LaunchTemplateName: name,
            LaunchTemplateData: data,
            TagSpecifications: [
              {
                ResourceType: 'launch-template',
                Tags: [...tagsFor(ctx, role, name), { Key: USER_DATA_DIGEST_TAG, Value: digest }],
              },
            ],
          }),
        )
      ).LaunchTemplate?.LaunchTemplateId;
    } else if (!found.Tags?.some((t) => t.Key === USER_DATA_DIGEST_TAG && t.Value === digest)) {
      // What the instances should be changed (a new image, type or user-data): new instances get it.
      const version = (
        await ec2.send(
          new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: data }),
        )
      ).LaunchTemplateVersion?.VersionNumber;
      await ec2.send(
        new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: String(version) }),
      );
      await ec2.send(
        new CreateTagsCommand({
          Resources: [id ?? ''],
          Tags: [{ Key: USER_DATA_DIGEST_TAG, Value: digest }],
        }),
      );
    }
    templates[role] = must(id, `the ${role}s' launch template`);
    await journal(ctx, 'launch-templates', 'launch-template', templates[role], !found);
  }
  ctx.state.launchTemplates = templates;
}

async function describeGroup(ctx: AwsContext, name: string) {
  return (await ctx.clients.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })))
    .AutoScalingGroups?.[0];
}

const desired = (ctx: AwsContext, role: NodeRole): number =>
  role === 'master' ? ctx.options.masters : ctx.options.nodes;

/** One AutoScalingGroup per role across the zones; the masters' registers in the API's target group. */
export async function ensureAutoScalingGroups(ctx: AwsContext): Promise<void> {
  const { asg } = ctx.clients;
  const groups: Partial<Record<NodeRole, string>> = {};
  for (const role of ['master', 'minion'] as const) {
    const name = ctx.names.role(role);
    const size = desired(ctx, role);
    // Checked here, not left to the API: an emulator accepts a second group of the same name.
    const found = await describeGroup(ctx, name);
    if (!found) {
      await retrying(
        `the ${role}s' instance profile to be usable (IAM propagation)`,
        () =>
          asg.send(
            new CreateAutoScalingGroupCommand({
              AutoScalingGroupName: name,
              LaunchTemplate: { LaunchTemplateId: ctx.state.launchTemplates?.[role], Version: '$Default' },
              MinSize: size,
              MaxSize: size,
              DesiredCapacity: size,
              VPCZoneIdentifier: must(ctx.state.subnetIds, 'the subnets').join(','),
              ...(role === 'master'
                ? { TargetGroupARNs: [must(ctx.state.targetGroupArn, 'the target group')] }
                : {}),
              Tags: tagsFor(ctx, role, name).map((t) => ({ ...t, PropagateAtLaunch: true })),
            }),
          ),
        (err) => isAwsError(err, 'ValidationError') && /instance profile/i.test(String(err)),
        ctx.backoff(2 * 60_000),
      );
    } else if (found.DesiredCapacity !== size || found.MinSize !== size || found.MaxSize !== size) {
      await asg.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: name,
          MinSize: size,
          MaxSize: size,
          DesiredCapacity: size,
        }),
      );
    }
    await journal(ctx, 'auto-scaling-groups', 'auto-scaling-group', name, !found);
    groups[role] = name;
  }
  ctx.state.autoScalingGroups = groups;
}

/** The InService instance ids of a role's group. */
export async function inServiceInstances(ctx: AwsContext, role: NodeRole): Promise<string[]> {
  const group = await describeGroup(ctx, ctx.names.role(role));
  return (group?.Instances ?? [])
    .filter((i) => i.LifecycleState === 'InService' && i.HealthStatus !== 'Unhealthy')
    .map((i) => i.InstanceId ?? '')
    .filter(Boolean)
    .sort();
}

/** Waits until each group has its desired number of instances InService. */
export async function waitInService(ctx: AwsContext): Promise<void> {
  for (const role of ['master', 'minion'] as const) {
    await waitFor(
      `the ${role}s' instances to be InService`,
      async (report) => {
        const ids = await inServiceInstances(ctx, role);
        report(`${ids.length}/${desired(ctx, role)} InService`);
        return ids.length >= desired(ctx, role) ? ids : undefined;
      },
      ctx.backoff(15 * 60_000),
    );
  }
}
