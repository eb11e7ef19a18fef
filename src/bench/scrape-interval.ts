import { parse } from 'yaml';
import { parseDuration } from '../deadline/duration.js';
import type { PrometheusClient } from './prometheus.js';

/** Prometheus' own default when neither the global section nor a job sets one. */
const PROMETHEUS_DEFAULT_SECONDS = 60;

interface ScrapeConfig {
  global?: { scrape_interval?: string };
  scrape_configs?: { job_name?: string; scrape_interval?: string }[];
}

const seconds = (duration: string | undefined): number | undefined => {
  if (duration === undefined) return undefined;
  try {
    return parseDuration(duration) / 1000;
  } catch {
    return undefined; // a unit Prometheus has and flags do not (d, w, y): not a live-chart interval anyway
  }
};

/**
 * How often a Prometheus configuration scrapes the load's pushed counters: the interval of its job named
 * like the Pushgateway (the stack's is `pushgateway`), else the global one, else Prometheus' default.
 * Undefined when the text is not a configuration.
 */
export function pushgatewayScrapeInterval(configYaml: string): number | undefined {
  const config = parse(configYaml) as ScrapeConfig | null;
  if (!config || typeof config !== 'object') return undefined;
  const global = seconds(config.global?.scrape_interval) ?? PROMETHEUS_DEFAULT_SECONDS;
  const job = (config.scrape_configs ?? []).find((j) => j.job_name?.includes('pushgateway'));
  const interval = seconds(job?.scrape_interval) ?? global;
  return interval > 0 ? interval : undefined;
}

/**
 * How often `prom` scrapes the Pushgateway, in whole seconds (at least 1): from the configuration it runs with, which it
 * serves from its first second. Its own interval histogram is the fallback (a proxy that refuses the
 * status API); it exists only after two scrapes of a target, so a Prometheus that has just started has
 * none yet, and then 15 s is assumed.
 */
export async function scrapeIntervalSeconds(prom: PrometheusClient): Promise<number> {
  const configured = await prom
    .configYaml()
    .then(pushgatewayScrapeInterval)
    .catch(() => undefined);
  const measured =
    configured ??
    (await prom
      .scalar('min(prometheus_target_interval_length_seconds{quantile="0.5"})')
      .catch(() => undefined));
  return measured !== undefined && measured > 0 ? Math.max(1, Math.round(measured)) : 15;
}
