import { measurementDefinitions } from '../bench/measurements/registry.js';
import { formatNumber, formatSeconds, instanceTypes } from './format.js';
import { chartDataOf, type ChartData } from './chart-data.js';
import { escapeHtml, selfContainedPage, type PageAssets } from './page.js';
import type { RunRecord } from '../model/run-record.js';

export interface ComparisonRow {
  label: string;
  values: string[];
}

/** Side-by-side rows for runs: what differs between deployment models (nodes, provider) and what was measured. */
export function comparisonRows(runs: readonly RunRecord[]): ComparisonRow[] {
  const row = (label: string, f: (r: RunRecord) => string): ComparisonRow => ({ label, values: runs.map(f) });
  // Each measurement declares the rows it contributes (registry.ts); a run without it shows '–'.
  const measurementRows = measurementDefinitions().flatMap((d) =>
    d.compare.map((c) =>
      row(`${d.name}: ${c.label}`, (r) => {
        const result = r.results.measurements.find((m) => m.name === d.name);
        const v = result ? c.value(result) : undefined;
        return c.unit === 'seconds' ? formatSeconds(v) : formatNumber(v, 2);
      }),
    ),
  );
  const money = (v: number | null, r: RunRecord): string =>
    v === null ? '–' : `${v.toPrecision(4)} ${r.cost.currency}`;
  // A run without HTTP load says so in every HTTP cell: "not measured" is not the same as zero.
  const httpRow = (
    label: string,
    f: (http: NonNullable<RunRecord['results']['http']>) => string,
  ): ComparisonRow => row(label, (r) => (r.results.http ? f(r.results.http) : 'not measured'));
  const chaos = (r: RunRecord) => r.results.chaos;
  return [
    row('provider', (r) => r.Metadata.provider),
    row('cluster', (r) => r.Metadata.cluster ?? '–'),
    row('kubernetes', (r) => r.Metadata.kubernetesVersion ?? '–'),
    row('nodes', (r) => `${r.Metadata.nodes.count}${r.Metadata.nodes.simulated ? ' (simulated)' : ''}`),
    row('region', (r) => r.Metadata.region ?? '–'),
    row('instance type', (r) => instanceTypes(r.Metadata)),
    row(
      'duration',
      (r) => `${((Date.parse(r.Metadata.end) - Date.parse(r.Metadata.start)) / 1000).toFixed(1)} s`,
    ),
    row('HTTP', (r) =>
      r.results.http
        ? `${r.results.http.generator}, ${r.results.http.model} model`
        : `skipped: ${(r.results.httpSkipped ?? 'no load ran').split(':')[0] ?? ''}`,
    ),
    row('served by', (r) =>
      !r.results.http
        ? 'not measured'
        : r.results.stack?.apiServer === 'ingest'
          ? 'ingest server (Countly-shaped)'
          : (r.results.stack?.apiServer ?? r.results.http.target),
    ),
    row('left out of the stack', (r) =>
      r.results.stack?.leftOut.length ? r.results.stack.leftOut.map((c) => c.name).join(', ') : '–',
    ),
    httpRow('requests', (h) => formatNumber(h.requests)),
    httpRow('requests/s', (h) => formatNumber(h.requestsPerSecond, 1)),
    httpRow('errors', (h) => formatNumber(Object.values(h.errors).reduce((a, b) => a + b, 0))),
    httpRow('latency p50', (h) => formatSeconds(h.latency.p50)),
    httpRow('latency p99', (h) => formatSeconds(h.latency.p99)),
    httpRow('latency p99.9', (h) => formatSeconds(h.latency.p999)),
    httpRow('latency max', (h) => formatSeconds(h.latency.max)),
    httpRow("checked against the generators' logs", (h) =>
      h.crossCheck ? (h.crossCheck.agree ? 'agree' : 'DISAGREE') : 'not checked',
    ),
    row('chaos', (r) => {
      const c = chaos(r);
      return c ? `${c.kills.length} ${c.action} every ${c.intervalSeconds} s (seed ${c.seed})` : '–';
    }),
    row('chaos: slowest recovery', (r) => {
      const kills = chaos(r)?.kills ?? [];
      if (kills.length === 0) return '–';
      if (kills.some((k) => k.recoverySeconds === null)) return 'not recovered';
      return formatSeconds(Math.max(...kills.map((k) => k.recoverySeconds ?? 0)));
    }),
    row('chaos: failed requests', (r) => {
      const kills = chaos(r)?.kills ?? [];
      if (kills.length === 0) return '–';
      if (!r.results.http) return 'not measured (no traffic)';
      return formatNumber(kills.reduce((sum, k) => sum + (k.failedRequests ?? 0), 0));
    }),
    ...measurementRows,
    row(
      'SLOs passed',
      (r) =>
        `${r.results.slos.filter((s) => s.pass === true).length}/${r.results.slos.filter((s) => s.pass !== null).length}`,
    ),
    row('cost of run', (r) => money(r.cost.total, r)),
    row('cost / million requests', (r) => money(r.cost.perMillionRequests, r)),
    row('not measured', (r) => {
      const skipped = [
        ...(r.results.http ? [] : ['HTTP load']),
        ...r.results.measurementsSkipped.map((m) => m.name),
      ];
      return skipped.length ? skipped.join(', ') : '–';
    }),
  ];
}

export function comparisonText(runs: readonly RunRecord[]): string {
  const rows = [{ label: '', values: runs.map((r) => r.id) }, ...comparisonRows(runs)];
  const widths = [
    Math.max(...rows.map((r) => r.label.length)),
    ...runs.map((_, i) => Math.max(...rows.map((r) => (r.values[i] ?? '').length))),
  ];
  return rows
    .map((r) =>
      [r.label.padEnd(widths[0] ?? 0), ...r.values.map((v, i) => v.padEnd(widths[i + 1] ?? 0))]
        .join('   ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** One run as the compare page draws it: its charts over seconds since its own start. */
export interface CompareRun {
  label: string;
  start: string;
  charts: ChartData;
  /** Its report, relative to the compare page; absent when it has none. */
  report?: string;
}

/**
 * The runs side by side as one self-contained page: the comparison table, then their charts overlaid
 * (requests/s, failures, Countly API replicas and latency by percentile), each run linked to its report.
 */
export function comparisonHtml(
  runs: readonly RunRecord[],
  assets: PageAssets,
  reportLink: (id: string) => string | undefined = () => undefined,
): string {
  const head = `<tr><th></th>${runs
    .map((r) => {
      const link = reportLink(r.id);
      return `<th>${link ? `<a href="${escapeHtml(link)}">${escapeHtml(r.id)}</a>` : escapeHtml(r.id)}</th>`;
    })
    .join('')}</tr>`;
  const rows = comparisonRows(runs)
    .map(
      (r) =>
        `<tr><th>${escapeHtml(r.label)}</th>${r.values.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`,
    )
    .join('');
  const data: CompareRun[] = runs.map((r) => {
    const report = reportLink(r.id);
    return { label: r.id, start: r.Metadata.start, charts: chartDataOf(r), ...(report ? { report } : {}) };
  });
  const title = `cncfdemo: ${runs.length} runs compared`;
  return selfContainedPage({
    title,
    body: `<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(runs.map((r) => r.id).join(' · '))}</p></header>
<main>
<section><table id="comparison"><thead>${head}</thead><tbody>${rows}</tbody></table></section>
<div class="charts" id="overlays"></div>
</main>`,
    styles: [assets.uplotCss, assets.reportCss],
    scripts: [assets.uplotJs, assets.chartsJs, assets.compareJs],
    data: { 'compare-data': data },
  });
}
