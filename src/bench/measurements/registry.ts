import { UserError } from '../../errors/index.js';
import { ApiRequestLatency } from './api-request-latency.js';
import { ComponentTimeToReady } from './component-time-to-ready.js';
import { PodStartupLatency } from './pod-startup-latency.js';
import { SchedulingThroughput } from './scheduling-throughput.js';
import type { Measurement } from './types.js';

const MEASUREMENTS: Record<string, () => Measurement> = {
  podStartupLatency: () => new PodStartupLatency(),
  componentTimeToReady: () => new ComponentTimeToReady(),
  schedulingThroughput: () => new SchedulingThroughput(),
  apiRequestLatency: () => new ApiRequestLatency(),
};

export const measurementNames = (): string[] => Object.keys(MEASUREMENTS);

export function createMeasurement(name: string): Measurement {
  const make = MEASUREMENTS[name];
  if (!make)
    throw new UserError(`unknown measurement "${name}"`, `use one of: ${measurementNames().join(', ')}`);
  return make();
}
