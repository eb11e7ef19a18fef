import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import { rolloutFields } from './rollout.js';
import { isJob, jobPodsSucceeded } from './jobs.js';

const job = (spec: Record<string, unknown>, uid = 'job-uid'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'init', namespace: 'ns', uid },
  spec,
});

let serial = 0;
const pod = (phase: string, ownerUid = 'job-uid', index?: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `init-${String(serial++)}`,
    namespace: 'ns',
    ...(index !== undefined ? { labels: { 'batch.kubernetes.io/job-completion-index': String(index) } } : {}),
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'init', uid: ownerUid, controller: true }],
  },
  spec: { containers: [{ name: 'c', image: 'i' }] },
  status: { phase },
});

describe('jobPodsSucceeded', () => {
  it('is true once as many of its own pods Succeeded as it needs completions', () => {
    const single = job({ completions: 1, parallelism: 1 });
    expect(jobPodsSucceeded(single, [pod('Running')])).toBe(false);
    expect(jobPodsSucceeded(single, [pod('Failed'), pod('Succeeded')])).toBe(true);
    const three = job({ completions: 3, parallelism: 2 });
    expect(jobPodsSucceeded(three, [pod('Succeeded'), pod('Succeeded'), pod('Running')])).toBe(false);
    expect(jobPodsSucceeded(three, [pod('Succeeded'), pod('Succeeded'), pod('Succeeded')])).toBe(true);
  });

  it("counts only the pods the Job controls: another Job's succeeded pod is not its work", () => {
    expect(jobPodsSucceeded(job({ completions: 1 }), [pod('Succeeded', 'other-job')])).toBe(false);
  });

  it('counts distinct completion indexes for an Indexed Job', () => {
    const indexed = job({ completions: 2, completionMode: 'Indexed' });
    expect(jobPodsSucceeded(indexed, [pod('Succeeded', 'job-uid', 0), pod('Succeeded', 'job-uid', 0)])).toBe(
      false,
    );
    expect(jobPodsSucceeded(indexed, [pod('Succeeded', 'job-uid', 0), pod('Succeeded', 'job-uid', 1)])).toBe(
      true,
    );
  });

  it('leaves the verdict to the Job when its pods cannot tell', () => {
    const done = [pod('Succeeded'), pod('Succeeded')];
    // a work queue: no completions, success is when all pods have ended
    expect(jobPodsSucceeded(job({ parallelism: 2 }), done)).toBe(false);
    expect(jobPodsSucceeded(job({ completions: 1, suspend: true }), done)).toBe(false);
    expect(
      jobPodsSucceeded(job({ completions: 2, successPolicy: { rules: [{ succeededCount: 1 }] } }), done),
    ).toBe(false);
  });

  it('reads what the wait keeps of a pod (rolloutFields)', () => {
    const kept = rolloutFields(pod('Succeeded', 'job-uid', 0));
    expect(jobPodsSucceeded(job({ completions: 1, completionMode: 'Indexed' }), [kept])).toBe(true);
  });

  it('tells a Job from other kinds', () => {
    expect(isJob(job({}))).toBe(true);
    expect(isJob({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' } })).toBe(false);
    expect(isJob({ apiVersion: 'example.com/v1', kind: 'Job', metadata: { name: 'x' } })).toBe(false);
  });
});
