/**
 * One stream of typed events runs through every long operation (cluster create, stack components,
 * benchmark phases, doctor checks). The terminal progress view, the web dashboard and the run record
 * all read the same stream.
 */
export type EventPhase = 'start' | 'progress' | 'end' | 'sample';
export type EventOutcome = 'ok' | 'failed' | 'skipped';

export interface RunEvent {
  /** ISO-8601 time the event happened. */
  time: string;
  /** The capability that emitted it: cluster, stack, bench, doctor, ... */
  scope: string;
  /** Stable id of the operation within its scope (component name, phase id, check id). */
  id: string;
  title: string;
  phase: EventPhase;
  /** Set on `end`. */
  outcome?: EventOutcome;
  message?: string;
  /** Command output worth keeping in the run record. */
  output?: string;
  /** Set on `end`: time since the matching `start`. */
  durationMs?: number;
  /** Set on `sample`: one point of a benchmark series, taken while the run goes on (the live charts). */
  sample?: RunSample;
}

/**
 * The series a benchmark samples while it runs, named after where the run record keeps them:
 * `results.http.throughput` / `.failures`, `results.series.<group>`, and the chaos kills.
 */
export const SAMPLE_GROUPS = [
  'throughput',
  'failures',
  'replicas',
  'podsByPriority',
  'boincWork',
  'kill',
] as const;
export type SampleGroup = (typeof SAMPLE_GROUPS)[number];

export interface RunSample {
  group: SampleGroup;
  /** The series within its group (a namespace's countly-api, a priority class); the pod for a kill. */
  name: string;
  /** Unix seconds, as the record's time points. */
  t: number;
  v: number;
}

export type EventListener = (event: RunEvent) => void;

export class EventStream {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** One point of a live series (phase `sample`, scope `bench`): the web UI draws it as it arrives. */
  sample(sample: RunSample): void {
    this.emit({ scope: 'bench', id: `sample/${sample.group}`, title: sample.group, phase: 'sample', sample });
  }

  emit(event: Omit<RunEvent, 'time'> & { time?: string }): void {
    const full: RunEvent = { ...event, time: event.time ?? new Date().toISOString() };
    for (const listener of this.#listeners) listener(full);
  }
}

export interface TrackedEnd<T> {
  /** Output worth keeping with the operation (a load generator's summary): goes on the end event. */
  output?: (result: T) => string | undefined;
}

/** Runs `work` between a start and an end event; the end carries the outcome, duration, output and error. */
export async function tracked<T>(
  events: EventStream | undefined,
  scope: string,
  id: string,
  title: string,
  work: (progress: (message: string) => void) => Promise<T>,
  end: TrackedEnd<T> = {},
): Promise<T> {
  const started = Date.now();
  events?.emit({ scope, id, title, phase: 'start' });
  const progress = (message: string): void => events?.emit({ scope, id, title, phase: 'progress', message });
  try {
    const result = await work(progress);
    const output = end.output?.(result);
    events?.emit({
      scope,
      id,
      title,
      phase: 'end',
      outcome: 'ok',
      durationMs: Date.now() - started,
      ...(output ? { output } : {}),
    });
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    events?.emit({
      scope,
      id,
      title,
      phase: 'end',
      outcome: 'failed',
      message,
      durationMs: Date.now() - started,
    });
    throw err;
  }
}
