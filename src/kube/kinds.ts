/** Sets of built-in kinds that more than one part of cncfdemo judges objects by. */

/** Kinds with a rollout that kstatus judges (replicas, completions): what "ready" waits on and reports. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

/** Kinds whose objects run pods from `spec.template` (CronJobs nest one level deeper). */
export const POD_TEMPLATE_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
]);

/** Built-in kinds that live outside any namespace (for manifests checked before the API is asked). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'PriorityClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PersistentVolume',
  'IngressClass',
  'RuntimeClass',
  'CustomResourceDefinition',
]);
