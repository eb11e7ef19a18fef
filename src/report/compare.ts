import { formatNumber, formatSeconds } from './html.js';
import type { RunRecord } from './types.js';

export interface ComparisonRow {
  label: string;
  values: string[];
}

/** Side-by-side rows for runs: what differs between deployment models (nodes, provider) and what was measured. */
export function comparisonRows(runs: readonly RunRecord[]): ComparisonRow[] {
  const row = (label: string, f: (r: RunRecord) => string): ComparisonRow => ({ label, values: runs.map(f) });
  const measurement = (name: string, label: string, column: string, seconds = true): ComparisonRow =>
    row(`${name}: ${label} ${column}`, (r) => {
      const v = r.results.measurements.find((m) => m.name === name)?.rows.find((x) => x.label === label)
        ?.values[column];
      return seconds ? formatSeconds(v) : formatNumber(v, 2);
    });
  const money = (v: number | null, r: RunRecord): string =>
    v === null ? '–' : `${v.toPrecision(4)} ${r.cost.currency}`;
  return [
    row('provider', (r) => r.Metadata.provider),
    row('cluster', (r) => r.Metadata.cluster ?? '–'),
    row('kubernetes', (r) => r.Metadata.kubernetesVersion ?? '–'),
    row('nodes', (r) => `${r.Metadata.nodes.count}${r.Metadata.nodes.simulated ? ' (simulated)' : ''}`),
    row('instance type', (r) => r.Metadata.nodes.instanceType ?? '–'),
    row(
      'duration',
      (r) => `${((Date.parse(r.Metadata.end) - Date.parse(r.Metadata.start)) / 1000).toFixed(1)} s`,
    ),
    row('HTTP', (r) =>
      r.results.http ? `${r.results.http.generator}, ${r.results.http.model} model` : 'skipped',
    ),
    row('requests', (r) => formatNumber(r.results.http?.requests)),
    row('requests/s', (r) => formatNumber(r.results.http?.requestsPerSecond, 1)),
    row('errors', (r) =>
      formatNumber(r.results.http ? Object.values(r.results.http.errors).reduce((a, b) => a + b, 0) : null),
    ),
    row('latency p50', (r) => formatSeconds(r.results.http?.latency.p50)),
    row('latency p99', (r) => formatSeconds(r.results.http?.latency.p99)),
    row('latency p99.9', (r) => formatSeconds(r.results.http?.latency.p999)),
    row('latency max', (r) => formatSeconds(r.results.http?.latency.max)),
    measurement('podStartupLatency', 'created→ready', 'p50'),
    measurement('podStartupLatency', 'created→ready', 'p99'),
    measurement('schedulingThroughput', 'pods scheduled', 'average', false),
    measurement('apiRequestLatency', 'mutating, resource scope', 'p99'),
    measurement('apiRequestLatency', 'read, resource scope', 'p99'),
    row(
      'SLOs passed',
      (r) =>
        `${r.results.slos.filter((s) => s.pass === true).length}/${r.results.slos.filter((s) => s.pass !== null).length}`,
    ),
    row('cost of run', (r) => money(r.cost.total, r)),
    row('cost / million requests', (r) => money(r.cost.perMillionRequests, r)),
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

export function comparisonHtml(runs: readonly RunRecord[]): string {
  const esc = (s: string): string =>
    s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  const head = `<tr><th></th>${runs.map((r) => `<th>${esc(r.id)}</th>`).join('')}</tr>`;
  const body = comparisonRows(runs)
    .map((r) => `<tr><th>${esc(r.label)}</th>${r.values.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cncfdemo: ${runs.length} runs compared</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}table{border-collapse:collapse}th,td{padding:4px 10px;border-bottom:1px solid #d9dee7;text-align:left;font-variant-numeric:tabular-nums}th{color:#5b6475}</style>
</head><body><h1>cncfdemo: runs compared</h1><table><thead>${head}</thead><tbody>${body}</tbody></table></body></html>
`;
}
