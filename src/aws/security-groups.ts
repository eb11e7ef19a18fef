import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandOutput,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { awsClient } from './clients.js';
import type { AwsSettings } from './settings.js';
import { tagRecord, taggedClusters } from './tags.js';

export interface InstanceGroups {
  instanceId: string;
  groupIds: string[];
}

export interface SecurityGroupInfo {
  id: string;
  name: string;
  tags: Record<string, string>;
}

export interface TagConflict {
  instanceId: string;
  cluster: string;
  groups: { id: string; name: string; tag: string }[];
}

/**
 * Instances with more than one security group tagged for the same cluster: the Kubernetes AWS cloud
 * provider then refuses to pick one ("Multiple tagged security groups found for instance") and
 * LoadBalancer Services stay pending.
 */
export function findTagConflicts(
  instances: readonly InstanceGroups[],
  groups: ReadonlyMap<string, SecurityGroupInfo>,
  clusterName?: string,
): TagConflict[] {
  const conflicts: TagConflict[] = [];
  for (const instance of instances) {
    const byCluster = new Map<string, TagConflict['groups']>();
    for (const id of new Set(instance.groupIds)) {
      const group = groups.get(id);
      if (!group) continue;
      for (const [cluster, tag] of taggedClusters(group.tags)) {
        if (clusterName !== undefined && cluster !== clusterName) continue;
        byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), { id, name: group.name, tag }]);
      }
    }
    for (const [cluster, tagged] of byCluster) {
      if (tagged.length > 1) conflicts.push({ instanceId: instance.instanceId, cluster, groups: tagged });
    }
  }
  return conflicts;
}

/** An EC2 client for the settings (see awsClient). */
export function ec2Client(settings: AwsSettings): EC2Client {
  return awsClient(EC2Client, settings);
}

/** Every instance (but terminated ones) with its security groups, and every security group's tags. */
export async function describeInventory(
  client: EC2Client,
  signal?: AbortSignal,
): Promise<{ instances: InstanceGroups[]; groups: Map<string, SecurityGroupInfo> }> {
  const instances: InstanceGroups[] = [];
  let token: string | undefined;
  do {
    const page: DescribeInstancesCommandOutput = await client.send(
      new DescribeInstancesCommand({ ...(token ? { NextToken: token } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (!instance.InstanceId || instance.State?.Name === 'terminated') continue;
        const ids = [
          ...(instance.SecurityGroups ?? []).map((g) => g.GroupId),
          ...(instance.NetworkInterfaces ?? []).flatMap((n) => (n.Groups ?? []).map((g) => g.GroupId)),
        ].filter((id): id is string => typeof id === 'string');
        instances.push({ instanceId: instance.InstanceId, groupIds: ids });
      }
    }
    token = page.NextToken;
  } while (token);

  const groups = new Map<string, SecurityGroupInfo>();
  token = undefined;
  do {
    const page: DescribeSecurityGroupsCommandOutput = await client.send(
      new DescribeSecurityGroupsCommand({ ...(token ? { NextToken: token } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    for (const g of page.SecurityGroups ?? []) {
      if (g.GroupId)
        groups.set(g.GroupId, { id: g.GroupId, name: g.GroupName ?? '', tags: tagRecord(g.Tags) });
    }
    token = page.NextToken;
  } while (token);
  return { instances, groups };
}
