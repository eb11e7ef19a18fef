import { describe, expect, it } from 'vitest';
import { clusterSpec } from '../../../src/api/cluster.js';
import type { CreateClusterOptions } from '../../../src/api/cluster.js';
import { localSpecProblems } from '../../../src/cluster/providers/local/validate.js';

const problems = (options: CreateClusterOptions): string =>
  localSpecProblems(clusterSpec(options)).join('; ');

describe('localSpecProblems', () => {
  it('accepts the defaults', () => {
    expect(problems({})).toBe('');
  });

  it.each([
    [{ nodes: 5000 }, /--nodes must be a whole number from 1 to 1000 \(got 5000\)/],
    [{ masters: 3 }, /a local cluster has one control plane \(got 3\)/],
    [{ nodeCpu: 'eight' }, /--node-cpu "eight" is not a positive quantity/],
    [{ nodeCpu: '-2' }, /--node-cpu "-2" is not a positive quantity/],
    [{ nodeCpu: '0' }, /--node-cpu "0" is not a positive quantity/],
    [{ nodeMemory: '32 GB' }, /--node-memory "32 GB" is not a positive quantity/],
    [{ podStartDelayMs: 120_000 }, /--pod-start-delay must be between 0 and 60s/],
    [{ providerOptions: { region: 'us-east-1' } }, /unknown local options: region/],
  ])('rejects %o', (options, message) => {
    expect(problems(options)).toMatch(message);
  });
});
