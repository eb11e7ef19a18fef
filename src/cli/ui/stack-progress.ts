import type { EventStream, RunEvent } from '../../events/index.js';
import type { OutputStream } from '../context.js';
import { formatEvent } from './event-log.js';

type State = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

interface Line {
  title: string;
  state: State;
  message: string;
  startedAt?: number;
  durationMs?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ICONS: Record<State, string> = { pending: '·', running: '', done: '✓', failed: '✗', skipped: '-' };
const FRAME_MS = 100;

/**
 * Shows a stack run: on a terminal, one live line per component (pending / applying / waiting for X /
 * ready in N s / failed with reason), redrawn in place; elsewhere, one plain line per change.
 * Returns a function that draws the final state and stops.
 */
export function showStackProgress(events: EventStream, stderr: OutputStream, scope = 'stack'): () => void {
  if (!stderr.isTTY) {
    return events.subscribe((event) => {
      if (event.scope !== scope) return;
      const line =
        event.phase === 'progress'
          ? `  ${event.title}: ${event.message ?? ''}`
          : event.phase === 'end' && event.outcome === 'failed'
            ? `✗ ${event.title} failed after ${((event.durationMs ?? 0) / 1000).toFixed(1)}s: ${event.message ?? ''}`
            : formatEvent(event);
      if (line) stderr.write(`${line}\n`);
    });
  }
  const lines = new Map<string, Line>();
  let drawn = 0;
  let frame = 0;
  const draw = (): void => {
    const width = Math.max((stderr.columns ?? 100) - 1, 40);
    const titleWidth = Math.min(Math.max(...[...lines.values()].map((l) => l.title.length), 10), 40);
    const out = [...lines.values()].map((l) => {
      const icon = l.state === 'running' ? (SPINNER[frame % SPINNER.length] ?? '*') : ICONS[l.state];
      return `${icon} ${l.title.padEnd(titleWidth)}  ${describe(l)}`.slice(0, width);
    });
    stderr.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${out.map((l) => `\x1b[2K${l}\n`).join('')}`);
    drawn = out.length;
  };
  const unsubscribe = events.subscribe((event) => {
    if (event.scope !== scope) return;
    update(lines, event);
    draw();
  });
  const timer = setInterval(() => {
    frame++;
    if ([...lines.values()].some((l) => l.state === 'running')) draw();
  }, FRAME_MS);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    unsubscribe();
    draw();
  };
}

function update(lines: Map<string, Line>, event: RunEvent): void {
  const line = lines.get(event.id) ?? { title: event.title, state: 'pending', message: '' };
  if (event.phase === 'start') {
    line.state = 'running';
    line.message = 'starting';
    line.startedAt = Date.parse(event.time);
  } else if (event.phase === 'progress') {
    line.message = event.message ?? line.message;
  } else {
    line.state = event.outcome === 'ok' ? 'done' : event.outcome === 'skipped' ? 'skipped' : 'failed';
    line.message = event.message ?? '';
    if (event.durationMs !== undefined) line.durationMs = event.durationMs;
  }
  lines.set(event.id, line);
}

function describe(line: Line): string {
  const seconds = `${((line.durationMs ?? 0) / 1000).toFixed(1)}s`;
  switch (line.state) {
    case 'done':
      return `ready in ${seconds}`;
    case 'failed':
      return `failed after ${seconds}: ${line.message}`;
    case 'skipped':
      return line.message;
    case 'pending':
      return line.message || 'pending';
    case 'running':
      return line.message;
  }
}
