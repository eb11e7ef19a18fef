import { runSelector } from '../http-results.js';
import type { PrometheusClient } from '../prometheus.js';
import type { ChaosKill } from '../../model/run-record.js';

/** Requests sent minus requests answered well, over all generators of the run, at one moment. */
const unanswered = (runId: string): string => {
  const sel = runSelector(runId);
  return `sum(cncfdemo_http_sent_requests_total{${sel}}) - sum(cncfdemo_http_answered_ok_requests_total{${sel}})`;
};

export const FAILURE_WINDOW_METHOD =
  "failed requests per kill: requests sent minus requests answered with a status below 400, between the kill and the next one (or the end of the load), from the generators' progress counters as Prometheus scraped them (resolution: the scrape interval; the requests in flight at either edge, at most the connections, blur each count)";

/**
 * Fills in each kill's failed requests and window from Prometheus (the progress counters the load
 * generators push every second). A window whose edges Prometheus has no sample for stays null.
 */
export async function countFailuresPerKill(
  prom: PrometheusClient,
  runId: string,
  kills: ChaosKill[],
  loadEnd: Date,
): Promise<void> {
  const expr = unanswered(runId);
  const at = async (time: Date): Promise<number | undefined> => {
    const value = await prom.scalar(expr, time).catch(() => undefined);
    return value === undefined || Number.isNaN(value) ? undefined : value;
  };
  for (const [i, kill] of kills.entries()) {
    const start = new Date(kill.at);
    const next = kills[i + 1];
    const end = next ? new Date(next.at) : loadEnd;
    kill.windowSeconds = Math.max(0, (end.getTime() - start.getTime()) / 1000);
    const [before, after] = [await at(start), await at(end)];
    kill.failedRequests = before === undefined || after === undefined ? null : Math.max(0, after - before);
  }
}
