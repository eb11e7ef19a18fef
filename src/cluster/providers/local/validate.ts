import { quantityValue } from '../../../kube/quantity.js';
import type { ClusterSpec } from '../../types.js';

/** kwok registers this many simulated nodes comfortably on one machine. */
export const MAX_LOCAL_NODES = 1000;

const isPositiveQuantity = (value: string): boolean => (quantityValue(value) ?? 0) > 0;

/** The local provider's limits and its simulated-node settings; problems as lines for one error. */
export function localSpecProblems(spec: ClusterSpec): string[] {
  const problems: string[] = [];
  if (spec.nodes > MAX_LOCAL_NODES)
    problems.push(`--nodes must be a whole number from 1 to ${MAX_LOCAL_NODES} (got ${spec.nodes})`);
  if ((spec.masters ?? 1) !== 1)
    problems.push('--masters: a local cluster has one control plane (got ' + String(spec.masters) + ')');
  if (!isPositiveQuantity(spec.nodeCpu))
    problems.push(`--node-cpu "${spec.nodeCpu}" is not a positive quantity like 8 or 7500m`);
  if (!isPositiveQuantity(spec.nodeMemory))
    problems.push(`--node-memory "${spec.nodeMemory}" is not a positive quantity like 32Gi`);
  if (!Number.isInteger(spec.nodePods) || spec.nodePods < 1)
    problems.push('--node-pods must be a whole number >= 1');
  if (!Number.isInteger(spec.podStartDelayMs) || spec.podStartDelayMs < 0 || spec.podStartDelayMs > 60_000) {
    problems.push('--pod-start-delay must be between 0 and 60s');
  }
  const unknown = Object.keys(spec.options ?? {});
  if (unknown.length > 0) problems.push(`unknown local options: ${unknown.join(', ')}`);
  return problems;
}
