import { describe, expect, it } from 'vitest';
import { showStackProgress } from '../../../src/cli/ui/stack-progress.js';
import { EventStream } from '../../../src/events/index.js';

function stream(isTTY: boolean): {
  out: { write: (s: string) => void; isTTY: boolean; columns: number };
  text: () => string;
} {
  let text = '';
  return {
    out: {
      write: (s: string) => {
        text += s;
      },
      isTTY,
      columns: 120,
    },
    text: () => text,
  };
}

function play(events: EventStream): void {
  const e = (id: string, title: string, phase: 'start' | 'progress' | 'end', extra: object = {}): void => {
    events.emit({ scope: 'stack', id, title, phase, ...extra });
  };
  e('mongos', 'mongos query router', 'progress', { message: 'waiting for mongo-config-init' });
  e('base', 'Namespaces', 'start');
  e('base', 'Namespaces', 'progress', { message: 'applying 4 objects' });
  e('base', 'Namespaces', 'end', { outcome: 'ok', durationMs: 1234 });
  e('mongos', 'mongos query router', 'start');
  e('mongos', 'mongos query router', 'end', {
    outcome: 'failed',
    durationMs: 2000,
    message: 'ImagePullBackOff',
  });
  events.emit({ scope: 'bench', id: 'x', title: 'not ours', phase: 'start' });
}

describe('stack progress view', () => {
  it('keeps one line per component on a terminal, redrawn in place, ending in its final state', () => {
    const events = new EventStream();
    const { out, text } = stream(true);
    const stop = showStackProgress(events, out);
    play(events);
    stop();
    const ESC = String.fromCharCode(27);
    const frames = text().split(new RegExp(`${ESC}\\[\\d+A`));
    const last = (frames.at(-1) ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(`${ESC}[2K`, ''));
    expect(last).toEqual([
      '✗ mongos query router  failed after 2.0s: ImagePullBackOff',
      '✓ Namespaces           ready in 1.2s',
    ]);
    expect(text()).toContain('· mongos query router  waiting for mongo-config-init');
    expect(text()).not.toContain('not ours');
  });

  it('prints plain lines when stderr is not a terminal', () => {
    const events = new EventStream();
    const { out, text } = stream(false);
    const stop = showStackProgress(events, out);
    play(events);
    stop();
    expect(text()).not.toContain(`${String.fromCharCode(27)}[`);
    expect(text().split('\n')).toEqual(
      expect.arrayContaining([
        '  mongos query router: waiting for mongo-config-init',
        '✓ Namespaces (1.2s)',
        '✗ mongos query router failed after 2.0s: ImagePullBackOff',
      ]),
    );
  });
});
