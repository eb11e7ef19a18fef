import type { RunSample } from '../events/index.js';
import type { Logger } from '../log/logger.js';
import { failuresExpr, rateWindowSeconds, throughputExpr } from './http-results.js';
import type { PrometheusClient } from './prometheus.js';

/**
 * While the load runs, the run's requests/s and failed requests/s as Prometheus has them now, once per
 * scrape (at most once a second): the points the web UI charts live. The record's own series comes from a
 * range query at the end, so a sample that fails here is only a gap in the live view, never in the record.
 * A step is skipped while the previous query still runs.
 */
export function startLiveHttpSamples(
  prom: PrometheusClient,
  runId: string,
  scrapeIntervalSeconds: number,
  onSample: (sample: RunSample) => void,
  logger?: Logger,
): { stop: () => Promise<void> } {
  const window = rateWindowSeconds(scrapeIntervalSeconds);
  let inFlight: Promise<void> | undefined;
  const step = async (): Promise<void> => {
    const at = new Date();
    const [sent, failed] = await Promise.all([
      prom.scalar(throughputExpr(runId, window), at),
      prom.scalar(failuresExpr(runId, window), at),
    ]);
    const t = at.getTime() / 1000;
    // No series yet (before the first scrape): no point rather than a false zero.
    if (sent !== undefined && !Number.isNaN(sent))
      onSample({ group: 'throughput', name: 'req/s', t, v: sent });
    if (failed !== undefined && !Number.isNaN(failed))
      onSample({ group: 'failures', name: 'failed/s', t, v: failed });
  };
  const timer = setInterval(
    () => {
      if (inFlight) return;
      inFlight = step()
        .catch((err: unknown) => {
          logger?.debug(`live HTTP sample failed: ${String(err)}`);
        })
        .finally(() => (inFlight = undefined));
    },
    Math.max(1, scrapeIntervalSeconds) * 1000,
  );
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
    },
  };
}
