import type { RunEvent } from '../../events/index.js';
import type { PrometheusClient } from '../prometheus.js';

/** The parts of a Pod the measurements read (what `kubectl get pod -o json` has). */
export interface PodInfo {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** metadata.creationTimestamp (RFC 3339). */
  creationTimestamp: string;
  priorityClassName?: string;
  nodeName?: string;
  phase?: string;
  conditions: { type: string; status: string; lastTransitionTime?: string }[];
}

/** Where cluster-reading measurements get pods from; the kube layer implements it, tests feed fixtures. */
export interface PodSource {
  listPods(options: { namespace?: string; labelSelector?: string }): Promise<PodInfo[]>;
}

export interface MeasurementContext {
  runId: string;
  start: Date;
  /** Set before collect(). */
  end?: Date;
  pods?: PodSource;
  prometheus?: PrometheusClient;
  /** Events of the stack's start (component ready times). */
  stackEvents?: readonly RunEvent[];
  /** Limit pod-based measurements to a namespace and/or label selector. */
  namespace?: string;
  labelSelector?: string;
}

/** A service-level objective checked against a measured value. */
export interface SloVerdict {
  name: string;
  /** Human-readable objective, e.g. "p99 <= 1s". */
  objective: string;
  thresholdSeconds: number;
  observedSeconds: number | null;
  /** null when there was nothing to measure. */
  pass: boolean | null;
}

export interface MeasurementRow {
  label: string;
  values: Record<string, number | null>;
}

/** One measurement's output: a small table (rows x columns), SLO verdicts and notes, as kept in run.json. */
export interface MeasurementResult {
  name: string;
  title: string;
  /** Unit of the table's values, e.g. "seconds", "pods/s". */
  unit: string;
  columns: string[];
  rows: MeasurementRow[];
  slos: SloVerdict[];
  notes: string[];
}

export type Compatibility = { compatible: true } | { compatible: false; reason: string };

/** A pluggable measurement: started before the workload, stopped after it, then collected. */
export interface Measurement {
  readonly name: string;
  readonly title: string;
  isCompatible(ctx: MeasurementContext): Compatibility;
  start(ctx: MeasurementContext): Promise<void>;
  stop(ctx: MeasurementContext): Promise<void>;
  collect(ctx: MeasurementContext): Promise<MeasurementResult>;
}

export function verdict(
  name: string,
  thresholdSeconds: number,
  observed: number | null,
  what = 'p99',
): SloVerdict {
  return {
    name,
    objective: `${what} <= ${thresholdSeconds}s`,
    thresholdSeconds,
    observedSeconds: observed,
    pass: observed === null ? null : observed <= thresholdSeconds,
  };
}
