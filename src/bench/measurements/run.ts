import { errorMessage } from '../../errors/index.js';
import { createMeasurement, type MeasurementName } from './registry.js';
import type { MeasurementContext } from './types.js';
import type { MeasurementResult } from '../../model/run-record.js';

export interface MeasurementsOutcome {
  results: MeasurementResult[];
  /** Measurements that could not run here, with why (kept in the run record, never silently dropped). */
  skipped: { name: string; reason: string }[];
}

/** Starts the compatible measurements, runs `work`, stops them and collects their results. */
export async function withMeasurements<T>(
  names: readonly MeasurementName[],
  ctx: MeasurementContext,
  work: () => Promise<T>,
): Promise<{ value: T; outcome: MeasurementsOutcome }> {
  const skipped: MeasurementsOutcome['skipped'] = [];
  const active = [];
  for (const name of names) {
    const m = createMeasurement(name);
    const compatibility = m.isCompatible(ctx);
    if (compatibility.compatible) active.push(m);
    else skipped.push({ name, reason: compatibility.reason });
  }
  for (const m of active) await m.start(ctx);
  const value = await work();
  ctx.end = ctx.end ?? new Date();
  const results: MeasurementResult[] = [];
  for (const m of active) {
    try {
      await m.stop(ctx);
      results.push(await m.collect(ctx));
    } catch (err) {
      skipped.push({ name: m.name, reason: `failed: ${errorMessage(err)}` });
    }
  }
  return { value, outcome: { results, skipped } };
}
