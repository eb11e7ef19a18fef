import type { EventStream } from '../events/index.js';
import type { Logger } from '../log/logger.js';

export interface ClusterSpec {
  name: string;
  nodes: number;
  /** Allocatable CPU per node, as a Kubernetes quantity ("8", "7500m"). */
  nodeCpu: string;
  /** Allocatable memory per node, as a Kubernetes quantity ("32Gi"). */
  nodeMemory: string;
  /** Max pods per node. */
  nodePods: number;
  /** Simulated pods turn Ready (and Job pods complete) after this delay, plus up to as much again in jitter. */
  podStartDelayMs: number;
  /** This machine joins as a real node that runs containers; `nodes` simulated nodes may stand beside it. */
  realNode?: RealNodeSpec;
}

/** `--registry-mirror docker.io=http://127.0.0.1:5000`: pulls for that registry go to the mirror instead. */
export interface RegistryMirror {
  registry: string;
  endpoint: string;
}

export interface RealNodeSpec {
  registryMirrors: RegistryMirror[];
  /** The cluster DNS add-on's image (CoreDNS). */
  dnsImage: string;
}

export interface ClusterSummary {
  name: string;
  provider: string;
  /** Context written into the user's kubeconfig. */
  context: string;
  running: boolean;
}

export interface ClusterInfo extends ClusterSummary {
  server: string;
  kubernetesVersion: string;
  /** Pods never run containers on these nodes (kwok): no traffic can be served. */
  simulatedNodes: boolean;
}

export interface OperationOptions {
  events?: EventStream;
  logger?: Logger;
  signal?: AbortSignal;
}

/** What every cluster provider implements; one folder each under providers/. */
export interface ClusterProvider {
  readonly name: string;
  readonly capabilities: { simulatedNodes: boolean; loadBalancers: boolean };
  create(spec: ClusterSpec, options?: OperationOptions): Promise<ClusterInfo>;
  delete(name: string, options?: OperationOptions): Promise<void>;
  /** Starts a stopped cluster again with its state (a no-op when it runs); resolves when it is healthy. */
  start(name: string, options?: OperationOptions): Promise<ClusterInfo>;
  /** Stops a cluster's processes, keeping its state for start (a no-op when it is stopped). */
  stop(name: string, options?: OperationOptions): Promise<void>;
  list(): Promise<ClusterSummary[]>;
  /** The cluster's admin kubeconfig as YAML, with its context named like `contextName(name)`. */
  kubeconfig(name: string): Promise<string>;
  info(name: string): Promise<ClusterInfo>;
}

export const contextName = (cluster: string): string => `cncfdemo-${cluster}`;
