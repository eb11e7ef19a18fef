import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../config/paths.js';
import { UserError } from '../../errors/index.js';
import { exec as defaultExec, which, type Exec } from '../../exec/index.js';

/** How often the progress files are read and pushed: well under the scrape interval, so scrapes see fresh counts. */
export const PROGRESS_SAMPLE_MS = 250;

/** The Lua script every wrk run uses, locally and in the cluster's Jobs. */
export const WRK_SCRIPT = join(packageRoot, 'manifests', 'bench', 'countly.lua');

export interface WrkRunOptions {
  url: string;
  threads: number;
  connections: number;
  durationSeconds: number;
  /** wrk's per-request timeout; slower responses count as timeouts. */
  timeoutSeconds?: number;
  appKey?: string;
  /**
   * Called every PROGRESS_SAMPLE_MS with the requests sent so far and those answered with a status below
   * 400 (all threads).
   */
  onProgress?: (sent: number, answeredOk?: number) => void;
  exec?: Exec;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface WrkRun {
  /** wrk's printed summary. */
  output: string;
  /** The Prometheus text the Lua script's done() wrote. */
  metrics: string;
  startedAt: Date;
  endedAt: Date;
}

/** The wrk command line for a run (also what `bench/http-overhead.ts` runs bare). */
export function wrkArgs(
  options: Pick<WrkRunOptions, 'url' | 'threads' | 'connections' | 'durationSeconds' | 'timeoutSeconds'>,
): string[] {
  return [
    `--threads=${options.threads}`,
    `--connections=${options.connections}`,
    `--duration=${options.durationSeconds}s`,
    `--timeout=${options.timeoutSeconds ?? 10}s`,
    '--latency',
    `--script=${WRK_SCRIPT}`,
    options.url,
  ];
}

export function validateLoad(options: {
  threads: number;
  connections: number;
  durationSeconds: number;
}): void {
  const problems: string[] = [];
  if (!Number.isInteger(options.threads) || options.threads < 1) problems.push('--threads must be >= 1');
  if (!Number.isInteger(options.connections) || options.connections < options.threads) {
    problems.push('--connections must be a whole number >= --threads');
  }
  if (!(options.durationSeconds >= 1)) problems.push('--time must be at least 1s');
  if (problems.length > 0) throw new UserError(problems.join('; '), 'see cncfdemo benchmark --help');
}

/** Runs Debian's wrk with the Countly Lua script; returns its summary and the metrics its done() wrote. */
export async function runWrk(options: WrkRunOptions): Promise<WrkRun> {
  validateLoad(options);
  const env = options.env ?? process.env;
  const wrk = await which('wrk', env.PATH);
  if (!wrk) throw new UserError('wrk is not installed', 'run scripts/setup.sh, or: apt-get install wrk');
  const dir = await mkdtemp(join(tmpdir(), 'cncfdemo-wrk-'));
  const metricsFile = join(dir, 'metrics.prom');
  const progressDir = join(dir, 'progress');
  await import('node:fs/promises').then((fs) => fs.mkdir(progressDir));
  const sampler = options.onProgress
    ? setInterval(() => void sampleProgress(progressDir, options.onProgress), PROGRESS_SAMPLE_MS)
    : undefined;
  const startedAt = new Date();
  try {
    const { stdout } = await (options.exec ?? defaultExec)(wrk, wrkArgs(options), {
      env: {
        ...env,
        CNCFDEMO_APP_KEY: options.appKey ?? 'cncfdemo',
        CNCFDEMO_METRICS_FILE: metricsFile,
        CNCFDEMO_PROGRESS_DIR: progressDir,
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const endedAt = new Date();
    return { output: stdout, metrics: await readFile(metricsFile, 'utf8'), startedAt, endedAt };
  } finally {
    if (sampler) clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}

async function sampleProgress(
  dir: string,
  report: ((sent: number, answeredOk?: number) => void) | undefined,
): Promise<void> {
  let sent = 0;
  let ok = 0;
  const files = await readdir(dir).catch(() => []);
  for (const file of files.filter((f) => !f.endsWith('.tmp'))) {
    // "<sent> <answered ok>" (see countly.lua)
    const [s, o] = (await readFile(join(dir, file), 'utf8').catch(() => '')).trim().split(/\s+/).map(Number);
    if (s !== undefined && Number.isFinite(s)) sent += s;
    if (o !== undefined && Number.isFinite(o)) ok += o;
  }
  report?.(sent, ok);
}
