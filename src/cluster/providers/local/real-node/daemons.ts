import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isLiveProcess } from '../process.js';
import { logSummary } from '../log-summary.js';

/** A node process cncfdemo starts and that outlives the command, like the control plane kwokctl starts. */
export interface DaemonSpec {
  /** Also the pid and log file's name. */
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface DaemonDirs {
  pids: string;
  logs: string;
}

const pidFile = (dirs: DaemonDirs, name: string): string => join(dirs.pids, `${name}.pid`);

async function readPid(dirs: DaemonDirs, name: string): Promise<number | undefined> {
  const text = await readFile(pidFile(dirs, name), 'utf8').catch(() => undefined);
  const pid = Number(text?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The daemon's pid when its pid file names a live process of that program. */
export async function livePid(
  dirs: DaemonDirs,
  spec: Pick<DaemonSpec, 'name' | 'command'>,
): Promise<number | undefined> {
  const pid = await readPid(dirs, spec.name);
  return pid !== undefined && (await isLiveProcess(pid, basename(spec.command))) ? pid : undefined;
}

/** Starts the daemon in its own session (so Ctrl-C on the CLI does not reach it), appending to its log. */
export async function startDaemon(dirs: DaemonDirs, spec: DaemonSpec): Promise<number> {
  const running = await livePid(dirs, spec);
  if (running !== undefined) return running;
  await mkdir(dirs.pids, { recursive: true });
  await mkdir(dirs.logs, { recursive: true });
  const log = await open(join(dirs.logs, `${spec.name}.log`), 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: spec.env ?? process.env,
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        resolve(child.pid ?? 0);
      });
    });
    child.unref();
    await writeFile(pidFile(dirs, spec.name), `${String(pid)}\n`);
    return pid;
  } finally {
    await log.close();
  }
}

/** What a daemon's log says of why it stopped (log-summary.ts), for error messages. */
export async function logTail(dirs: DaemonDirs, name: string, lines = 3): Promise<string> {
  return logSummary(await readFile(join(dirs.logs, `${name}.log`), 'utf8').catch(() => ''), lines);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Returns whether it was running. */
export async function stopDaemon(
  dirs: DaemonDirs,
  spec: Pick<DaemonSpec, 'name' | 'command'>,
  graceMs = 10_000,
): Promise<boolean> {
  const pid = await livePid(dirs, spec);
  await rm(pidFile(dirs, spec.name), { force: true });
  if (pid === undefined) return false;
  const program = basename(spec.command);
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (await isLiveProcess(pid, program)) {
    if (Date.now() > deadline) signal(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
