import { PodMeasurement } from './pod-measurement.js';
import { sloVerdicts, type SloObjective } from './slos.js';
import { cell, defineMeasurement, type MeasurementContext, type PodInfo } from './types.js';
import type { MeasurementResult } from '../../model/run-record.js';

const ROW = 'pods scheduled';

/**
 * Scheduling throughput: pods bound to nodes per second, from the PodScheduled=True transition times of the
 * pods scheduled inside the window [start, end] (1 s resolution). Reports the number of pods, the average
 * rate over the span from the first to the last scheduling second (inclusive), and the busiest second.
 */
export function schedulingThroughputResult(
  pods: readonly PodInfo[],
  start?: Date,
  end?: Date,
  objectives: readonly SloObjective[] = [],
): MeasurementResult {
  const perSecond = new Map<number, number>();
  for (const pod of pods) {
    const at = pod.conditions.find(
      (c) => c.type === 'PodScheduled' && c.status === 'True',
    )?.lastTransitionTime;
    const t = at ? Date.parse(at) : NaN;
    if (Number.isNaN(t)) continue;
    if (start && t < Math.floor(start.getTime() / 1000) * 1000) continue;
    if (end && t > end.getTime()) continue;
    const second = Math.floor(t / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const seconds = [...perSecond.keys()];
  const total = [...perSecond.values()].reduce((a, b) => a + b, 0);
  const span = seconds.length > 0 ? Math.max(...seconds) - Math.min(...seconds) + 1 : 0;
  const rows = [
    {
      label: ROW,
      values: {
        pods: total,
        spanSeconds: span,
        average: span > 0 ? total / span : null,
        max: seconds.length > 0 ? Math.max(...perSecond.values()) : null,
      },
    },
  ];
  return {
    name: 'schedulingThroughput',
    title: 'Scheduling throughput',
    unit: 'pods/s',
    columns: ['pods', 'spanSeconds', 'average', 'max'],
    rows,
    slos: sloVerdicts(rows, objectives),
    notes: ['from PodScheduled transition times (1 s resolution) of pods scheduled during the run'],
  };
}

export class SchedulingThroughput extends PodMeasurement {
  readonly name = 'schedulingThroughput';
  readonly title = 'Scheduling throughput';

  protected fromPods(pods: readonly PodInfo[], ctx: MeasurementContext): MeasurementResult {
    return schedulingThroughputResult(pods, ctx.start, ctx.end, ctx.slos[this.name] ?? []);
  }
}

export const schedulingThroughput = defineMeasurement({
  name: 'schedulingThroughput',
  scope: 'burstPods',
  compare: [{ label: `${ROW} average`, unit: 'number', value: (r) => cell(r, ROW, 'average') }],
  create: () => new SchedulingThroughput(),
});
