import type { RunEvent } from '../../events/index.js';
import { podMilestones } from './pod-startup-latency.js';
import { sloVerdicts } from './slos.js';
import {
  defineMeasurement,
  type Compatibility,
  type Measurement,
  type MeasurementContext,
  type PodInfo,
} from './types.js';
import type { MeasurementResult, MeasurementRow } from '../../model/run-record.js';

const COMPONENT_LABELS = ['app.kubernetes.io/component', 'app.kubernetes.io/name', 'app'];

/**
 * Time to ready per component of the stack. From the stack's events when they are available: the duration
 * of each successful `stack` operation, from its start event to its end event (the component's readiness
 * gate passing). Otherwise from the pods: per component (label app.kubernetes.io/component, else
 * app.kubernetes.io/name, else app), from the first pod's creation to the last pod's Ready transition.
 */
export function fromStackEvents(events: readonly RunEvent[]): MeasurementRow[] {
  return events
    .filter(
      (e) => e.scope === 'stack' && e.phase === 'end' && e.outcome === 'ok' && e.durationMs !== undefined,
    )
    .map((e) => ({ label: e.id, values: { seconds: (e.durationMs ?? 0) / 1000 } }));
}

export function fromPods(pods: readonly PodInfo[]): MeasurementRow[] {
  const spans = new Map<string, { first: number; last: number; pods: number }>();
  // Several stacks (one per namespace) are told apart by their namespace.
  const namespaces = new Set(pods.map((p) => p.namespace));
  for (const pod of pods) {
    const name = COMPONENT_LABELS.map((l) => pod.labels[l]).find((v) => v !== undefined);
    const t = podMilestones(pod);
    if (!name || !t) continue;
    const component = namespaces.size > 1 ? `${pod.namespace}/${name}` : name;
    const span = spans.get(component) ?? { first: t.created, last: t.ready, pods: 0 };
    span.first = Math.min(span.first, t.created);
    span.last = Math.max(span.last, t.ready);
    span.pods += 1;
    spans.set(component, span);
  }
  return [...spans.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, s]) => ({ label, values: { seconds: (s.last - s.first) / 1000, pods: s.pods } }));
}

export class ComponentTimeToReady implements Measurement {
  readonly name = 'componentTimeToReady';
  readonly title = 'Time to ready per component';

  isCompatible(ctx: MeasurementContext): Compatibility {
    return ctx.stackEvents?.length || ctx.pods
      ? { compatible: true }
      : { compatible: false, reason: 'needs the stack events or a cluster' };
  }

  async start(): Promise<void> {
    // nothing to watch: the inputs are recorded anyway
  }

  async stop(): Promise<void> {
    // nothing to stop
  }

  async collect(ctx: MeasurementContext): Promise<MeasurementResult> {
    const byEvents = fromStackEvents(ctx.stackEvents ?? []);
    const rows =
      byEvents.length > 0
        ? byEvents
        : fromPods(
            (await ctx.pods?.listPods({ namespace: ctx.namespace, labelSelector: ctx.labelSelector })) ?? [],
          );
    return {
      name: this.name,
      title: this.title,
      unit: 'seconds',
      columns: byEvents.length > 0 ? ['seconds'] : ['seconds', 'pods'],
      rows,
      slos: sloVerdicts(rows, ctx.slos[this.name] ?? []),
      notes: [
        byEvents.length > 0
          ? 'from the stack start events: start of each component to its readiness gate passing'
          : 'from pods: first pod created to last pod ready, per component label (1 s resolution)',
      ],
    };
  }
}

/** The slowest component's time to ready: what bounds the stack's start. */
export function slowestComponent(result: MeasurementResult): number | null {
  const seconds = result.rows.map((r) => r.values.seconds).filter((v): v is number => typeof v === 'number');
  return seconds.length > 0 ? Math.max(...seconds) : null;
}

export const componentTimeToReady = defineMeasurement({
  name: 'componentTimeToReady',
  scope: 'stackPods',
  compare: [{ label: 'slowest component', unit: 'seconds', value: slowestComponent }],
  create: () => new ComponentTimeToReady(),
});
