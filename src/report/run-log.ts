import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/files.js';
import { errorMessage, UserError } from '../errors/index.js';
import type { EventStream, RunEvent } from '../events/index.js';

/**
 * A run's life: `running` while its process works, then `ok`, `failed` or `interrupted` (Ctrl-C, or the
 * process died: a `running` run whose pid is gone on this host).
 */
export type RunState = 'running' | 'ok' | 'failed' | 'interrupted';

/** `<home>/runs/<id>/status.json`: written when the run starts and again when it ends. */
export interface RunStatus {
  id: string;
  /** start, stop, benchmark, cluster-create, ... */
  command: string;
  state: RunState;
  /** The process doing the run, to tell a live run from one whose process died. */
  pid: number;
  host: string;
  started: string;
  ended: string | null;
  /** The error line of a failed or interrupted run. */
  error?: string;
}

/** A run being recorded: its id, directory and every event so far. */
export interface RunLog {
  id: string;
  dir: string;
  eventsFile: string;
  recorded: readonly RunEvent[];
}

export const STATUS_FILE = 'status.json';

/** Exit code of a run stopped by Ctrl-C/SIGTERM (128 + SIGINT), which makes it `interrupted`. */
export const INTERRUPTED_EXIT_CODE = 130;

/** The one run id format of every command: UTC time, the command, a random suffix (sortable by time). */
export function newRunId(command: string, now = new Date(), suffix = randomBytes(2).toString('hex')): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${command}-${suffix}`;
}

/**
 * Runs `work` as a recorded run of `command`: status.json says `running` (with this pid) from the start and
 * the outcome at the end; every event goes to events.jsonl as it happens. The error, if any, is rethrown.
 */
export async function recordRun<T>(
  home: string,
  command: string,
  events: EventStream,
  work: (log: RunLog) => Promise<T>,
): Promise<T> {
  const id = newRunId(command);
  const dir = join(home, 'runs', id);
  await mkdir(dir, { recursive: true });
  const status: RunStatus = {
    id,
    command,
    state: 'running',
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    ended: null,
  };
  await writeStatus(dir, status);
  const eventsFile = join(dir, 'events.jsonl');
  const stream = createWriteStream(eventsFile, { flags: 'a' });
  const recorded: RunEvent[] = [];
  const unsubscribe = events.subscribe((event) => {
    recorded.push(event);
    stream.write(`${JSON.stringify({ run: id, ...event })}\n`);
  });
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      unsubscribe();
      stream.end(() => {
        resolve();
      });
    });
  try {
    const result = await work({ id, dir, eventsFile, recorded });
    await close();
    await writeStatus(dir, { ...status, state: 'ok', ended: new Date().toISOString() });
    return result;
  } catch (err) {
    await close();
    const interrupted = err instanceof UserError && err.exitCode === INTERRUPTED_EXIT_CODE;
    await writeStatus(dir, {
      ...status,
      state: interrupted ? 'interrupted' : 'failed',
      ended: new Date().toISOString(),
      error: errorMessage(err).split('\n')[0] ?? '',
    });
    throw err;
  }
}

/** Written whole or not at all (a reader never sees half a file). */
async function writeStatus(dir: string, status: RunStatus): Promise<void> {
  await writeFileAtomic(join(dir, STATUS_FILE), `${JSON.stringify(status, null, 2)}\n`);
}

/** A run's status; a `running` one whose process is gone (same host) reads as `interrupted`. */
export async function readRunStatus(dir: string): Promise<RunStatus | undefined> {
  let status: RunStatus;
  try {
    status = JSON.parse(await readFile(join(dir, STATUS_FILE), 'utf8')) as RunStatus;
  } catch {
    return undefined;
  }
  if (status.state === 'running' && status.host === hostname() && !isAlive(status.pid)) {
    return {
      ...status,
      state: 'interrupted',
      error: `its process (pid ${status.pid}) ended without finishing it`,
    };
  }
  return status;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
