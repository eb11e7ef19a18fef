import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiserverPrometheusConfig } from '../../../bench/local/monitoring.js';
import { savedComponents } from './components.js';
import type { ClusterPki } from './pki.js';

/**
 * kwokctl's name of its Prometheus component, which its `prometheusPort` option turns on: a process of the
 * cluster like the others, so create, start, stop, delete and the health check cover it with no code of
 * their own.
 */
export const PROMETHEUS_COMPONENT = 'prometheus';

/** What a local cluster's Prometheus runs with: its binary, config file and data directory. */
export interface ClusterMonitoring {
  binary: string;
  config: string;
  data: string;
}

/** Where a local cluster keeps its Prometheus's config and data (removed with the cluster). */
function clusterMonitoringPaths(clusterDir: string): { config: string; data: string } {
  const dir = join(clusterDir, 'monitoring');
  return { config: join(dir, 'prometheus.yml'), data: join(dir, 'data') };
}

/**
 * Writes the config of the cluster's Prometheus, in place of kwokctl's (which scrapes every 15 s, as the
 * admin): the API server only, every 2 s, as the system:monitoring user (pki.ts `monitoring`). A benchmark
 * then finds its request latencies already scraped instead of starting a Prometheus of its own, whose first
 * scrape comes 5 s or more after its start (its discovery hands targets over on a fixed 5 s tick).
 */
export async function writeMonitoringConfig(
  clusterDir: string,
  pki: ClusterPki,
  apiServerAddress: string,
  binary: string,
): Promise<ClusterMonitoring> {
  const paths = clusterMonitoringPaths(clusterDir);
  await mkdir(paths.data, { recursive: true, mode: 0o700 });
  await writeFile(
    paths.config,
    apiserverPrometheusConfig({
      address: apiServerAddress,
      caFile: pki.ca.cert,
      certFile: pki.monitoring.cert,
      keyFile: pki.monitoring.key,
    }),
  );
  return { binary, ...paths };
}

/**
 * The URL of the Prometheus of the local cluster in `clusterDir`, from its saved kwokctl configuration;
 * undefined when it has none (it was created without one, or is not a local cluster). Whether it runs
 * is the caller's to ask.
 */
export async function clusterPrometheusUrl(clusterDir: string): Promise<string | undefined> {
  const components = await savedComponents(join(clusterDir, 'kwok.yaml')).catch(() => []);
  const port = components.find((c) => c.name === PROMETHEUS_COMPONENT)?.ports[0];
  return port === undefined ? undefined : `http://127.0.0.1:${String(port)}`;
}
