import type { EventStream, RunEvent } from '../../events/index.js';
import type { OutputStream } from '../context.js';

const seconds = (ms: number | undefined): string => `${((ms ?? 0) / 1000).toFixed(1)}s`;

export function formatEvent(event: RunEvent): string | undefined {
  // Samples feed the live charts of the web UI, not the terminal.
  if (event.phase === 'sample') return undefined;
  if (event.phase === 'start') return `• ${event.title} ...`;
  if (event.phase === 'progress') return event.message ? `  ${event.title}: ${event.message}` : undefined;
  if (event.outcome === 'ok') return `✓ ${event.title} (${seconds(event.durationMs)})`;
  if (event.outcome === 'skipped')
    return `- ${event.title}: skipped${event.message ? ` (${event.message})` : ''}`;
  return `✗ ${event.title} failed after ${seconds(event.durationMs)}`;
}

/** Prints each event as a line on stderr: the plain progress view, good in CI logs and pipes. */
export function printEvents(events: EventStream, stderr: OutputStream): () => void {
  return events.subscribe((event) => {
    const line = formatEvent(event);
    if (line) stderr.write(`${line}\n`);
  });
}
