import { describe, expect, it } from 'vitest';
import { KWOK_NODE_ANNOTATION } from '../kube/nodes.js';
import type { KubeObject } from '../kube/types.js';
import { nodeSummaryFields, providerOf, summarizeNodes } from './cluster-source.js';

const node = (
  name: string,
  extra: { annotations?: Record<string, string>; providerID?: string },
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    labels: { 'node.kubernetes.io/instance-type': 'm5.large' },
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
    managedFields: [{ manager: 'kubelet', operation: 'Update' }],
  },
  spec: { ...(extra.providerID ? { providerID: extra.providerID } : {}), podCIDR: '10.244.0.0/24' },
  status: {
    allocatable: { cpu: '2', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True' }],
    images: [{ names: ['registry.example/big:1'], sizeBytes: 1e9 }],
  },
});

describe('the nodes a benchmark reads', () => {
  it('keep, trimmed, all that the summary and the provider are read from, and drop the rest', () => {
    const kwok = [1, 2].map((i) =>
      node(`kwok-${i}`, { annotations: { [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value } }),
    );
    const aws = [node('ip-10-0-0-1', { providerID: 'aws:///eu-west-1a/i-0abc' })];
    for (const nodes of [kwok, aws]) {
      const trimmed = nodes.map(nodeSummaryFields);
      expect(summarizeNodes(trimmed)).toEqual(summarizeNodes(nodes));
      expect(providerOf(trimmed)).toBe(providerOf(nodes));
      expect(JSON.stringify(trimmed)).not.toMatch(/managedFields|images|conditions/);
    }
    expect(providerOf(aws.map(nodeSummaryFields))).toBe('aws');
    expect(summarizeNodes(kwok.map(nodeSummaryFields))).toMatchObject({
      count: 2,
      simulated: true,
      cpu: '2',
    });
  });
});
