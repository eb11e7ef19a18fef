import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../errors/index.js';
import type { RunEvent } from '../events/index.js';
import { runRecordProblems } from './validate.js';
import type { PhaseRecord, RunRecord } from '../model/run-record.js';

export const runsDir = (home: string): string => join(home, 'runs');

/** Folds start/progress/end events into one record per operation, in start order. */
export function phasesFromEvents(events: readonly RunEvent[]): PhaseRecord[] {
  const phases = new Map<string, PhaseRecord>();
  for (const e of events) {
    const key = `${e.scope}/${e.id}`;
    if (e.phase === 'start') {
      phases.set(key, {
        scope: e.scope,
        id: e.id,
        title: e.title,
        start: e.time,
        end: null,
        outcome: null,
        durationMs: null,
      });
      continue;
    }
    const phase = phases.get(key);
    if (!phase || e.phase !== 'end') continue;
    phase.end = e.time;
    phase.outcome = e.outcome ?? null;
    phase.durationMs = e.durationMs ?? null;
    if (e.message) phase.message = e.message;
    if (e.output) phase.output = e.output;
  }
  return [...phases.values()];
}

/** Writes run.json after checking it against the schema (an invalid record is a bug, not user input). */
export async function writeRunRecord(home: string, record: RunRecord): Promise<string> {
  const problems = runRecordProblems(record);
  if (problems.length > 0)
    throw new Error(`run record ${record.id} does not match its schema: ${problems.join('; ')}`);
  const dir = join(runsDir(home), record.id);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'run.json');
  await writeFile(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

/** Reads a run by id (under runs/) or by the path of its directory or run.json. */
export async function readRunRecord(home: string, run: string): Promise<{ record: RunRecord; dir: string }> {
  const candidates = [join(runsDir(home), run, 'run.json'), resolve(run, 'run.json'), resolve(run)];
  for (const path of candidates) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    const value = JSON.parse(text) as unknown;
    const problems = runRecordProblems(value);
    if (problems.length > 0) {
      throw new UserError(
        `${path} is not a valid run record: ${problems.slice(0, 3).join('; ')}`,
        'was it written by another version of cncfdemo?',
      );
    }
    return { record: value as RunRecord, dir: resolve(path, '..') };
  }
  throw new UserError(`no run "${run}" in ${runsDir(home)}`, 'list runs with: cncfdemo runs');
}

/** Every readable run under runs/, oldest first. */
export async function listRunRecords(home: string): Promise<RunRecord[]> {
  const ids = (await readdir(runsDir(home)).catch(() => [])).sort();
  const records: RunRecord[] = [];
  for (const id of ids) {
    try {
      records.push((await readRunRecord(home, id)).record);
    } catch {
      // a run still being written, or foreign files: not listed
    }
  }
  return records;
}
