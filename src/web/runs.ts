import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../events/index.js';
import { readRunStatus, type RunState, type RunStatus } from '../report/run-log.js';
import { phasesFromEvents, runsDir } from '../report/store.js';
import type { RunRecord } from '../model/run-record.js';

export type { RunState } from '../report/run-log.js';

/** One run directory as the web UI lists it: a benchmark (run.json) or a stack command (events.jsonl only). */
export interface RunSummary {
  id: string;
  /** benchmark, start, stop, ... */
  command: string;
  state: RunState;
  started: string | null;
  ended: string | null;
  phases: number;
  failedPhases: number;
  /** A one-line result: provider and nodes, HTTP rate or why HTTP was skipped; or the error. */
  headline: string | null;
  hasReport: boolean;
}

/**
 * Runs recorded before status.json existed: one whose last event is older than this, with phases still
 * open, was interrupted. Runs with a status.json are judged by it (and their process) instead.
 */
export const STALE_AFTER_MS = 10 * 60_000;

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A run id that names a directory under runs/ and nothing else (no separators, no ".."). */
export function isRunId(id: string): boolean {
  return RUN_ID.test(id) && !id.includes('..');
}

/** The events of a JSON-lines file; a line being written (not yet complete) is left out. */
export function parseEventLines(text: string): RunEvent[] {
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      // a partial last line: the next read has it whole
    }
  }
  return events;
}

/** What a run's files say about it: its status (state and process) when it has one, else its events. */
export function summarizeRun(
  id: string,
  events: readonly RunEvent[],
  record: RunRecord | undefined,
  hasReport: boolean,
  now = Date.now(),
  status?: RunStatus,
): RunSummary {
  const phases = record?.events ?? phasesFromEvents(events);
  const failedPhases = phases.filter((p) => p.outcome === 'failed').length;
  const open = phases.some((p) => p.end === null);
  const lastEvent = events.at(-1)?.time;
  let state: RunState;
  if (status) state = status.state;
  else if (record || !open) state = failedPhases > 0 ? 'failed' : 'ok';
  else state = lastEvent && now - Date.parse(lastEvent) < STALE_AFTER_MS ? 'running' : 'interrupted';
  return {
    id,
    command: status?.command ?? (record ? 'benchmark' : commandOf(id)),
    state,
    started: status?.started ?? record?.Metadata.start ?? phases[0]?.start ?? null,
    ended: status ? status.ended : (record?.Metadata.end ?? (open ? null : (lastEvent ?? null))),
    phases: phases.length,
    failedPhases,
    headline: record ? headline(record) : (status?.error ?? null),
    hasReport,
  };
}

/** The time in a run id, today's (20260101T100000Z-...) or the older benchmark one (20260101-100000-...). */
function idTime(id: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})[T-](\d{2})(\d{2})(\d{2})/.exec(id);
  return m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : 0;
}

/** Stack runs are named <time>-<command>-<suffix>; benchmark runs <date>-<time>-<suffix> (and carry run.json). */
function commandOf(id: string): string {
  const word = id.split('-').at(-2) ?? '';
  return /^[a-z]+$/.test(word) ? word : 'benchmark';
}

function headline(record: RunRecord): string {
  const { provider, nodes } = record.Metadata;
  const where = `${provider}, ${String(nodes.count)} ${nodes.simulated ? 'simulated ' : ''}node${nodes.count === 1 ? '' : 's'}`;
  const http = record.results.http;
  return http
    ? `${where}: ${http.requestsPerSecond.toFixed(1)} req/s, p99 ${http.latency.p99 === null ? '-' : `${(http.latency.p99 * 1000).toFixed(1)} ms`}`
    : `${where}: HTTP load skipped`;
}

async function readOptional(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Every run under `<home>/runs`, newest first. */
export async function listRunSummaries(home: string, now = Date.now()): Promise<RunSummary[]> {
  const dir = runsDir(home);
  const ids = (await readdir(dir).catch(() => [])).filter(isRunId).sort().reverse();
  const summaries: RunSummary[] = [];
  for (const id of ids) {
    if (!(await stat(join(dir, id)).catch(() => undefined))?.isDirectory()) continue;
    const [eventsText, recordText, report, status] = await Promise.all([
      readOptional(join(dir, id, 'events.jsonl')),
      readOptional(join(dir, id, 'run.json')),
      stat(join(dir, id, 'report.html')).then(
        () => true,
        () => false,
      ),
      readRunStatus(join(dir, id)),
    ]);
    let record: RunRecord | undefined;
    try {
      record = recordText ? (JSON.parse(recordText) as RunRecord) : undefined;
    } catch {
      record = undefined; // being written
    }
    if (eventsText === undefined && !record && !status) continue;
    // A benchmark's report is its report.html, or rendered from run.json when asked for.
    summaries.push(
      summarizeRun(
        id,
        parseEventLines(eventsText ?? ''),
        record,
        report || record !== undefined,
        now,
        status,
      ),
    );
  }
  // By the time in the id: ids of older versions had another format, so names alone do not sort.
  const key = (s: RunSummary): number => idTime(s.id) || (s.started ? Date.parse(s.started) : 0);
  return summaries.sort((a, b) => key(b) - key(a) || (a.id < b.id ? 1 : -1));
}
