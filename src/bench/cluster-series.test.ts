import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/index.js';
import { boincCoresAllocated, boincCoresUsed, countByPriority, slimPod } from './cluster-series.js';

const pod = (namespace: string, app: string, cpu: string[], priorityClassName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `${app}-x`, namespace, labels: { 'app.kubernetes.io/name': app } },
  spec: {
    ...(priorityClassName ? { priorityClassName } : {}),
    containers: cpu.map((c, i) => ({ name: `c${String(i)}`, resources: c ? { requests: { cpu: c } } : {} })),
  },
});

const podMetrics = (namespace: string, usage: string[]): KubeObject => ({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'PodMetrics',
  metadata: { name: 'boinc-x', namespace },
  containers: usage.map((cpu, i) => ({ name: `c${String(i)}`, usage: { cpu, memory: '10Mi' } })),
});

describe('cluster series', () => {
  it('counts running pods per priority class, "(none)" for pods without one', () => {
    const counts = countByPriority([
      pod('a', 'boinc', ['1'], 'cncfdemo-background'),
      pod('a', 'boinc', ['1'], 'cncfdemo-background'),
      pod('a', 'countly-api', ['500m'], 'cncfdemo-foreground'),
      pod('kube-system', 'dns', ['100m']),
    ]);
    expect(Object.fromEntries(counts)).toEqual({
      'cncfdemo-background': 2,
      'cncfdemo-foreground': 1,
      '(none)': 1,
    });
  });

  it('sums the CPU requests of BOINC pods per namespace, every container, nothing for others', () => {
    const cores = boincCoresAllocated([
      pod('demo', 'boinc', ['1', '250m']),
      pod('demo', 'boinc', ['500m', '']),
      pod('other', 'boinc', ['2']),
      pod('demo', 'countly-api', ['4']),
    ]);
    expect(Object.fromEntries(cores)).toEqual({ demo: 1.75, other: 2 });
  });

  it('sums the CPU usage PodMetrics report per namespace, nanocores included', () => {
    const cores = boincCoresUsed([
      podMetrics('demo', ['950m', '1500000n']),
      podMetrics('demo', ['1']),
      podMetrics('other', ['0']),
    ]);
    expect(cores.get('demo')).toBeCloseTo(1.9515, 9);
    expect(cores.get('other')).toBe(0);
  });

  it('keeps in slimmed pods what the counts read, and no more', () => {
    const pods = [
      pod('demo', 'boinc', ['1', '250m'], 'cncfdemo-background'),
      pod('demo', 'countly-api', ['4'], 'cncfdemo-foreground'),
      pod('kube-system', 'dns', ['']),
    ];
    const big = pods.map((p) => ({ ...p, metadata: { ...p.metadata, managedFields: [{ manager: 'x' }] } }));
    const slim = big.map(slimPod);
    expect(Object.fromEntries(countByPriority(slim))).toEqual(Object.fromEntries(countByPriority(pods)));
    expect(Object.fromEntries(boincCoresAllocated(slim))).toEqual({ demo: 1.25 });
    expect(JSON.stringify(slim)).not.toContain('managedFields');
  });
});
