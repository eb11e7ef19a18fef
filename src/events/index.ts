/**
 * One stream of typed events runs through every long operation (cluster create, stack components,
 * benchmark phases, doctor checks). The terminal progress view, the web dashboard and the run record
 * all read the same stream.
 */
export type EventPhase = 'start' | 'progress' | 'end';
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
}

export type EventListener = (event: RunEvent) => void;

export class EventStream {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
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
