import { describe, expect, it } from 'vitest';
import { EventStream, type RunEvent } from '../events/index.js';
import { liveChartData } from './chart-data.js';

/** Records what an EventStream emits, as the run log writes it. */
function recorded(fill: (events: EventStream) => void): RunEvent[] {
  const stream = new EventStream();
  const events: RunEvent[] = [];
  stream.subscribe((e) => events.push(e));
  fill(stream);
  return events;
}

describe('liveChartData', () => {
  it('folds samples into the record-shaped series, kills into marks and phases into the timeline', () => {
    const events = recorded((s) => {
      s.emit({ scope: 'bench', id: 'load', title: 'wrk', phase: 'start' });
      s.sample({ group: 'throughput', name: 'req/s', t: 10, v: 100 });
      s.sample({ group: 'throughput', name: 'req/s', t: 11, v: 120 });
      s.sample({ group: 'replicas', name: 'ns/countly-api ready', t: 10, v: 2 });
      s.sample({ group: 'replicas', name: 'other/countly-api ready', t: 10, v: 1 });
      s.sample({ group: 'kill', name: 'countly-api-x', t: 10.5, v: 2 });
    });
    const charts = liveChartData(events);
    expect(charts.throughput).toEqual([
      { t: 10, v: 100 },
      { t: 11, v: 120 },
    ]);
    expect(charts.failures).toBeNull();
    expect(charts.series.replicas.map((s) => s.name)).toEqual([
      'ns/countly-api ready',
      'other/countly-api ready',
    ]);
    expect(charts.kills).toEqual([10.5]);
    expect(charts.phases).toEqual([{ title: 'wrk', start: events[0]?.time, end: null }]);
    expect(charts.latencyCurve).toEqual([]);
    expect(charts.latencyNote).toMatch(/once the load has ended/);
  });

  it("gives a skipped HTTP phase's reason as the HTTP charts' note", () => {
    const charts = liveChartData(
      recorded((s) => {
        s.emit({ scope: 'bench', id: 'http', title: 'HTTP load', phase: 'start' });
        s.emit({
          scope: 'bench',
          id: 'http',
          title: 'HTTP load',
          phase: 'end',
          outcome: 'skipped',
          message: 'nodes are simulated',
        });
      }),
    );
    expect(charts.throughput).toBeNull();
    expect(charts.httpNote).toBe('HTTP load skipped: nodes are simulated');
    expect(charts.latencyNote).toBe('HTTP load skipped: nodes are simulated');
  });
});
