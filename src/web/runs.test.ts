import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../events/index.js';
import { isRunId, listRunSummaries, parseEventLines, summarizeRun } from './runs.js';
import type { RunRecord } from '../model/run-record.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (seconds: number): string => new Date(NOW - 60_000 + seconds * 1000).toISOString();
const event = (e: Partial<RunEvent> & Pick<RunEvent, 'id' | 'phase'>): RunEvent => ({
  time: at(0),
  scope: 'stack',
  title: e.id,
  ...e,
});

const started: RunEvent[] = [
  event({ id: 'prometheus', phase: 'start', time: at(0) }),
  event({ id: 'mongo', phase: 'start', time: at(1) }),
  event({ id: 'prometheus', phase: 'end', outcome: 'ok', durationMs: 2000, time: at(2) }),
];

describe('web UI run summaries', () => {
  it('a run with an open phase and a recent event is running', () => {
    const s = summarizeRun('20260101T115900Z-start-ab12', started, undefined, false, NOW);
    expect(s).toMatchObject({ command: 'start', state: 'running', phases: 2, failedPhases: 0, ended: null });
    expect(s.started).toBe(at(0));
  });

  it('a run whose open phase saw no event for 10 minutes was interrupted', () => {
    const s = summarizeRun('x-start-ab12', started, undefined, false, NOW + 11 * 60_000);
    expect(s.state).toBe('interrupted');
  });

  it('a run with every phase ended is ok, or failed when one failed', () => {
    const done = [
      ...started,
      event({ id: 'mongo', phase: 'end', outcome: 'ok', durationMs: 1, time: at(3) }),
    ];
    expect(summarizeRun('x-stop-ab12', done, undefined, false, NOW)).toMatchObject({
      command: 'stop',
      state: 'ok',
      ended: at(3),
    });
    const failed = [...started, event({ id: 'mongo', phase: 'end', outcome: 'failed', time: at(3) })];
    expect(summarizeRun('x-start-ab12', failed, undefined, false, NOW)).toMatchObject({
      state: 'failed',
      failedPhases: 1,
    });
  });

  it('a benchmark is summarized from its run record', async () => {
    const record = JSON.parse(
      await readFile(join(import.meta.dirname, '../../test/fixtures/report/valid-cluster-run.json'), 'utf8'),
    ) as RunRecord;
    const s = summarizeRun(record.id, [], record, true, NOW);
    expect(s.command).toBe('benchmark');
    expect(s.started).toBe(record.Metadata.start);
    expect(s.hasReport).toBe(true);
    expect(s.headline).toMatch(
      new RegExp(`^${record.Metadata.provider}, ${String(record.Metadata.nodes.count)} `),
    );
  });

  it('skips a half-written last line and blank lines', () => {
    const text = `${JSON.stringify(started[0])}\n\n${JSON.stringify(started[1])}\n{"time":"20`;
    expect(parseEventLines(text)).toEqual([started[0], started[1]]);
  });

  it.each(['../etc', '..', 'a/b', '', '.hidden', 'a b', '%2e%2e'])('refuses %j as a run id', (id) => {
    expect(isRunId(id)).toBe(false);
  });

  it.each(['20260101-120000-1a2b', '20260101T120000Z-start-1a2b'])('accepts %j as a run id', (id) => {
    expect(isRunId(id)).toBe(true);
  });
});

describe('listRunSummaries', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'web-runs-'));
    const runs = join(home, 'runs');
    for (const id of ['20260101T100000Z-start-aaaa', '20260101T110000Z-stop-bbbb', 'empty-dir']) {
      await mkdir(join(runs, id), { recursive: true });
    }
    await writeFile(
      join(runs, '20260101T100000Z-start-aaaa', 'events.jsonl'),
      started.map((e) => JSON.stringify(e)).join('\n'),
    );
    await writeFile(join(runs, '20260101T110000Z-stop-bbbb', 'events.jsonl'), '');
    await writeFile(join(runs, 'stray-file'), 'not a run');
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('lists run directories newest first, leaving out empty directories and files', async () => {
    const list = await listRunSummaries(home, NOW);
    expect(list.map((r) => r.id)).toEqual(['20260101T110000Z-stop-bbbb', '20260101T100000Z-start-aaaa']);
  });

  it('gives an empty list when there is no runs directory', async () => {
    expect(await listRunSummaries(join(home, 'nowhere'))).toEqual([]);
  });
});
