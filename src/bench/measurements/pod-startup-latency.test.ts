import { describe, expect, it } from 'vitest';
import { phaseDurations, podStartupResult } from './pod-startup-latency.js';
import { nearestRank } from './quantiles.js';
import { loadSloTable } from './registry.js';
import type { PodInfo } from './types.js';

// The shipped thresholds (data/slos.yaml): pod startup p99 <= 5 s.
const objectives = (await loadSloTable()).podStartupLatency ?? [];

/** A ready pod whose milestones are `offsets` seconds after 12:00:00 (created, scheduled, initialized, containersReady, ready). */
function pod(name: string, offsets: [number, number, number, number, number]): PodInfo {
  const at = (s: number): string => new Date(Date.UTC(2025, 0, 1, 12, 0, 0) + s * 1000).toISOString();
  const [created, scheduled, initialized, containersReady, ready] = offsets;
  return {
    name,
    namespace: 'default',
    labels: {},
    creationTimestamp: at(created),
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: at(scheduled) },
      { type: 'Initialized', status: 'True', lastTransitionTime: at(initialized) },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: at(containersReady) },
      { type: 'Ready', status: 'True', lastTransitionTime: at(ready) },
    ],
  };
}

describe('nearestRank', () => {
  it.each([
    [[5, 1, 3, 2, 4], 0.5, 3],
    [[5, 1, 3, 2, 4], 0.9, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99, 10],
    [[7], 0.5, 7],
  ])('%j at %d is %d', (samples, q, expected) => {
    expect(nearestRank(samples, q)).toBe(expected);
  });
  it('is null for no samples', () => {
    expect(nearestRank([], 0.5)).toBeNull();
  });
});

describe('pod startup latency', () => {
  // Ten pods: created at t=0..9, scheduled 1 s later, initialized at once, containers ready after i % 4 s,
  // ready 1 s after that. So created→ready = 2 + (i % 4) seconds: 2,3,4,5,2,3,4,5,2,3.
  const pods = Array.from({ length: 10 }, (_, i) =>
    pod(`p${i}`, [i, i + 1, i + 1, i + 1 + (i % 4), i + 2 + (i % 4)]),
  );

  it('computes each phase per pod from the conditions', () => {
    const { phases, counted } = phaseDurations(pods);
    expect(counted).toBe(10);
    expect(phases['created→scheduled']).toEqual(Array(10).fill(1));
    expect(phases['scheduled→initialized']).toEqual(Array(10).fill(0));
    expect(phases['initialized→containersReady']).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
    expect(phases['containersReady→ready']).toEqual(Array(10).fill(1));
    expect(phases['created→ready']).toEqual([2, 3, 4, 5, 2, 3, 4, 5, 2, 3]);
  });

  it('reports nearest-rank quantiles and checks the 5 s SLO on created→ready', () => {
    const result = podStartupResult(pods, objectives);
    const total = result.rows.find((r) => r.label === 'created→ready');
    // sorted: 2,2,2,3,3,3,4,4,5,5 -> p50 = 5th = 3, p90 = 9th = 5, p99 = 10th = 5
    expect(total?.values).toEqual({ p50: 3, p90: 5, p99: 5, max: 5, pods: 10 });
    expect(result.slos).toEqual([
      {
        name: 'pod startup (created→ready)',
        objective: 'p99 <= 5s',
        thresholdSeconds: 5,
        observedSeconds: 5,
        pass: true,
      },
    ]);
  });

  it('fails the SLO when p99 exceeds 5 s and leaves out pods that are not ready', () => {
    const slow = pod('slow', [0, 1, 1, 8, 9]);
    const pending: PodInfo = {
      ...pod('pending', [0, 1, 1, 1, 1]),
      conditions: [{ type: 'PodScheduled', status: 'False' }],
    };
    const result = podStartupResult([...pods, slow, pending], objectives);
    expect(result.slos[0]?.observedSeconds).toBe(9);
    expect(result.slos[0]?.pass).toBe(false);
    expect(result.notes).toContain('1 pod(s) not ready were left out');
  });

  it('counts a phase written out of order within one second as zero', () => {
    const { phases } = phaseDurations([pod('p', [0, 2, 1, 3, 3])]);
    expect(phases['scheduled→initialized']).toEqual([0]);
  });

  it('has no verdict without ready pods', () => {
    expect(podStartupResult([], objectives).slos[0]?.pass).toBeNull();
  });
});
