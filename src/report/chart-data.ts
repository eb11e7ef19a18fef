/**
 * What the charts draw, in one shape for the finished report (from run.json) and for a run still going
 * on (from its event log's phases and samples): web/charts.js draws this shape and nothing else, so the
 * report page, the live UI and the published site share one chart implementation.
 */
import type { RunEvent, SampleGroup } from '../events/index.js';
import { phasesFromEvents } from './store.js';
import type { NamedSeries, RunRecord, TimePoint } from '../model/run-record.js';

export interface ChartPhase {
  title: string;
  start: string;
  /** null: still running (drawn up to now). */
  end: string | null;
}

export interface ChartData {
  /** Requests/s and failed/s over time; null when no load ran (yet). */
  throughput: TimePoint[] | null;
  failures: TimePoint[] | null;
  /** Latency by percentile, known once the load has ended. */
  latencyCurve: { quantile: number; seconds: number }[];
  /** Shown instead of an empty HTTP chart: why it has no data. */
  httpNote: string;
  failuresNote: string;
  latencyNote: string;
  series: { replicas: NamedSeries[]; podsByPriority: NamedSeries[]; boincWork: NamedSeries[] };
  seriesNote: string;
  /** Chaos kills, unix seconds: dashed marks on the charts over time. */
  kills: number[];
  phases: ChartPhase[];
}

const NO_LOAD = 'no HTTP load in this run';

/** The charts of a finished benchmark. */
export function chartDataOf(record: RunRecord): ChartData {
  const { http, httpSkipped } = record.results;
  const skipped = httpSkipped ? `HTTP load skipped: ${httpSkipped}` : NO_LOAD;
  return {
    throughput: http?.throughput ?? null,
    failures: http?.failures ?? null,
    latencyCurve: http?.latencyCurve ?? [],
    httpNote: skipped,
    failuresNote: http
      ? 'this load generator does not report failures while it runs (only in its final totals)'
      : skipped,
    latencyNote: skipped,
    series: record.results.series,
    seriesNote: record.results.seriesNotes.join('; ') || 'no data',
    kills: (record.results.chaos?.kills ?? []).map((k) => Date.parse(k.at) / 1000),
    phases: record.events.map(phaseOf),
  };
}

const phaseOf = (p: { title: string; start: string; end: string | null }): ChartPhase => ({
  title: p.title,
  start: p.start,
  end: p.end,
});

/**
 * The charts of a run from its event log: phases as they open and close, and the samples the benchmark
 * takes while it runs. A skipped HTTP phase gives its reason as the HTTP charts' note.
 */
export function liveChartData(events: readonly RunEvent[]): ChartData {
  const groups = new Map<SampleGroup, Map<string, NamedSeries>>();
  for (const e of events) {
    if (e.phase !== 'sample' || !e.sample) continue;
    const { group, name, t, v } = e.sample;
    const byName = groups.get(group) ?? new Map<string, NamedSeries>();
    const series = byName.get(name) ?? { name, points: [] };
    series.points.push({ t, v });
    byName.set(name, series);
    groups.set(group, byName);
  }
  const of = (group: SampleGroup): NamedSeries[] => [...(groups.get(group)?.values() ?? [])];
  const points = (group: SampleGroup): TimePoint[] | null => {
    const all = of(group).flatMap((s) => s.points);
    return all.length ? all : null;
  };
  const phases = phasesFromEvents(events);
  const skippedHttp = phases.find((p) => p.scope === 'bench' && p.id === 'http' && p.outcome === 'skipped');
  const waiting = skippedHttp?.message
    ? `HTTP load skipped: ${skippedHttp.message}`
    : 'waiting for the first samples of the load';
  return {
    throughput: points('throughput'),
    failures: points('failures'),
    latencyCurve: [],
    httpNote: waiting,
    failuresNote: waiting,
    latencyNote: skippedHttp?.message
      ? waiting
      : 'latency by percentile comes once the load has ended (the load generator reports it at its end)',
    series: { replicas: of('replicas'), podsByPriority: of('podsByPriority'), boincWork: of('boincWork') },
    seriesNote: 'waiting for the first samples of the cluster',
    kills: of('kill').flatMap((s) => s.points.map((p) => p.t)),
    phases: phases.map(phaseOf),
  };
}
