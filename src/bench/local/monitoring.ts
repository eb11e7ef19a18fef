import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { which } from '../../exec/index.js';
import { PrometheusClient } from '../prometheus.js';
import { startDaemon, httpOk, type Daemon } from './daemon.js';
import { freePort } from './ports.js';

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

export interface LocalMonitoringOptions {
  scrapeIntervalSeconds?: number;
  prometheusBinary?: string;
  pushgatewayBinary?: string;
  env?: NodeJS.ProcessEnv;
}

/** The Prometheus config: scrape the Pushgateway, keeping the job/instance labels pushed to it. */
export function prometheusConfig(pushgatewayAddress: string, scrapeIntervalSeconds: number): string {
  return [
    'global:',
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    `  evaluation_interval: ${scrapeIntervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: pushgateway',
    '    honor_labels: true',
    '    static_configs:',
    `      - targets: ['${pushgatewayAddress}']`,
    '',
  ].join('\n');
}

async function scrapedOnce(prometheusUrl: string): Promise<boolean> {
  if (!(await httpOk(`${prometheusUrl}/-/ready`))) return false;
  const up = await new PrometheusClient(prometheusUrl).scalar('up{job="pushgateway"}');
  return up === 1;
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
      }),
    );
    const promAddress = `127.0.0.1:${await freePort()}`;
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'prometheus.yml'), prometheusConfig(pgAddress, interval));
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
        ready: () => scrapedOnce(`http://${promAddress}`),
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
