/**
 * Clusters behind one narrow provider interface (create, delete, start, stop, list, kubeconfig, info), one
 * folder per provider under providers/, found through registry.ts and the cluster record (record.ts).
 */
import type { EventStream } from '../events/index.js';
import type { Logger } from '../log/logger.js';

/**
 * What to create: a common part every provider reads (name, nodes, masters) and provider-specific parts.
 * The node sizing and start delay are the local provider's (simulated nodes); `options` holds the other
 * providers' settings, each validated by its provider's `validate(spec)`.
 */
export interface ClusterSpec {
  name: string;
  /** Worker nodes. */
  nodes: number;
  /** Control-plane machines, for providers that run them on machines of their own (default 1). */
  masters?: number;
  /** Allocatable CPU per node, as a Kubernetes quantity ("8", "7500m"). */
  nodeCpu: string;
  /** Allocatable memory per node, as a Kubernetes quantity ("32Gi"). */
  nodeMemory: string;
  /** Max pods per node. */
  nodePods: number;
  /** Simulated pods turn Ready (and Job pods complete) after this delay, plus up to as much again in jitter. */
  podStartDelayMs: number;
  /** Provider-specific options (aws: region, instance types, ...), validated by the provider. */
  options?: Readonly<Record<string, unknown>>;
  /** Serve the profiling endpoints (pprof) of the control plane's processes, for debugging them (local). */
  profiling?: boolean;
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

/** Running: every process (or machine) of it runs; Degraded: some do, others not (`down`); Stopped: none. */
export type ClusterState = 'Running' | 'Degraded' | 'Stopped';

export interface ClusterSummary {
  name: string;
  provider: string;
  /** Context written into the user's kubeconfig. */
  context: string;
  /** The state is Running. */
  running: boolean;
  state: ClusterState;
  /** Degraded: the processes (or machines) that do not run. */
  down?: string[];
}

export interface ClusterInfo extends ClusterSummary {
  server: string;
  kubernetesVersion: string;
  /** The cluster's own Prometheus (its API server's metrics), on this machine: local clusters. */
  prometheus?: string;
  /** Set while the cluster's API cannot be reached yet (machines still booting): why, and what to run later. */
  pending?: string;
}

export interface StopResult {
  /** What was running and was stopped, for a person ("etcd", "kube-apiserver", "the master instances"). */
  stopped: string[];
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
  /**
   * Checks the spec for this provider (its limits, its `options`) before anything is created; every
   * problem at once, as one UserError. Resolves to warnings worth printing (e.g. an unpriced instance type).
   */
  validate(spec: ClusterSpec): Promise<string[]>;
  create(spec: ClusterSpec, options?: OperationOptions): Promise<ClusterInfo>;
  /** What create would do, as text for a person (resources, cost); changes nothing. */
  plan?(spec: ClusterSpec): Promise<string>;
  delete(name: string, options?: OperationOptions): Promise<void>;
  /**
   * Starts what does not run of a cluster again (all of a stopped one, the dead processes of a degraded
   * one) with its data; a no-op when it runs. Resolves when it is healthy.
   */
  start(name: string, options?: OperationOptions): Promise<ClusterInfo>;
  /**
   * Stops every process (or machine) of a cluster that runs, whatever state it is in, keeping its data for
   * start; resolves to what it stopped (nothing when it was stopped already).
   */
  stop(name: string, options?: OperationOptions): Promise<StopResult>;
  list(): Promise<ClusterSummary[]>;
  /** The cluster's admin kubeconfig as YAML, with its context named like `contextName(name)`. */
  kubeconfig(name: string): Promise<string>;
  info(name: string): Promise<ClusterInfo>;
  /**
   * The URL of a Prometheus of the cluster's own, reachable from this machine, that scrapes its API server
   * (the benchmark reads request latencies from it); undefined when it has none. Whether it answers is the
   * caller's to ask. Providers without one leave this out.
   */
  prometheus?(name: string): Promise<string | undefined>;
  /**
   * Points a readable public name (`countly.<domain>`) at an address the cluster serves from (a load
   * balancer's name or IP); `target` undefined removes it. Providers without public DNS leave it out.
   */
  publishHostname?(name: string, hostname: string, target: string | undefined): Promise<void>;
  /** Removes every name publishHostname made for the cluster. */
  unpublishHostnames?(name: string): Promise<void>;
}
