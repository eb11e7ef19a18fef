import { PodMeasurement } from './pod-measurement.js';
import { summarize } from './quantiles.js';
import { sloVerdicts, type SloObjective } from './slos.js';
import { cell, defineMeasurement, type MeasurementContext, type PodInfo } from './types.js';
import type { MeasurementResult } from '../../model/run-record.js';

/**
 * Pod startup latency, per phase, from each pod's own record:
 *   created          metadata.creationTimestamp
 *   scheduled        lastTransitionTime of condition PodScheduled=True
 *   initialized      lastTransitionTime of condition Initialized=True
 *   containersReady  lastTransitionTime of condition ContainersReady=True
 *   ready            lastTransitionTime of condition Ready=True
 * Phases are the differences between consecutive milestones (created→scheduled, scheduled→initialized,
 * initialized→containersReady, containersReady→ready) plus the total created→ready, which the SLO
 * (data/slos.yaml: p99 <= 5s) is checked against. Quantiles are nearest-rank (see quantiles.ts) over pods.
 *
 * Only pods whose Ready condition is True are counted (a pod that became ready, then unready and ready again
 * would report its last transition, so such pods would overstate; none do in a fresh stack). Kubernetes
 * stores these times with 1 s resolution, so phases are whole seconds; two milestones written in the same
 * second may appear in either order, so a negative phase is counted as 0.
 */
export const MILESTONES = ['created', 'scheduled', 'initialized', 'containersReady', 'ready'] as const;
export type Milestone = (typeof MILESTONES)[number];

const CONDITION: Record<Exclude<Milestone, 'created'>, string> = {
  scheduled: 'PodScheduled',
  initialized: 'Initialized',
  containersReady: 'ContainersReady',
  ready: 'Ready',
};

/** The row of the whole startup, from creation to Ready. */
export const TOTAL = 'created→ready';

/** Milestone times (ms since epoch) of a ready pod; undefined if it is not ready or a time is missing. */
export function podMilestones(pod: PodInfo): Record<Milestone, number> | undefined {
  const created = Date.parse(pod.creationTimestamp);
  if (Number.isNaN(created)) return undefined;
  const times: Partial<Record<Milestone, number>> = { created };
  for (const [milestone, type] of Object.entries(CONDITION) as [Exclude<Milestone, 'created'>, string][]) {
    const condition = pod.conditions.find((c) => c.type === type && c.status === 'True');
    const at = condition?.lastTransitionTime ? Date.parse(condition.lastTransitionTime) : NaN;
    if (Number.isNaN(at)) return undefined;
    times[milestone] = at;
  }
  return times as Record<Milestone, number>;
}

export interface PhaseDurations {
  phases: Record<string, number[]>;
  counted: number;
  skipped: number;
}

/** Seconds spent in each phase, per pod, for the pods that are ready. */
export function phaseDurations(pods: readonly PodInfo[]): PhaseDurations {
  const phases: Record<string, number[]> = {};
  const labels = [...MILESTONES.slice(1).map((m, i) => `${MILESTONES[i] ?? ''}→${m}`), TOTAL];
  for (const label of labels) phases[label] = [];
  let counted = 0;
  for (const pod of pods) {
    const t = podMilestones(pod);
    if (!t) continue;
    counted += 1;
    MILESTONES.slice(1).forEach((m, i) => {
      const previous = MILESTONES[i] ?? 'created';
      phases[`${previous}→${m}`]?.push(Math.max(0, (t[m] - t[previous]) / 1000));
    });
    phases[TOTAL]?.push(Math.max(0, (t.ready - t.created) / 1000));
  }
  return { phases, counted, skipped: pods.length - counted };
}

/** Builds the result table and SLO verdicts from pods (pure; the measurement below only fetches). */
export function podStartupResult(
  pods: readonly PodInfo[],
  objectives: readonly SloObjective[],
): MeasurementResult {
  const { phases, skipped } = phaseDurations(pods);
  const rows = Object.entries(phases).map(([label, samples]) => {
    const s = summarize(samples);
    return { label, values: { p50: s.p50, p90: s.p90, p99: s.p99, max: s.max, pods: s.count } };
  });
  const notes = ['times come from pod conditions (1 s resolution); quantiles are nearest-rank over pods'];
  if (skipped > 0) notes.push(`${skipped} pod(s) not ready were left out`);
  return {
    name: 'podStartupLatency',
    title: 'Pod startup latency',
    unit: 'seconds',
    columns: ['p50', 'p90', 'p99', 'max', 'pods'],
    rows,
    slos: sloVerdicts(rows, objectives),
    notes,
  };
}

export class PodStartupLatency extends PodMeasurement {
  readonly name = 'podStartupLatency';
  readonly title = 'Pod startup latency';

  protected fromPods(pods: readonly PodInfo[], ctx: MeasurementContext): MeasurementResult {
    return podStartupResult(pods, ctx.slos[this.name] ?? []);
  }
}

export const podStartupLatency = defineMeasurement({
  name: 'podStartupLatency',
  scope: 'burstPods',
  compare: [
    { label: `${TOTAL} p50`, unit: 'seconds', value: (r) => cell(r, TOTAL, 'p50') },
    { label: `${TOTAL} p99`, unit: 'seconds', value: (r) => cell(r, TOTAL, 'p99') },
  ],
  create: () => new PodStartupLatency(),
});
