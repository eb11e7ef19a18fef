import { UserError } from '../../errors/index.js';
import { apiRequestLatency } from './api-request-latency.js';
import { componentTimeToReady } from './component-time-to-ready.js';
import { podStartupLatency } from './pod-startup-latency.js';
import { schedulingThroughput } from './scheduling-throughput.js';
import { loadSlos, type SloTable } from './slos.js';
import type { Measurement, MeasurementDefinition, MeasurementScope } from './types.js';

/**
 * Every measurement, in the order their results are reported. A new measurement is one file exporting a
 * defineMeasurement(...) and one line here; the benchmark, the skip list of runs without a cluster,
 * `compare` and the SLO file's check all read this list.
 */
const MEASUREMENTS = [
  podStartupLatency,
  componentTimeToReady,
  schedulingThroughput,
  apiRequestLatency,
] as const;

export type MeasurementName = (typeof MEASUREMENTS)[number]['name'];

export const measurementNames = (): MeasurementName[] => MEASUREMENTS.map((m) => m.name);

export const measurementDefinitions = (): readonly MeasurementDefinition<MeasurementName>[] => MEASUREMENTS;

/** The measurements that run in one scope's context, in registry order. */
export const measurementsIn = (scope: MeasurementScope): MeasurementName[] =>
  MEASUREMENTS.filter((m) => m.scope === scope).map((m) => m.name);

export function createMeasurement(name: string): Measurement {
  const definition = MEASUREMENTS.find((m) => m.name === name);
  if (!definition)
    throw new UserError(`unknown measurement "${name}"`, `use one of: ${measurementNames().join(', ')}`);
  return definition.create();
}

/** data/slos.yaml, overridden per measurement by the user's file, checked against the registry's names. */
export const loadSloTable = (userFile?: string): Promise<SloTable> => loadSlos(measurementNames(), userFile);
