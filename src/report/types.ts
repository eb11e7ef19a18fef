/**
 * Run records: the JSON a benchmark writes (run.json, validated by schemas/), its store under the home,
 * the run log every long command records, and the HTML and text rendered from it.
 */
import type { HttpResults, TimePoint } from '../bench/http-results.js';
import type { MeasurementResult, SloVerdict } from '../bench/measurements/types.js';
import type { ChaosRecord } from '../bench/chaos/pod-kill.js';
import type { MachineGroup } from '../cluster/record.js';

export type { MachineGroup };

export const RUN_API_VERSION = 'cncfdemo.io/v1alpha1';

/**
 * A benchmark run as kept in ~/.cncfdemo/runs/<id>/run.json: the shape of the original cncfdemo results
 * (Metadata, events, results) plus cost. schemas/run-record.schema.json describes it; the HTML report and
 * `compare` are built from it alone.
 */
export interface RunRecord {
  apiVersion: typeof RUN_API_VERSION;
  kind: 'BenchmarkRun';
  id: string;
  Metadata: RunMetadata;
  events: PhaseRecord[];
  results: RunResults;
  cost: CostResult;
}

export interface NodeSummary {
  count: number;
  /** Per node, as a quantity ("8", "7500m"). */
  cpu: string | null;
  memory: string | null;
  instanceType: string | null;
  /** kwok nodes: pods never run, so no traffic can be served. */
  simulated: boolean;
}

export interface BenchmarkOptionsRecord {
  durationSeconds: number;
  threads: number;
  connections: number;
  rate: number | null;
  localTarget: string | null;
  pricePerNodeHour: number | null;
  saveHtml: boolean;
  /** `--chaos` as given (e.g. "pod-kill:15s"); absent in older records. */
  chaos?: string | null;
}

export interface RunMetadata {
  cncfdemoVersion: string;
  /** local, aws, ...; "loopback" for --local-target runs, which involve no cluster. */
  provider: string;
  cluster: string | null;
  kubernetesVersion: string | null;
  nodes: NodeSummary;
  /** The cluster's region (aws), from its record in the home. Absent in older records and for other clusters. */
  region?: string | null;
  /**
   * The machines by role with their instance types and counts, from the cluster's record in the home (aws):
   * the cost is priced from these. Absent in older records and for clusters without machines of their own.
   */
  machines?: MachineGroup[];
  options: BenchmarkOptionsRecord;
  start: string;
  end: string;
}

/** One operation of the run, folded from its start/end events. */
export interface PhaseRecord {
  scope: string;
  id: string;
  title: string;
  start: string;
  end: string | null;
  outcome: 'ok' | 'failed' | 'skipped' | null;
  durationMs: number | null;
  message?: string;
  output?: string;
}

export interface NamedSeries {
  name: string;
  points: TimePoint[];
}

export interface RunResults {
  /** null when no HTTP load ran; httpSkipped says why. */
  http: HttpResults | null;
  httpSkipped: string | null;
  measurements: MeasurementResult[];
  measurementsSkipped: { name: string; reason: string }[];
  /** Every SLO verdict of the run (also inside each measurement). */
  slos: SloVerdict[];
  series: {
    /** Countly API replicas over time (HPA). */
    replicas: NamedSeries[];
    /** Running pods by priority class over time. */
    podsByPriority: NamedSeries[];
    /** BOINC work units over time. */
    boincWork: NamedSeries[];
  };
  /** Why a series group is empty, when it is. */
  seriesNotes: string[];
  /** `--chaos`: what was killed when, and how fast the workload recovered. Absent in older records. */
  chaos?: ChaosRecord | null;
  /**
   * The benchmarked stack: whether one was deployed, the components its values left out (e.g. MongoDB in
   * the offline profile) and what served the Countly API (countly or the ingest server). Absent in older
   * records and in --local-target runs.
   */
  stack?: { deployed: boolean; leftOut: { name: string; when: string }[]; apiServer: string | null };
}

export interface CostResult {
  currency: string;
  pricePerNodeHour: number | null;
  /** override (--price-per-node-hour), price table (data/prices.yaml), or unknown. */
  priceSource: 'override' | 'price table' | 'unknown';
  nodeHours: number;
  total: number | null;
  perMillionRequests: number | null;
}
