import type { Compatibility, Measurement, MeasurementContext, PodInfo } from './types.js';
import type { MeasurementResult } from '../../model/run-record.js';

/**
 * The shared base of measurements computed from pods' own timestamps at collect time: nothing to watch,
 * so start and stop do nothing, and any cluster that can list pods will do.
 */
export abstract class PodMeasurement implements Measurement {
  abstract readonly name: string;
  abstract readonly title: string;

  isCompatible(ctx: MeasurementContext): Compatibility {
    return ctx.pods
      ? { compatible: true }
      : { compatible: false, reason: 'needs a cluster to read pods from' };
  }

  async start(): Promise<void> {
    // the window starts at ctx.start
  }

  async stop(): Promise<void> {
    // the window ends at ctx.end
  }

  async collect(ctx: MeasurementContext): Promise<MeasurementResult> {
    const pods =
      (await ctx.pods?.listPods({ namespace: ctx.namespace, labelSelector: ctx.labelSelector })) ?? [];
    return this.fromPods(pods, ctx);
  }

  protected abstract fromPods(pods: readonly PodInfo[], ctx: MeasurementContext): MeasurementResult;
}
