import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setPriority } from 'node:os';

/** A long-running local process (Prometheus, Pushgateway) that we started and must stop. */
export interface Daemon {
  readonly name: string;
  readonly pid: number | undefined;
  /** Combined stdout/stderr, last 64 KiB, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartDaemonOptions {
  name: string;
  command: string;
  args: readonly string[];
  /** Scheduling niceness (0-19): monitoring daemons yield the CPU to the load generator and its target. */
  nice?: number;
  /** Answers true once the process serves; polled with backoff until `timeoutMs`. */
  ready: () => Promise<boolean>;
  timeoutMs?: number;
  cwd?: string;
  /** The process's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

const OUTPUT_LIMIT = 64 * 1024;

/** Starts a process and resolves when `ready()` says so; rejects (and stops it) if it exits or times out first. */
export async function startDaemon(options: StartDaemonOptions): Promise<Daemon> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (options.nice !== undefined && child.pid !== undefined) {
    try {
      setPriority(child.pid, options.nice);
    } catch {
      // not permitted here: run at normal priority
    }
  }
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(`exited (${signal ?? `code ${code ?? '?'}`})`);
    });
    child.once('error', (err) => {
      resolve(`failed to start: ${err.message}`);
    });
  });
  const daemon: Daemon = {
    name: options.name,
    pid: child.pid,
    output: () => output,
    stop: () => stopChild(child),
  };
  const outcome = await Promise.race([waitReady(options.ready, options.timeoutMs ?? 30_000), exited]);
  if (outcome !== 'ready') {
    await daemon.stop();
    const tail = output.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${options.name} ${outcome}${tail ? `: ${tail}` : ''}`);
  }
  return daemon;
}

async function waitReady(ready: () => Promise<boolean>, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return 'ready';
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
  return `was not ready after ${timeoutMs / 1000}s`;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** True when GET `url` answers 2xx. */
export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.ok;
}
