/**
 * The cluster facade: defaulting and validation of a cluster spec, then create, plan, start, stop, delete,
 * list and kubeconfig through the provider that owns the cluster, each a recorded run.
 */
import { homeDir, userKubeconfigPath } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import {
  extractContext,
  mergeContext,
  readOptional,
  removeContext,
  writeKubeconfig,
} from '../cluster/kubeconfig-file.js';
import { listRecords, readRecord, requireRecord } from '../cluster/record.js';
import { getProvider, providerNames } from '../cluster/registry.js';
import type {
  ClusterInfo,
  ClusterProvider,
  ClusterSpec,
  ClusterState,
  ClusterSummary,
  OperationOptions,
  StopResult,
} from '../cluster/types.js';
import { contextName } from '../config/identity.js';
import { EventStream } from '../events/index.js';
import type { Exec } from '../exec/index.js';
import { recordRun } from '../report/run-log.js';
import { parseRegistryMirror } from '../cluster/providers/local/real-node/mirrors.js';

export type { ClusterInfo, ClusterSpec, ClusterState, ClusterSummary, StopResult };

export const DEFAULT_CLUSTER_NAME = 'cncfdemo';

export interface ClusterApiOptions extends OperationOptions {
  provider?: string;
  home?: string;
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
}

export interface CreateClusterOptions extends ClusterApiOptions {
  name?: string;
  nodes?: number;
  nodeCpu?: string;
  nodeMemory?: string;
  nodePods?: number;
  podStartDelayMs?: number;
  /** Make this machine a real node (kubelet + containerd) of the local cluster. */
  realNode?: boolean;
  /** `REGISTRY=URL` entries: the real node pulls that registry's images from the mirror instead. */
  registryMirrors?: readonly string[];
  /** The real node's cluster DNS image (CoreDNS). */
  dnsImage?: string;
  masters?: number;
  /** Provider-specific options, validated by the provider. */
  providerOptions?: Record<string, unknown>;
  /** Keep a cluster whose creation failed, for debugging. */
  retain?: boolean;
  /** Serve the control plane's profiling endpoints (pprof); `--debug` asks for it. */
  profiling?: boolean;
}

/** Simulated nodes a cluster gets by default: three alone, none beside a real node. */
export const DEFAULT_SIMULATED_NODES = 3;
/** What clusterSpec gives every node when the options leave it out (the CLI shows these in its help). */
export const NODE_DEFAULTS = { cpu: '8', memory: '32Gi', pods: 110, podStartDelayMs: 0 } as const;
export const DEFAULT_DNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1';

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Defaults a cluster spec and checks what every provider shares (name, counts); every problem is reported
 * at once. Each provider checks its own limits and options in `validate(spec)`.
 */
export function clusterSpec(options: CreateClusterOptions): ClusterSpec {
  const realNode = options.realNode === true;
  const spec: ClusterSpec = {
    name: options.name ?? DEFAULT_CLUSTER_NAME,
    nodes: options.nodes ?? (realNode ? 0 : DEFAULT_SIMULATED_NODES),
    nodeCpu: options.nodeCpu ?? NODE_DEFAULTS.cpu,
    nodeMemory: options.nodeMemory ?? NODE_DEFAULTS.memory,
    nodePods: options.nodePods ?? NODE_DEFAULTS.pods,
    podStartDelayMs: options.podStartDelayMs ?? NODE_DEFAULTS.podStartDelayMs,
    ...(options.masters !== undefined ? { masters: options.masters } : {}),
    ...(options.providerOptions ? { options: options.providerOptions } : {}),
    ...(options.profiling ? { profiling: true } : {}),
  };
  const problems: string[] = [];
  if (realNode) {
    spec.realNode = {
      registryMirrors: (options.registryMirrors ?? []).map(parseRegistryMirror),
      dnsImage: options.dnsImage ?? DEFAULT_DNS_IMAGE,
    };
  } else if ((options.registryMirrors ?? []).length > 0 || options.dnsImage !== undefined) {
    problems.push('--registry-mirror and --dns-image apply to a real node: add --real-node');
  }
  if (!DNS_LABEL.test(spec.name)) problems.push(`--name "${spec.name}" must be a DNS label (a-z, 0-9, '-')`);
  const minNodes = realNode ? 0 : 1;
  if (!Number.isInteger(spec.nodes) || spec.nodes < minNodes) {
    problems.push(`--nodes must be a whole number from ${String(minNodes)} (got ${String(options.nodes)})`);
  }
  if (spec.masters !== undefined && (!Number.isInteger(spec.masters) || spec.masters < 1)) {
    problems.push(`--masters must be a whole number from 1 (got ${String(spec.masters)})`);
  }
  if (problems.length > 0) throw new UserError(problems.join('; '), 'see cncfdemo cluster create --help');
  return spec;
}

const homeOf = (options: ClusterApiOptions): string => homeDir(options.env ?? process.env, options.home);

function provider(name: string, options: ClusterApiOptions & { retain?: boolean }): Promise<ClusterProvider> {
  const env = options.env ?? process.env;
  return getProvider(name, {
    home: homeOf(options),
    env,
    ...(options.exec ? { exec: options.exec } : {}),
    ...(options.retain ? { retainOnFailure: true } : {}),
  });
}

/** The provider that owns an existing cluster, from its record. */
async function ownerOf(name: string, options: ClusterApiOptions): Promise<ClusterProvider> {
  return provider((await requireRecord(homeOf(options), name)).provider, options);
}

/** A spec checked by the common rules and by its provider; resolves to the provider and its warnings. */
async function validated(options: CreateClusterOptions): Promise<{ spec: ClusterSpec; p: ClusterProvider }> {
  const spec = clusterSpec(options);
  const p = await provider(options.provider ?? 'local', options);
  const existing = await readRecord(homeOf(options), spec.name);
  if (existing && existing.provider !== p.name) {
    throw new UserError(
      `cluster "${spec.name}" already exists on provider ${existing.provider}`,
      `pick another --name, or delete it with 'cncfdemo cluster delete --name ${spec.name}'`,
    );
  }
  const warnings = await p.validate(spec);
  for (const w of warnings) options.logger?.warn(w);
  return { spec, p };
}

/** Creates a cluster, waits until its API is healthy and every node Ready, and adds its context to the user's kubeconfig. */
export async function createCluster(options: CreateClusterOptions = {}): Promise<ClusterInfo> {
  const { spec, p } = await validated(options);
  return recorded('cluster-create', options, async (opts) => {
    const info = await p.create(spec, opts);
    if (info.pending === undefined) await addUserContext(p, info, options.env);
    return info;
  });
}

/** Runs a cluster operation as a recorded run (`runs --command cluster-create`), its events in the record. */
function recorded<T>(
  command: string,
  options: ClusterApiOptions,
  work: (options: ClusterApiOptions & { events: EventStream }) => Promise<T>,
): Promise<T> {
  const events = options.events ?? new EventStream();
  return recordRun(homeOf(options), command, events, () => work({ ...options, events }));
}

/** What createCluster would do, without doing it (the provider's plan); checks the spec the same way. */
export async function planCluster(options: CreateClusterOptions = {}): Promise<string> {
  const { spec, p } = await validated(options);
  if (!p.plan) throw new UserError(`provider ${p.name} has no --dry-run plan`, 'run without --dry-run');
  return p.plan(spec);
}

/** Adds (or refreshes) the cluster's context in the user's kubeconfig, leaving other contexts alone, and makes it current. */
async function addUserContext(p: ClusterProvider, info: ClusterInfo, env?: NodeJS.ProcessEnv): Promise<void> {
  const path = userKubeconfigPath(env);
  await writeKubeconfig(
    path,
    mergeContext(await readOptional(path), await p.kubeconfig(info.name), info.context),
  );
}

/** Starts a stopped cluster with its state kept, waits until it is healthy, and makes its context current again. */
export async function startCluster(
  options: ClusterApiOptions & { name?: string } = {},
): Promise<ClusterInfo> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  const p = await ownerOf(name, options);
  return recorded('cluster-start', options, async (opts) => {
    const info = await p.start(name, opts);
    await addUserContext(p, info, options.env);
    return info;
  });
}

/** Stops a cluster's processes; its objects stay for startCluster. */
/** Stops every process (or machine) of a cluster that runs, whatever state it is in; resolves to what it stopped. */
export async function stopCluster(options: ClusterApiOptions & { name?: string } = {}): Promise<StopResult> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  const p = await ownerOf(name, options);
  return recorded('cluster-stop', options, (opts) => p.stop(name, opts));
}

export async function deleteCluster(options: ClusterApiOptions & { name?: string } = {}): Promise<void> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  const p = await ownerOf(name, options);
  await recorded('cluster-delete', options, async (opts) => {
    await p.delete(name, opts);
    const path = userKubeconfigPath(options.env);
    const updated = removeContext(await readOptional(path), contextName(name));
    if (updated !== undefined) await writeKubeconfig(path, updated);
  });
}

/** Every cluster in the home, whichever provider owns it (or only one provider's with `provider`). */
export async function listClusters(options: ClusterApiOptions = {}): Promise<ClusterSummary[]> {
  // Only the providers some cluster record names are loaded (the AWS SDK is large): a home of local
  // clusters lists them without it.
  const recorded = new Set((await listRecords(homeOf(options))).map((r) => r.provider));
  const names = options.provider ? [options.provider] : providerNames().filter((n) => recorded.has(n));
  const lists = await Promise.all(names.map(async (n) => (await provider(n, options)).list()));
  return lists.flat().sort((a, b) => a.name.localeCompare(b.name));
}

export async function clusterInfo(options: ClusterApiOptions & { name?: string } = {}): Promise<ClusterInfo> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  return (await ownerOf(name, options)).info(name);
}

/**
 * The URL of the cluster's own Prometheus scraping its API server (a local cluster's), when it has one;
 * undefined for a cluster not recorded in this home or whose provider runs none.
 */
export async function clusterPrometheus(
  options: ClusterApiOptions & { name: string },
): Promise<string | undefined> {
  const record = await readRecord(homeOf(options), options.name);
  if (!record) return undefined;
  return (await provider(record.provider, options)).prometheus?.(options.name);
}

/** The cluster's kubeconfig as YAML (standalone, one context), as `cluster kubeconfig` prints it. */
export async function clusterKubeconfig(
  options: ClusterApiOptions & { name?: string } = {},
): Promise<string> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  const text = await (await ownerOf(name, options)).kubeconfig(name);
  return extractContext(text, contextName(name)) ?? text;
}
