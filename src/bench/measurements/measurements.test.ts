import { describe, expect, it } from 'vitest';
import { apiCountQuery, apiLatencyQuery, API_LATENCY_CLASSES } from './api-request-latency.js';
import { fromPods, fromStackEvents } from './component-time-to-ready.js';
import { createMeasurement, measurementNames } from './registry.js';
import { schedulingThroughputResult } from './scheduling-throughput.js';
import type { PodInfo } from './types.js';

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
function pod(component: string, created: number, scheduled: number, ready: number): PodInfo {
  return {
    name: `${component}-${created}`,
    namespace: 'default',
    labels: { 'app.kubernetes.io/name': component },
    creationTimestamp: at(created),
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
      type,
      status: 'True',
      lastTransitionTime: at(type === 'PodScheduled' ? scheduled : ready),
    })),
  };
}

describe('measurement registry', () => {
  it('rejects unknown names with a hint naming the registered ones', () => {
    expect(() => createMeasurement('nope')).toThrow(/unknown measurement "nope"/);
    const err = (() => {
      try {
        createMeasurement('nope');
      } catch (e) {
        return e as { hint?: string };
      }
      return {};
    })();
    expect(err.hint).toBe(`use one of: ${measurementNames().join(', ')}`);
  });
  it('says why a cluster measurement cannot run without a cluster', () => {
    const m = createMeasurement('podStartupLatency');
    expect(m.isCompatible({ runId: 'r', start: new Date(), slos: {} })).toEqual({
      compatible: false,
      reason: 'needs a cluster to read pods from',
    });
  });
});

describe('scheduling throughput', () => {
  it('counts pods per second inside the window', () => {
    const pods = [
      pod('a', 0, 10, 12),
      pod('a', 0, 10, 12),
      pod('a', 0, 10, 12),
      pod('a', 0, 11, 12),
      pod('a', 0, 13, 14),
      pod('a', 0, 2, 3),
    ];
    const result = schedulingThroughputResult(pods, new Date(T0 + 5000), new Date(T0 + 20_000));
    // seconds 10 (3 pods), 11 (1), 13 (1); span 10..13 = 4 s; the pod scheduled at 2 s is before the window
    expect(result.rows[0]?.values).toEqual({ pods: 5, spanSeconds: 4, average: 1.25, max: 3 });
  });
});

describe('component time to ready', () => {
  it('prefers the stack events', () => {
    const rows = fromStackEvents([
      { time: at(0), scope: 'stack', id: 'mongo', title: 'Mongo', phase: 'start' },
      {
        time: at(30),
        scope: 'stack',
        id: 'mongo',
        title: 'Mongo',
        phase: 'end',
        outcome: 'ok',
        durationMs: 30_000,
      },
      {
        time: at(40),
        scope: 'stack',
        id: 'countly',
        title: 'Countly',
        phase: 'end',
        outcome: 'failed',
        durationMs: 9000,
      },
      {
        time: at(40),
        scope: 'bench',
        id: 'load',
        title: 'wrk',
        phase: 'end',
        outcome: 'ok',
        durationMs: 9000,
      },
    ]);
    expect(rows).toEqual([{ label: 'mongo', values: { seconds: 30 } }]);
  });
  it('falls back to first pod created to last pod ready per component', () => {
    const rows = fromPods([pod('mongo', 0, 1, 5), pod('mongo', 2, 3, 9), pod('countly', 10, 11, 12)]);
    expect(rows).toEqual([
      { label: 'countly', values: { seconds: 2, pods: 1 } },
      { label: 'mongo', values: { seconds: 9, pods: 2 } },
    ]);
  });
  it('tells stacks in different namespaces apart', () => {
    const other = { ...pod('mongo', 0, 1, 3), namespace: 'other' };
    expect(fromPods([pod('mongo', 0, 1, 5), other]).map((r) => r.label)).toEqual([
      'default/mongo',
      'other/mongo',
    ]);
  });
});

describe('API request latency queries', () => {
  it('merge buckets over the window before taking the quantile, per SLO class, without the metrics APIs', () => {
    expect(API_LATENCY_CLASSES.map((c) => c.label)).toEqual([
      'mutating, resource scope',
      'read, resource scope',
      'read, namespace scope',
      'read, cluster scope',
    ]);
    const mutating = API_LATENCY_CLASSES[0];
    const query = (mutating && apiLatencyQuery(mutating, 0.99, new Date(T0))) ?? '';
    expect(query.startsWith('histogram_quantile(0.99, (sum by (le) (')).toBe(true);
    expect(query).toContain(
      'apiserver_request_duration_seconds_bucket{verb=~"POST|PUT|PATCH|DELETE",scope="resource",group!~".*metrics\\\\.k8s\\\\.io"} @ 1735732800.000',
    );
  });

  it('count from the scrape before the run, a series new in the run from zero', () => {
    const mutating = API_LATENCY_CLASSES[0];
    expect(mutating && apiCountQuery(mutating, new Date(T0 + 1500))).toBe(
      '(sum(apiserver_request_duration_seconds_count{verb=~"POST|PUT|PATCH|DELETE",scope="resource",group!~".*metrics\\\\.k8s\\\\.io"}) - (sum(apiserver_request_duration_seconds_count{verb=~"POST|PUT|PATCH|DELETE",scope="resource",group!~".*metrics\\\\.k8s\\\\.io"} @ 1735732801.500) or sum(apiserver_request_duration_seconds_count{verb=~"POST|PUT|PATCH|DELETE",scope="resource",group!~".*metrics\\\\.k8s\\\\.io"}) * 0))',
    );
  });
});
