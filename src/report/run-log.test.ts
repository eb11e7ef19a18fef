import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors/index.js';
import { EventStream } from '../events/index.js';
import { INTERRUPTED_EXIT_CODE, newRunId, readRunStatus, recordRun, type RunStatus } from './run-log.js';

const home = (): Promise<string> => mkdtemp(join(tmpdir(), 'run-log-'));

describe('recordRun', () => {
  it('is running while the work runs, then ok; every event lands in events.jsonl', async () => {
    const dir = await home();
    const events = new EventStream();
    let during: RunStatus | undefined;
    const id = await recordRun(dir, 'start', events, async (log) => {
      during = await readRunStatus(log.dir);
      events.emit({ scope: 'stack', id: 'mongo', title: 'mongo', phase: 'start' });
      return log.id;
    });
    expect(during).toMatchObject({ state: 'running', command: 'start', pid: process.pid, ended: null });
    expect(await readRunStatus(join(dir, 'runs', id))).toMatchObject({ state: 'ok', command: 'start' });
    const lines = (await readFile(join(dir, 'runs', id, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { run: string; id: string }).id)).toEqual(['mongo']);
  });

  it('is failed with the error line when the work throws, and rethrows it', async () => {
    const dir = await home();
    let runDir = '';
    await expect(
      recordRun(dir, 'stop', new EventStream(), (log) => {
        runDir = log.dir;
        throw new UserError('cannot reach the API server\nsecond line');
      }),
    ).rejects.toThrow('cannot reach');
    expect(await readRunStatus(runDir)).toMatchObject({
      state: 'failed',
      error: 'cannot reach the API server',
    });
  });

  it('is interrupted when the work ends with the interrupt exit code', async () => {
    const dir = await home();
    let runDir = '';
    await expect(
      recordRun(dir, 'start', new EventStream(), (log) => {
        runDir = log.dir;
        throw new UserError('interrupted', 'run again', INTERRUPTED_EXIT_CODE);
      }),
    ).rejects.toThrow('interrupted');
    expect((await readRunStatus(runDir))?.state).toBe('interrupted');
  });
});

describe('readRunStatus', () => {
  it('reads a running run whose process is gone as interrupted', async () => {
    const dir = join(await home(), 'run');
    await mkdir(dir);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid; // a pid that has exited
    const status: RunStatus = {
      id: 'x',
      command: 'benchmark',
      state: 'running',
      pid: dead,
      host: hostname(),
      started: new Date().toISOString(),
      ended: null,
    };
    await writeFile(join(dir, 'status.json'), JSON.stringify(status));
    expect(await readRunStatus(dir)).toMatchObject({ state: 'interrupted' });
    await writeFile(join(dir, 'status.json'), JSON.stringify({ ...status, pid: process.pid }));
    expect((await readRunStatus(dir))?.state).toBe('running');
  });
});

describe('newRunId', () => {
  it('is one sortable format for every command', () => {
    expect(newRunId('cluster-create', new Date('2026-12-01T21:19:39.123Z'), 'ab12')).toBe(
      '20261201T211939Z-cluster-create-ab12',
    );
  });
});
