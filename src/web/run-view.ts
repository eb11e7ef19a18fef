/**
 * One run as the live UI shows it, rebuilt from its files as they grow: the summary, its phases with the
 * latest progress message, and its charts (live samples while it runs, the record's once run.json exists).
 */
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../events/index.js';
import { chartDataOf, liveChartData, type ChartData } from '../report/chart-data.js';
import { readRunStatus } from '../report/run-log.js';
import { phasesFromEvents } from '../report/store.js';
import { parseEventLines, summarizeRun, type RunSummary } from './runs.js';
import type { PhaseRecord, RunRecord } from '../model/run-record.js';

export interface LivePhase extends PhaseRecord {
  /** The last progress message while it runs (what it waits for), else its end message. */
  latest?: string;
}

export interface RunView {
  summary: RunSummary;
  phases: LivePhase[];
  charts: ChartData;
}

/** The phases with each one's latest progress message. */
export function livePhases(events: readonly RunEvent[]): LivePhase[] {
  const latest = new Map<string, string>();
  for (const e of events)
    if (e.phase === 'progress' && e.message) latest.set(`${e.scope}/${e.id}`, e.message);
  return phasesFromEvents(events).map((p) => {
    const message = p.end === null ? latest.get(`${p.scope}/${p.id}`) : p.message;
    return message ? { ...p, latest: message } : p;
  });
}

/**
 * Follows one run directory: `refresh()` reads what was appended to events.jsonl since the last call (a
 * line still being written waits for the next) and looks at status.json and run.json; it returns the new
 * view when anything changed, else undefined.
 */
export class RunFollower {
  readonly #dir: string;
  readonly #id: string;
  #offset = 0;
  #partial = '';
  readonly #events: RunEvent[] = [];
  #stamp = '';
  #recordStamp = '';
  #cachedRecord: RunRecord | undefined;

  constructor(runsDir: string, id: string) {
    this.#id = id;
    this.#dir = join(runsDir, id);
  }

  async refresh(now = Date.now()): Promise<RunView | undefined> {
    const grew = await this.#readNew();
    const [status, record, report] = await Promise.all([
      readRunStatus(this.#dir),
      this.#record(),
      stat(join(this.#dir, 'report.html')).then(
        () => true,
        () => false,
      ),
    ]);
    // Open phases grow without new events: the page draws them up to its own clock.
    const stamp = JSON.stringify([status?.state, status?.ended, record?.id, report]);
    if (!grew && stamp === this.#stamp) return undefined;
    this.#stamp = stamp;
    return {
      summary: summarizeRun(this.#id, this.#events, record, report || record !== undefined, now, status),
      phases: livePhases(this.#events),
      charts: record ? chartDataOf(record) : liveChartData(this.#events),
    };
  }

  async #readNew(): Promise<boolean> {
    const handle = await open(join(this.#dir, 'events.jsonl'), 'r').catch(() => undefined);
    if (!handle) return false;
    try {
      const { size } = await handle.stat();
      if (size <= this.#offset) return false;
      const buffer = Buffer.alloc(size - this.#offset);
      await handle.read(buffer, 0, buffer.length, this.#offset);
      this.#offset = size;
      const lines = (this.#partial + buffer.toString('utf8')).split('\n');
      this.#partial = lines.pop() ?? '';
      this.#events.push(...parseEventLines(lines.join('\n')));
      return true;
    } finally {
      await handle.close();
    }
  }

  /** run.json, read again only when it changed (a finished run's page keeps polling its files). */
  async #record(): Promise<RunRecord | undefined> {
    const path = join(this.#dir, 'run.json');
    const info = await stat(path).catch(() => undefined);
    const stamp = info ? `${String(info.mtimeMs)}/${String(info.size)}` : '';
    if (stamp === this.#recordStamp) return this.#cachedRecord;
    try {
      this.#cachedRecord = info ? (JSON.parse(await readFile(path, 'utf8')) as RunRecord) : undefined;
      this.#recordStamp = stamp;
    } catch {
      this.#cachedRecord = undefined; // being written: read again next time
    }
    return this.#cachedRecord;
  }
}

/**
 * One follower per run, shared by every client watching it: the files are read and the view serialized
 * once per change whatever the number of clients, and a client that joins gets the last view at once.
 * The run's follower and its timer go when its last client leaves.
 */
export class RunFeeds {
  readonly #feeds = new Map<
    string,
    { follower: RunFollower; clients: Set<(json: string) => void>; last?: string; timer?: NodeJS.Timeout }
  >();

  constructor(
    private readonly runsDir: string,
    private readonly pollMs: number,
  ) {}

  subscribe(id: string, client: (json: string) => void): () => void {
    let feed = this.#feeds.get(id);
    if (!feed) {
      const created = {
        follower: new RunFollower(this.runsDir, id),
        clients: new Set<(json: string) => void>(),
      };
      this.#feeds.set(id, created);
      feed = created;
      this.#look(id);
    } else if (feed.last !== undefined) {
      client(feed.last);
    }
    feed.clients.add(client);
    return () => {
      const current = this.#feeds.get(id);
      if (!current) return;
      current.clients.delete(client);
      if (current.clients.size === 0) {
        clearTimeout(current.timer);
        this.#feeds.delete(id);
      }
    };
  }

  /** Runs followed now (a test of what dropped clients leave behind). */
  get size(): number {
    return this.#feeds.size;
  }

  close(): void {
    for (const feed of this.#feeds.values()) clearTimeout(feed.timer);
    this.#feeds.clear();
  }

  /** One look at the files at a time; the next comes pollMs after the last one ended. */
  #look(id: string): void {
    const feed = this.#feeds.get(id);
    if (!feed) return;
    void feed.follower
      .refresh()
      .catch(() => undefined)
      .then((view) => {
        if (this.#feeds.get(id) !== feed) return; // every client left meanwhile
        if (view) {
          feed.last = JSON.stringify(view);
          for (const client of feed.clients) client(feed.last);
        }
        feed.timer = setTimeout(() => {
          this.#look(id);
        }, this.pollMs);
      });
  }
}
