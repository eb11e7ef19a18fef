import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { clusterSpec } from './cluster.js';

describe('clusterSpec', () => {
  it('defaults to a 3-node cluster named cncfdemo', () => {
    expect(clusterSpec({})).toEqual({
      name: 'cncfdemo',
      nodes: 3,
      nodeCpu: '8',
      nodeMemory: '32Gi',
      nodePods: 110,
      podStartDelayMs: 0,
    });
  });

  it.each([
    [{ nodes: 0 }, /--nodes must be a whole number from 1 \(got 0\)/],
    [{ nodes: 1.5 }, /--nodes must be a whole number/],
    [{ masters: 0 }, /--masters must be a whole number from 1 \(got 0\)/],
    [{ name: 'Bad_Name' }, /--name "Bad_Name" must be a DNS label/],
  ])('rejects %o', (options, message) => {
    expect(() => clusterSpec(options)).toThrow(UserError);
    expect(() => clusterSpec(options)).toThrow(message);
  });

  it('reports every problem at once', () => {
    expect(() => clusterSpec({ nodes: 0, name: 'X' })).toThrow(/DNS label.*; --nodes/);
  });
});
