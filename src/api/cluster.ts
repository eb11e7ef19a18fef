import { homeDir, userKubeconfigPath } from '../config/paths.js';
import { UserError } from '../errors/index.js';
import {
  extractContext,
  mergeContext,
  readOptional,
  removeContext,
  writeKubeconfig,
} from '../cluster/kubeconfig-file.js';
import { getProvider } from '../cluster/registry.js';
import type {
  ClusterInfo,
  ClusterProvider,
  ClusterSpec,
  ClusterSummary,
  OperationOptions,
} from '../cluster/types.js';
import { contextName } from '../cluster/types.js';
import { EventStream } from '../events/index.js';
import type { Exec } from '../exec/index.js';
import { recordRun } from '../report/run-log.js';
import { quantityValue } from '../kube/quantity.js';
import { parseRegistryMirror } from '../cluster/providers/local/real-node/mirrors.js';

export const DEFAULT_CLUSTER_NAME = 'cncfdemo';
export const MAX_LOCAL_NODES = 1000;

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
  /** Keep a cluster whose creation failed, for debugging. */
  retain?: boolean;
}

/** Simulated nodes a cluster gets by default: three alone, none beside a real node. */
export const DEFAULT_SIMULATED_NODES = 3;
export const DEFAULT_DNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const isPositiveQuantity = (value: string): boolean => (quantityValue(value) ?? 0) > 0;

/** Validates and defaults a cluster spec; every problem is reported at once. */
export function clusterSpec(options: CreateClusterOptions): ClusterSpec {
  const realNode = options.realNode === true;
  const spec: ClusterSpec = {
    name: options.name ?? DEFAULT_CLUSTER_NAME,
    nodes: options.nodes ?? (realNode ? 0 : DEFAULT_SIMULATED_NODES),
    nodeCpu: options.nodeCpu ?? '8',
    nodeMemory: options.nodeMemory ?? '32Gi',
    nodePods: options.nodePods ?? 110,
    podStartDelayMs: options.podStartDelayMs ?? 0,
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
  if (!Number.isInteger(spec.nodes) || spec.nodes < minNodes || spec.nodes > MAX_LOCAL_NODES) {
    problems.push(
      `--nodes must be a whole number from ${String(minNodes)} to ${MAX_LOCAL_NODES} (got ${String(options.nodes)})`,
    );
  }
  if (!isPositiveQuantity(spec.nodeCpu))
    problems.push(`--node-cpu "${spec.nodeCpu}" is not a positive quantity like 8 or 7500m`);
  if (!isPositiveQuantity(spec.nodeMemory))
    problems.push(`--node-memory "${spec.nodeMemory}" is not a positive quantity like 32Gi`);
  if (!Number.isInteger(spec.nodePods) || spec.nodePods < 1)
    problems.push('--node-pods must be a whole number >= 1');
  if (!Number.isInteger(spec.podStartDelayMs) || spec.podStartDelayMs < 0 || spec.podStartDelayMs > 60_000) {
    problems.push('--pod-start-delay must be between 0 and 60s');
  }
  if (problems.length > 0) throw new UserError(problems.join('; '), 'see cncfdemo cluster create --help');
  return spec;
}

function provider(options: ClusterApiOptions & { retain?: boolean }) {
  const env = options.env ?? process.env;
  return getProvider(options.provider ?? 'local', {
    home: homeDir(env, options.home),
    env,
    ...(options.exec ? { exec: options.exec } : {}),
    ...(options.retain ? { retainOnFailure: true } : {}),
  });
}

/** Creates a cluster, waits until its API is healthy and every node Ready, and adds its context to the user's kubeconfig. */
export async function createCluster(options: CreateClusterOptions = {}): Promise<ClusterInfo> {
  const spec = clusterSpec(options);
  return recorded('cluster-create', options, async (opts) => {
    const p = provider(options);
    const info = await p.create(spec, opts);
    await addUserContext(p, info, options.env);
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
  const home = homeDir(options.env ?? process.env, options.home);
  return recordRun(home, command, events, () => work({ ...options, events }));
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
  return recorded('cluster-start', options, async (opts) => {
    const p = provider(options);
    const info = await p.start(options.name ?? DEFAULT_CLUSTER_NAME, opts);
    await addUserContext(p, info, options.env);
    return info;
  });
}

/** Stops a cluster's processes; its objects stay for startCluster. */
export async function stopCluster(options: ClusterApiOptions & { name?: string } = {}): Promise<void> {
  await recorded('cluster-stop', options, (opts) =>
    provider(options).stop(options.name ?? DEFAULT_CLUSTER_NAME, opts),
  );
}

export async function deleteCluster(options: ClusterApiOptions & { name?: string } = {}): Promise<void> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  await recorded('cluster-delete', options, async (opts) => {
    await provider(options).delete(name, opts);
    const path = userKubeconfigPath(options.env);
    const updated = removeContext(await readOptional(path), contextName(name));
    if (updated !== undefined) await writeKubeconfig(path, updated);
  });
}

export async function listClusters(options: ClusterApiOptions = {}): Promise<ClusterSummary[]> {
  return provider(options).list();
}

export async function clusterInfo(options: ClusterApiOptions & { name?: string } = {}): Promise<ClusterInfo> {
  return provider(options).info(options.name ?? DEFAULT_CLUSTER_NAME);
}

/** The cluster's kubeconfig as YAML (standalone, one context), as `cluster kubeconfig` prints it. */
export async function clusterKubeconfig(
  options: ClusterApiOptions & { name?: string } = {},
): Promise<string> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME;
  const text = await provider(options).kubeconfig(name);
  return extractContext(text, contextName(name)) ?? text;
}
