import { isLocalProviderNode, isSimulatedNode, type KubeClient, type KubeObject } from '../kube/index.js';
import type { PodInfo, PodSource } from './measurements/types.js';
import type { NodeSummary } from '../model/run-record.js';

type Loose = Record<string, unknown>;
const field = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Loose)[k] : undefined), o);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function toPodInfo(pod: KubeObject): PodInfo {
  const conditions = (field(pod, 'status', 'conditions') as Loose[] | undefined) ?? [];
  const priorityClassName = field(pod, 'spec', 'priorityClassName');
  const nodeName = field(pod, 'spec', 'nodeName');
  const phase = field(pod, 'status', 'phase');
  return {
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? '',
    labels: pod.metadata.labels ?? {},
    creationTimestamp: text(field(pod, 'metadata', 'creationTimestamp')),
    ...(typeof priorityClassName === 'string' ? { priorityClassName } : {}),
    ...(typeof nodeName === 'string' ? { nodeName } : {}),
    ...(typeof phase === 'string' ? { phase } : {}),
    conditions: conditions.map((c) => ({
      type: String(c.type),
      status: String(c.status),
      ...(typeof c.lastTransitionTime === 'string' ? { lastTransitionTime: c.lastTransitionTime } : {}),
    })),
  };
}

/** A pod with only what toPodInfo reads, so that a list of thousands of pods stays small as it arrives. */
function podInfoFields(pod: KubeObject): KubeObject {
  const { name, namespace, labels, creationTimestamp } = pod.metadata;
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: { name, namespace, labels, creationTimestamp },
    spec: {
      priorityClassName: field(pod, 'spec', 'priorityClassName'),
      nodeName: field(pod, 'spec', 'nodeName'),
    },
    status: { phase: field(pod, 'status', 'phase'), conditions: field(pod, 'status', 'conditions') },
  };
}

/** Pods from the cluster through the kube layer, across namespaces unless one is given. */
export function kubePodSource(client: KubeClient): PodSource {
  return {
    async listPods({ namespace, labelSelector }) {
      const pods = await client.list('pods', {
        ...(namespace ? { namespace } : { allNamespaces: true }),
        ...(labelSelector ? { labelSelector } : {}),
        transform: podInfoFields,
      });
      return pods.map(toPodInfo);
    },
  };
}

/**
 * A node with only what summarizeNodes and providerOf read (its labels, annotations, provider ID and
 * allocatable), for listing a thousand nodes without holding their images, conditions and managed fields.
 */
export function nodeSummaryFields(node: KubeObject): KubeObject {
  const { name, labels, annotations } = node.metadata;
  return {
    apiVersion: node.apiVersion,
    kind: node.kind,
    metadata: { name, labels, annotations },
    spec: { providerID: field(node, 'spec', 'providerID') },
    status: { allocatable: field(node, 'status', 'allocatable') },
  };
}

/** Node count, per-node allocatable CPU/memory and instance type (of the first node), and whether kwok plays them. */
export function summarizeNodes(nodes: readonly KubeObject[]): NodeSummary {
  const first = nodes[0];
  const allocatable = (field(first, 'status', 'allocatable') as Loose | undefined) ?? {};
  const labels = first?.metadata.labels ?? {};
  return {
    count: nodes.length,
    cpu: typeof allocatable.cpu === 'string' ? allocatable.cpu : null,
    memory: typeof allocatable.memory === 'string' ? allocatable.memory : null,
    instanceType:
      labels['node.kubernetes.io/instance-type'] ?? labels['beta.kubernetes.io/instance-type'] ?? null,
    simulated: nodes.length > 0 && nodes.every(isSimulatedNode),
  };
}

/** The provider a cluster runs on, from its nodes: kwok nodes are the local provider's, aws:// IDs AWS. */
export function providerOf(nodes: readonly KubeObject[]): string {
  if (nodes.length > 0 && nodes.every(isLocalProviderNode)) return 'local';
  const providerId = text(field(nodes[0], 'spec', 'providerID'));
  const scheme = /^([a-z0-9-]+):\/\//.exec(providerId)?.[1];
  return scheme ?? 'unknown';
}
