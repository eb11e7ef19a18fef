/**
 * The run record's model: every type of run.json, derived from its schema (run-record.schema.ts), for bench/
 * (which measures and fills it), report/ (which stores, renders and compares it), the web UI and the api.
 * A leaf: it imports nothing of the project but its own folder (lint enforces it, eslint.config.js), so
 * whoever reads a record does not depend on whoever wrote it.
 */
import type { FromSchema } from './json-schema.js';
import { RUN_RECORD_JSON_SCHEMA } from './run-record.schema.js';

type Schema = typeof RUN_RECORD_JSON_SCHEMA;
type Definition<N extends keyof Schema['definitions']> = FromSchema<Schema['definitions'][N], Schema>;

export { RUN_RECORD_JSON_SCHEMA };

export const RUN_API_VERSION = RUN_RECORD_JSON_SCHEMA.properties.apiVersion.const;

/** A benchmark run as kept in ~/.cncfdemo/runs/<id>/run.json (see the schema's descriptions). */
export type RunRecord = FromSchema<Schema>;
export type RunMetadata = RunRecord['Metadata'];
export type NodeSummary = RunMetadata['nodes'];
export type BenchmarkOptionsRecord = RunMetadata['options'];
/** One role's machines: an instance type (a key of data/prices.yaml) and how many. */
export type MachineGroup = NonNullable<RunMetadata['machines']>[number];
export type PhaseRecord = Definition<'phase'>;
export type RunResults = RunRecord['results'];
export type CostResult = RunRecord['cost'];

export type TimePoint = Definition<'timePoint'>;
export type NamedSeries = Definition<'namedSeries'>;

export type HttpResults = Definition<'http'>;
export type LatencySummary = HttpResults['latency'];
export type ErrorKind = keyof HttpResults['errors'];
/** The kinds of failed request, in the order reports list them: the schema's required error counters. */
export const ERROR_KINDS: readonly ErrorKind[] =
  RUN_RECORD_JSON_SCHEMA.definitions.http.properties.errors.required;
export type LogCrossCheck = NonNullable<HttpResults['crossCheck']>;
export type QuantileCheck = LogCrossCheck['quantiles'][number];

export type MeasurementResult = Definition<'measurement'>;
export type MeasurementRow = MeasurementResult['rows'][number];
export type SloVerdict = Definition<'slo'>;

export type ChaosRecord = NonNullable<RunResults['chaos']>;
export type ChaosKill = ChaosRecord['kills'][number];

/** Results before anything was measured: every section present and empty, as the schema wants them. */
export const emptyResults = (): RunResults => ({
  http: null,
  httpSkipped: null,
  measurements: [],
  measurementsSkipped: [],
  slos: [],
  series: { replicas: [], podsByPriority: [], boincWork: [] },
  seriesNotes: [],
});
