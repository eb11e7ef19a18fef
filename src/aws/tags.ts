/** The tags cncfdemo and Kubernetes' AWS integrations read; one home for their keys. */

/** The legacy tag of the in-tree cloud provider: one cluster per account only. Read, never written alone. */
export const LEGACY_CLUSTER_TAG = 'KubernetesCluster';
export const CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';
/** cncfdemo's own tags on everything it creates. */
export const CNCFDEMO_CLUSTER_TAG = 'cncfdemo.io/cluster';
export const CNCFDEMO_ROLE_TAG = 'cncfdemo.io/role';

export type AwsTag = { Key: string; Value: string };

export const clusterTagKey = (cluster: string): string => `${CLUSTER_TAG_PREFIX}${cluster}`;

/** Every tag on a resource cncfdemo creates for a cluster: Kubernetes' owned tag, ours, a role and a Name. */
export function clusterTags(cluster: string, role: string, name: string): AwsTag[] {
  return [
    { Key: clusterTagKey(cluster), Value: 'owned' },
    { Key: CNCFDEMO_CLUSTER_TAG, Value: cluster },
    { Key: CNCFDEMO_ROLE_TAG, Value: role },
    { Key: 'Name', Value: name },
  ];
}

/** The clusters a resource's tags claim it for, each with the tag that says so. */
export function taggedClusters(tags: Record<string, string>): Map<string, string> {
  const clusters = new Map<string, string>();
  for (const [key, value] of Object.entries(tags)) {
    if (key === LEGACY_CLUSTER_TAG && value !== '') clusters.set(value, `${LEGACY_CLUSTER_TAG}=${value}`);
    else if (key.startsWith(CLUSTER_TAG_PREFIX) && key.length > CLUSTER_TAG_PREFIX.length)
      clusters.set(key.slice(CLUSTER_TAG_PREFIX.length), `${key}=${value}`);
  }
  return clusters;
}

/** SDK tag lists (`{Key?, Value?}[]`) as a record. */
export function tagRecord(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? '', t.Value ?? '']),
  );
}
