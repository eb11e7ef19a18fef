/** The only entry point to Kubernetes: everything else in cncfdemo goes through here. */
export { connect, KubeClient, type ConnectOptions, type KindRef, type ServerVersion } from './client.js';
export type { DeleteOptions, DeleteResult, SelectorDeleteOptions } from './delete.js';
export { ApiError, isApiError, isNotFound } from './errors.js';
export type { EventQuery, KubeEvent } from './events.js';
export { kubeconfigFiles, type KubeconfigOptions } from './kubeconfig.js';
export { CLUSTER_SCOPED_KINDS, POD_TEMPLATE_KINDS, WORKLOAD_KINDS } from './kinds.js';
export {
  isLocalProviderNode,
  isNodeReady,
  isSimulatedNode,
  KWOK_NODE_ANNOTATION,
  KWOK_NODE_LABEL,
  LOCAL_REAL_NODE_LABEL,
} from './nodes.js';
export { planApply } from './plan.js';
export { quantityValue } from './quantity.js';
export type { ListOptions, Table, TableColumn } from './read.js';
export { computeStatus, type Status, type StatusResult } from './status/index.js';
export { isJob, jobPodsSucceeded } from './status/jobs.js';
export {
  apiVersionOf,
  conditionsOf,
  displayName,
  refOf,
  type Condition,
  type KubeObject,
  type ObjectMeta,
  type ObjectRef,
  type ResourceInfo,
  type WatchEvent,
} from './types.js';
export {
  WaitFailedError,
  WaitTimeoutError,
  type ObjectState,
  type WaitFor,
  type WaitOptions,
  type WaitProgress,
} from './wait.js';
export type { WatchHandler, WatchOptions, WatchUpdate } from './watch.js';
export { WriteError, type DryRun, type WriteFailure, type WriteOptions, type WriteResult } from './write.js';
export { age, getObjects, type GetRequest, type GetResult } from './ops/get.js';
export { namedObjects } from './ops/targets.js';
