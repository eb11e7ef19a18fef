import type { RunEvent } from '../../events/index.js';
import type { PrometheusClient } from '../prometheus.js';
import type { SloTable } from './slos.js';
import type { MeasurementResult } from '../../model/run-record.js';

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
  /** The SLO thresholds (data/slos.yaml and the user's --slos); each measurement reads its own. */
  slos: SloTable;
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

/** Which context a measurement runs in: the benchmark's burst of pods, the stack's pods, or Prometheus. */
export const MEASUREMENT_SCOPES = ['burstPods', 'stackPods', 'prometheus'] as const;
export type MeasurementScope = (typeof MEASUREMENT_SCOPES)[number];

/** One row a measurement adds to `compare`: "<name>: <label>", its value read from the run's result. */
export interface CompareContribution {
  label: string;
  unit: 'seconds' | 'number';
  value(result: MeasurementResult): number | null | undefined;
}

/** A registered measurement: everything the benchmark, the skip list and `compare` need to know of it. */
export interface MeasurementDefinition<N extends string = string> {
  readonly name: N;
  readonly scope: MeasurementScope;
  readonly compare: readonly CompareContribution[];
  create(): Measurement;
}

/** Keeps a definition's name as a literal type, so the registry's names form a union. */
export const defineMeasurement = <N extends string>(d: MeasurementDefinition<N>): MeasurementDefinition<N> =>
  d;

/** The value in `column` of the row labelled `row` (for compare contributions). */
export const cell = (result: MeasurementResult, row: string, column: string): number | null | undefined =>
  result.rows.find((r) => r.label === row)?.values[column];
