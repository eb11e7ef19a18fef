import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { which } from '../../exec/index.js';
import { PrometheusClient } from '../prometheus.js';
import { startDaemon, httpOk, type Daemon } from './daemon.js';
import { freePort } from '../../net/ports.js';

/** Where load generators push and where results are queried from. */
export interface MonitoringEndpoints {
  pushgatewayUrl: string;
  prometheusUrl: string;
  /** How often Prometheus scrapes the Pushgateway. */
  scrapeIntervalSeconds: number;
}

export interface LocalMonitoring extends MonitoringEndpoints {
  stop(): Promise<void>;
}

/** A loopback kube-apiserver to scrape for apiserver_request_duration_seconds, with the client's credentials (PEM). */
export interface ApiserverScrape {
  /** host:port on the loopback. */
  address: string;
  ca?: string;
  cert: string;
  key: string;
}

export interface LocalMonitoringOptions {
  scrapeIntervalSeconds?: number;
  apiserver?: ApiserverScrape;
  prometheusBinary?: string;
  pushgatewayBinary?: string;
  env?: NodeJS.ProcessEnv;
}

/** Files (in the private temporary directory) holding the apiserver scrape's credentials. */
export interface ApiserverScrapeFiles {
  address: string;
  caFile?: string;
  certFile: string;
  keyFile: string;
}

/** How often a Prometheus of this machine scrapes a loopback API server (its /metrics is large). */
const APISERVER_SCRAPE_SECONDS = 2;

/**
 * The scrape job of a loopback API server: every APISERVER_SCRAPE_SECONDS with a client certificate,
 * keeping only the request-latency histogram the benchmark reads (the rest of /metrics is not stored).
 */
function apiserverScrapeJob(apiserver: ApiserverScrapeFiles): string[] {
  return [
    '  - job_name: apiserver',
    '    scheme: https',
    `    scrape_interval: ${APISERVER_SCRAPE_SECONDS}s`,
    `    scrape_timeout: ${APISERVER_SCRAPE_SECONDS}s`,
    '    tls_config:',
    ...(apiserver.caFile ? [`      ca_file: '${apiserver.caFile}'`] : ['      insecure_skip_verify: true']),
    `      cert_file: '${apiserver.certFile}'`,
    `      key_file: '${apiserver.keyFile}'`,
    '    metric_relabel_configs:',
    '      - source_labels: [__name__]',
    "        regex: 'apiserver_request_duration_seconds_(bucket|sum|count)'",
    '        action: keep',
    '    static_configs:',
    `      - targets: ['${apiserver.address}']`,
  ];
}

/**
 * The Prometheus config: scrape the Pushgateway, keeping the job/instance labels pushed to it; and, when
 * given, a loopback apiserver (apiserverScrapeJob).
 */
export function prometheusConfig(
  pushgatewayAddress: string,
  scrapeIntervalSeconds: number,
  apiserver?: ApiserverScrapeFiles,
): string {
  return [
    'global:',
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    `  evaluation_interval: ${scrapeIntervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: pushgateway',
    '    honor_labels: true',
    '    static_configs:',
    `      - targets: ['${pushgatewayAddress}']`,
    ...(apiserver ? apiserverScrapeJob(apiserver) : []),
    '',
  ].join('\n');
}

/**
 * The config of a local cluster's own Prometheus (a process of the cluster: cluster/providers/local): its
 * API server only, so that a benchmark finds the request latencies already scraped.
 */
export function apiserverPrometheusConfig(apiserver: ApiserverScrapeFiles): string {
  return ['scrape_configs:', ...apiserverScrapeJob(apiserver), ''].join('\n');
}

const UNANSWERED_GRACE_MS = 2_000;

/**
 * Whether the Prometheus at `prometheusUrl` (one with apiserverScrapeJob) has scraped the API server,
 * waiting up to `timeoutMs` while it answers but has not yet (it started a moment ago). False within
 * UNANSWERED_GRACE_MS when it does not answer (its cluster is stopped, or it died); the grace covers a
 * Prometheus that is still opening its port.
 */
export async function apiserverScrapedWithin(prometheusUrl: string, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const prom = new PrometheusClient(prometheusUrl);
  for (;;) {
    try {
      const up = await prom.query('up{job="apiserver"}');
      if (up.length === 1 && up[0]?.value === 1) return true;
    } catch {
      if (Date.now() - started >= UNANSWERED_GRACE_MS) return false;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** True once every scrape job has been scraped successfully at least once. */
async function scrapedOnce(prometheusUrl: string, jobs: number): Promise<boolean> {
  if (!(await httpOk(`${prometheusUrl}/-/ready`))) return false;
  const up = await new PrometheusClient(prometheusUrl).query('up');
  return up.length === jobs && up.every((s) => s.value === 1);
}

async function writeCredentials(dir: string, scrape: ApiserverScrape): Promise<ApiserverScrapeFiles> {
  const file = async (name: string, pem: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, pem, { mode: 0o600 });
    return path;
  };
  return {
    address: scrape.address,
    ...(scrape.ca ? { caFile: await file('apiserver-ca.crt', scrape.ca) } : {}),
    certFile: await file('apiserver-client.crt', scrape.cert),
    keyFile: await file('apiserver-client.key', scrape.key),
  };
}

async function binary(name: string, override: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  const found = override ?? (await which(name, env.PATH));
  if (!found) {
    throw new UserError(
      `${name} is not installed`,
      'run scripts/setup.sh, or: apt-get install prometheus prometheus-pushgateway',
    );
  }
  return found;
}

/**
 * Starts a Pushgateway and a Prometheus scraping it, both on free ports of 127.0.0.1 with their data in a
 * temporary directory, and waits until both are ready. stop() ends both and removes the directory.
 */
export async function startLocalMonitoring(options: LocalMonitoringOptions = {}): Promise<LocalMonitoring> {
  const env = options.env ?? process.env;
  const interval = options.scrapeIntervalSeconds ?? 1;
  const prometheus = await binary('prometheus', options.prometheusBinary, env);
  const pushgateway = await binary('prometheus-pushgateway', options.pushgatewayBinary, env);
  const dir = await mkdtemp(join(tmpdir(), 'cncfdemo-monitoring-'));
  const daemons: Daemon[] = [];
  const stop = async (): Promise<void> => {
    for (const d of daemons.reverse()) await d.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pgAddress = `127.0.0.1:${await freePort()}`;
    daemons.push(
      await startDaemon({
        name: 'prometheus-pushgateway',
        command: pushgateway,
        // Debian's build persists to /var/lib/prometheus by default; keep pushed metrics in memory only.
        args: [`--web.listen-address=${pgAddress}`, '--persistence.file='],
        ready: () => httpOk(`http://${pgAddress}/-/ready`),
        nice: 10,
      }),
    );
    const promAddress = `127.0.0.1:${await freePort()}`;
    await mkdir(join(dir, 'data'));
    const apiserver = options.apiserver ? await writeCredentials(dir, options.apiserver) : undefined;
    await writeFile(join(dir, 'prometheus.yml'), prometheusConfig(pgAddress, interval, apiserver));
    daemons.push(
      await startDaemon({
        name: 'prometheus',
        command: prometheus,
        args: [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=${promAddress}`,
          '--storage.tsdb.retention.time=1d',
          '--log.level=warn',
        ],
        cwd: dir,
        // Ready only once the Pushgateway has been scraped: Prometheus hands new targets to its scrapers
        // up to 5 s after start, and a short run must not fall into that gap.
        ready: () => scrapedOnce(`http://${promAddress}`, apiserver ? 2 : 1),
        nice: 10,
      }),
    );
    return {
      pushgatewayUrl: `http://${pgAddress}`,
      prometheusUrl: `http://${promAddress}`,
      scrapeIntervalSeconds: interval,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
