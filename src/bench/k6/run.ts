import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../config/paths.js';
import { UserError } from '../../errors/index.js';
import { exec as defaultExec, which, type Exec } from '../../exec/index.js';
import { freePort } from '../../net/ports.js';
import { ensureTool } from '../../toolchain/index.js';

/** The k6 script for the open model (`--rate`), locally and in the cluster's Jobs. */
export const K6_SCRIPT = join(packageRoot, 'manifests', 'bench', 'countly-k6.js');

export interface K6RunOptions {
  url: string;
  /** Requests per second to start, whatever the response times. */
  rate: number;
  durationSeconds: number;
  /** Preallocated virtual users (concurrent requests at most). */
  vus?: number;
  appKey?: string;
  onProgress?: (sent: number) => void;
  exec?: Exec;
  env?: NodeJS.ProcessEnv;
}

export interface K6Run {
  output: string;
  metrics: string;
  startedAt: Date;
  endedAt: Date;
}

/**
 * k6 from $CNCFDEMO_K6, the PATH, or the cache: installed there on first use (downloaded from its pinned
 * release, else built from toolchain/k6; src/toolchain/).
 */
export async function findK6(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.CNCFDEMO_K6) return env.CNCFDEMO_K6;
  const onPath = await which('k6', env.PATH);
  if (onPath) return onPath;
  return ensureTool('k6', { env });
}

export function validateRate(rate: number, durationSeconds: number): void {
  if (!(rate > 0) || !Number.isFinite(rate))
    throw new UserError(`--rate must be a positive number of requests/s (got ${rate})`);
  if (!(durationSeconds >= 1)) throw new UserError('--time must be at least 1s');
}

/** Runs k6 at a constant arrival rate against `url` with the Countly k6 script. */
export async function runK6(options: K6RunOptions): Promise<K6Run> {
  validateRate(options.rate, options.durationSeconds);
  const env = options.env ?? process.env;
  const k6 = await findK6(env);
  const dir = await mkdtemp(join(tmpdir(), 'cncfdemo-k6-'));
  const metricsFile = join(dir, 'metrics.prom');
  const api = `127.0.0.1:${await freePort()}`;
  const sampler = options.onProgress
    ? setInterval(() => void sampleProgress(api, options.onProgress), 250)
    : undefined;
  const startedAt = new Date();
  try {
    const { stdout } = await (options.exec ?? defaultExec)(
      k6,
      ['run', '--quiet', '--no-usage-report', '--no-color', `--address=${api}`, K6_SCRIPT],
      {
        env: {
          ...env,
          CNCFDEMO_TARGET: options.url.replace(/\/+$/, ''),
          CNCFDEMO_RATE: String(options.rate),
          CNCFDEMO_DURATION: `${options.durationSeconds}s`,
          CNCFDEMO_APP_KEY: options.appKey ?? 'cncfdemo',
          CNCFDEMO_METRICS_FILE: metricsFile,
          ...(options.vus ? { CNCFDEMO_VUS: String(options.vus) } : {}),
          K6_NO_USAGE_REPORT: 'true',
        },
      },
    );
    return { output: stdout, metrics: await readFile(metricsFile, 'utf8'), startedAt, endedAt: new Date() };
  } finally {
    if (sampler) clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads k6's running request count from its local REST API. */
async function sampleProgress(api: string, report: ((sent: number) => void) | undefined): Promise<void> {
  try {
    const response = await fetch(`http://${api}/v1/metrics/http_reqs`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as { data?: { attributes?: { sample?: { count?: number } } } };
    const count = body.data?.attributes?.sample?.count;
    if (typeof count === 'number') report?.(count);
  } catch {
    // k6 not listening yet or already gone: skip this sample
  }
}
