import { conditionsOf, type KubeObject } from './types.js';

/**
 * kwok's simulated nodes: no kubelet, no containers, no traffic. kwok-controller plays the nodes with the
 * annotation (the local provider runs it with --manage-nodes-with-annotation-selector on it), and its node
 * template (`kwokctl scale node`) adds the label as well; taints and node affinities select by the label,
 * since annotations cannot be selected. Either one marks a node as simulated.
 */
export const KWOK_NODE_ANNOTATION = { key: 'kwok.x-k8s.io/node', value: 'fake' } as const;
export const KWOK_NODE_LABEL = { key: 'type', value: 'kwok' } as const;

interface NodeMeta {
  metadata: { annotations?: Record<string, string>; labels?: Record<string, string> };
}

/** Whether kwok plays this node (the one rule every part of cncfdemo uses). */
export function isSimulatedNode(node: NodeMeta): boolean {
  const { annotations, labels } = node.metadata;
  return (
    annotations?.[KWOK_NODE_ANNOTATION.key] === KWOK_NODE_ANNOTATION.value ||
    labels?.[KWOK_NODE_LABEL.key] === KWOK_NODE_LABEL.value
  );
}

/** The label the local provider puts on this machine when it joins as a real node (`--real-node`). */
export const LOCAL_REAL_NODE_LABEL = { key: 'cncfdemo.io/real-node', value: 'true' } as const;

/** Whether the node is the local provider's: simulated by kwok, or this machine as a real node. */
export function isLocalProviderNode(node: NodeMeta): boolean {
  return (
    isSimulatedNode(node) || node.metadata.labels?.[LOCAL_REAL_NODE_LABEL.key] === LOCAL_REAL_NODE_LABEL.value
  );
}

/** Whether the node's Ready condition is True (the kubelet, or kwok, reports it healthy). */
export function isNodeReady(node: KubeObject): boolean {
  return conditionsOf(node).some((c) => c.type === 'Ready' && c.status === 'True');
}
