import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../events/index.js';
import { phasesFromEvents, runsDir } from '../report/store.js';
import type { RunRecord } from '../report/types.js';

export type RunState = 'running' | 'ok' | 'failed' | 'unfinished';

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
  /** A one-line result: provider and nodes, HTTP rate or why HTTP was skipped. */
  headline: string | null;
  hasReport: boolean;
}

/** A run whose last event is older than this, with phases still open, was interrupted. */
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

/** What a run's files say about it, given its events and (for benchmarks) its record. */
export function summarizeRun(
  id: string,
  events: readonly RunEvent[],
  record: RunRecord | undefined,
  hasReport: boolean,
  now = Date.now(),
): RunSummary {
  const phases = record?.events ?? phasesFromEvents(events);
  const failedPhases = phases.filter((p) => p.outcome === 'failed').length;
  const open = phases.some((p) => p.end === null);
  const lastEvent = events.at(-1)?.time;
  let state: RunState;
  if (record || !open) state = failedPhases > 0 ? 'failed' : 'ok';
  else state = lastEvent && now - Date.parse(lastEvent) < STALE_AFTER_MS ? 'running' : 'unfinished';
  return {
    id,
    command: record ? 'benchmark' : commandOf(id),
    state,
    started: record?.Metadata.start ?? phases[0]?.start ?? null,
    ended: record?.Metadata.end ?? (open ? null : (lastEvent ?? null)),
    phases: phases.length,
    failedPhases,
    headline: record ? headline(record) : null,
    hasReport,
  };
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
    const [eventsText, recordText, report] = await Promise.all([
      readOptional(join(dir, id, 'events.jsonl')),
      readOptional(join(dir, id, 'run.json')),
      stat(join(dir, id, 'report.html')).then(
        () => true,
        () => false,
      ),
    ]);
    let record: RunRecord | undefined;
    try {
      record = recordText ? (JSON.parse(recordText) as RunRecord) : undefined;
    } catch {
      record = undefined; // being written
    }
    if (eventsText === undefined && !record) continue;
    summaries.push(summarizeRun(id, parseEventLines(eventsText ?? ''), record, report, now));
  }
  return summaries;
}
