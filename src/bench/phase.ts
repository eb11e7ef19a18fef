import type { EventStream } from '../events/index.js';

/**
 * Like events' `tracked`, but the work returns the output worth keeping with the phase (a load generator's
 * printed summary), which goes on the end event and so into the run record's timeline.
 */
export async function phaseWithOutput<T>(
  events: EventStream | undefined,
  id: string,
  title: string,
  work: (progress: (message: string) => void) => Promise<{ value: T; output?: string }>,
): Promise<T> {
  const scope = 'bench';
  const started = Date.now();
  events?.emit({ scope, id, title, phase: 'start' });
  const progress = (message: string): void => events?.emit({ scope, id, title, phase: 'progress', message });
  try {
    const { value, output } = await work(progress);
    events?.emit({
      scope,
      id,
      title,
      phase: 'end',
      outcome: 'ok',
      durationMs: Date.now() - started,
      ...(output ? { output } : {}),
    });
    return value;
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
