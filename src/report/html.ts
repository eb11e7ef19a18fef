import { chartDataOf } from './chart-data.js';
import { formatNumber, formatSeconds, instanceTypes } from './format.js';
import { escapeHtml, selfContainedPage, type PageAssets } from './page.js';
import type { MeasurementResult, RunRecord, SloVerdict } from '../model/run-record.js';

function money(n: number | null, currency: string): string {
  return n === null ? '–' : `${n.toLocaleString('en-US', { maximumSignificantDigits: 4 })} ${currency}`;
}

function card(k: string, v: string): string {
  return `<div class="card"><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(v)}</div></div>`;
}

function sloRows(slos: readonly SloVerdict[]): string {
  if (slos.length === 0) return '<p class="none">No SLOs were checked in this run.</p>';
  const rows = slos.map((s) => {
    const verdict =
      s.pass === null
        ? '<span class="none">no data</span>'
        : s.pass
          ? '<span class="pass">PASS</span>'
          : '<span class="fail">FAIL</span>';
    return `<tr><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.objective)}</td><td>${formatSeconds(s.observedSeconds)}</td><td>${verdict}</td></tr>`;
  });
  return `<table><thead><tr><th>Objective</th><th>Target</th><th>Observed</th><th>Verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function measurementTable(m: MeasurementResult): string {
  const cell = (column: string, v: number | null | undefined): string =>
    m.unit === 'seconds' && column !== 'pods' && column !== 'requests'
      ? formatSeconds(v)
      : formatNumber(v, column === 'requests' || Number.isInteger(v ?? 0) ? 0 : 2);
  const head = `<tr><th></th>${m.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = m.rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.label)}</td>${m.columns.map((c) => `<td>${cell(c, r.values[c])}</td>`).join('')}</tr>`,
    )
    .join('');
  const notes = m.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
  return `<section><h2>${escapeHtml(m.title)} <span class="note">(${escapeHtml(m.unit)})</span></h2><table><thead>${head}</thead><tbody>${body}</tbody></table>${notes}</section>`;
}

function metadataTable(record: RunRecord): string {
  const md = record.Metadata;
  const rows: [string, string][] = [
    ['Run', record.id],
    ['Provider', md.provider],
    ['Cluster', md.cluster ?? '–'],
    ['Kubernetes', md.kubernetesVersion ?? '–'],
    ['Nodes', `${md.nodes.count}${md.nodes.simulated ? ' (simulated, kwok)' : ''}`],
    ['Node CPU / memory', `${md.nodes.cpu ?? '–'} / ${md.nodes.memory ?? '–'}`],
    ...(md.region ? ([['Region', md.region]] as [string, string][]) : []),
    ['Instance type', instanceTypes(md)],
    ['Start', md.start],
    ['End', md.end],
    ['Options', JSON.stringify(md.options)],
    ['cncfdemo', md.cncfdemoVersion],
  ];
  return `<table><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>`;
}

function phaseList(record: RunRecord): string {
  const items = record.events.map((p) => {
    const head = `${escapeHtml(p.title)} — ${p.outcome ?? 'unfinished'}${p.durationMs !== null ? `, ${(p.durationMs / 1000).toFixed(1)} s` : ''}`;
    const body = [
      p.message ? `<p>${escapeHtml(p.message)}</p>` : '',
      p.output ? `<pre>${escapeHtml(p.output)}</pre>` : '',
    ].join('');
    return body ? `<details><summary>${head}</summary>${body}</details>` : `<div>${head}</div>`;
  });
  return items.join('') || '<p class="none">No phases recorded.</p>';
}

function chaosSection(record: RunRecord): string {
  const chaos = record.results.chaos;
  if (!chaos) return '';
  const rows = chaos.kills.map(
    (k) =>
      `<tr><td>${escapeHtml(k.at)}</td><td>${escapeHtml(k.pod)}</td><td>${k.readyBefore}</td><td>${k.recoverySeconds === null ? '<span class="fail">not recovered</span>' : formatSeconds(k.recoverySeconds)}</td><td>${formatNumber(k.failedRequests ?? null)}</td><td>${k.windowSeconds === undefined ? '–' : formatSeconds(k.windowSeconds)}</td></tr>`,
  );
  const table = rows.length
    ? `<table><thead><tr><th>Killed at</th><th>Pod</th><th>Ready before</th><th>Back to that many ready in</th><th>Failed requests until the next kill</th><th>Window</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p class="none">No pod was killed.</p>';
  const notes = chaos.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
  return `<section id="chaos"><h2>Chaos: ${escapeHtml(chaos.action)} every ${formatSeconds(chaos.intervalSeconds)} on ${escapeHtml(chaos.target)} (seed ${chaos.seed})</h2>${table}<p class="note">Kills are the dashed red lines on the charts over time.</p>${notes}</section>`;
}

function crossCheckSection(record: RunRecord): string {
  const check = record.results.http?.crossCheck;
  if (!check) return '';
  const verdict = check.agree ? '<span class="pass">AGREE</span>' : '<span class="fail">DISAGREE</span>';
  const rows = check.quantiles
    .map(
      (q) =>
        `<tr><th>p${q.quantile * 100}</th><td>${formatSeconds(q.fromLogs)}</td><td>${formatSeconds(q.recorded)}</td></tr>`,
    )
    .join('');
  const pods = check.generators
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.pod)}</td><td>${formatNumber(g.requests)}</td><td>${formatSeconds(g.printed.p50)}</td><td>${formatSeconds(g.printed.p99)}</td></tr>`,
    )
    .join('');
  const problems = check.problems.map((p) => `<p class="fail">${escapeHtml(p)}</p>`).join('');
  return `<section id="cross-check"><h2>Cross-check against the load generators' logs: ${verdict}</h2><table><tbody><tr><th>Requests</th><td>${formatNumber(check.requestsLogged)} logged</td><td>${formatNumber(check.requestsRecorded)} recorded</td></tr>${rows}</tbody></table><table><thead><tr><th>Pod</th><th>Requests (wrk)</th><th>p50 (wrk)</th><th>p99 (wrk)</th></tr></thead><tbody>${pods}</tbody></table>${problems}<p class="note">${escapeHtml(check.method)}</p></section>`;
}

/** What this run measured and what it could not, in one place: how runs of two deployment models compare. */
function coverageSection(record: RunRecord): string {
  const r = record.results;
  const measured = [
    ...(r.http
      ? [`HTTP load (${r.http.generator}, ${r.http.generators} generator(s) → ${r.http.target})`]
      : []),
    ...r.measurements.map((m) => m.title),
    ...(r.chaos ? [`chaos (${r.chaos.kills.length} pod kills)`] : []),
  ];
  const skipped = [
    ...(r.httpSkipped ? [`HTTP load: ${r.httpSkipped}`] : []),
    ...r.measurementsSkipped.map((m) => `${m.name}: ${m.reason}`),
  ];
  const stack = r.stack;
  const leftOut = stack?.leftOut.length
    ? `<p>Left out of the stack by its values: ${stack.leftOut
        .map((c) => `${escapeHtml(c.name)}${c.when ? ` (${escapeHtml(c.when)} off)` : ''}`)
        .join(', ')}.</p>`
    : '';
  const api =
    stack?.apiServer === 'ingest'
      ? "<p>The Countly API was cncfdemo's Countly-shaped ingest server (same /i endpoint, Service and autoscaler; it stores nothing), not Countly itself.</p>"
      : '';
  const list = (items: string[]): string =>
    items.length
      ? `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
      : '<p class="none">–</p>';
  return `<section id="coverage"><h2>What this run measured</h2>${list(measured)}<h2>What it could not</h2>${list(skipped)}${leftOut}${api}</section>`;
}

/** Renders a run record as one self-contained HTML page (data, chart library, styles and script inlined). */
export function renderReportHtml(record: RunRecord, assets: PageAssets): string {
  const http = record.results.http;
  const errors = http ? Object.values(http.errors).reduce((a, b) => a + b, 0) : null;
  const cards = http
    ? [
        card('Requests', formatNumber(http.requests)),
        card('Requests/s', formatNumber(http.requestsPerSecond, 1)),
        card('Errors', formatNumber(errors)),
        card('p50', formatSeconds(http.latency.p50)),
        card('p90', formatSeconds(http.latency.p90)),
        card('p99', formatSeconds(http.latency.p99)),
        card('p99.9', formatSeconds(http.latency.p999)),
        card('max', formatSeconds(http.latency.max)),
      ]
    : [];
  cards.push(card('Cost of run', money(record.cost.total, record.cost.currency)));
  if (http)
    cards.push(card('Cost / million requests', money(record.cost.perMillionRequests, record.cost.currency)));
  const banner = record.results.httpSkipped
    ? `<div class="banner"><strong>HTTP load skipped:</strong> ${escapeHtml(record.results.httpSkipped)}</div>`
    : '';
  const errorTable = http
    ? `<section><h2>Errors by kind</h2><table><tbody>${Object.entries(http.errors)
        .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${formatNumber(v)}</td></tr>`)
        .join(
          '',
        )}</tbody></table><p class="note">status: HTTP status &gt;= 400 (wrk's count); dropped: scheduled requests the open-model generator could not start. Latency quantiles come from histogram buckets merged across ${http.generators} generator(s).</p></section>`
    : '';
  const skippedMeasurements = record.results.measurementsSkipped
    .map((s) => `<p class="note">${escapeHtml(s.name)} not measured: ${escapeHtml(s.reason)}</p>`)
    .join('');
  const title = `cncfdemo run ${record.id}`;
  const subtitle = `${record.Metadata.provider}${record.Metadata.cluster ? ` · ${record.Metadata.cluster}` : ''} · ${record.Metadata.start} → ${record.Metadata.end}${http ? ` · ${http.generator} (${http.model} model) → ${http.target}` : ''}`;
  const body = `<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p></header>
<main>
${banner}
<div class="cards">${cards.join('')}</div>
<div class="charts" id="charts"></div>
${http ? '<p class="note">wrk reports latency once, at the end of its run: latency is a distribution over the whole run, not a series over time, so kills are marked on the throughput, failure, replica and pod charts.</p>' : ''}
${coverageSection(record)}
${chaosSection(record)}
${crossCheckSection(record)}
<section><h2>Service-level objectives</h2>${sloRows(record.results.slos)}</section>
${errorTable}
${record.results.measurements.map(measurementTable).join('\n')}
${skippedMeasurements ? `<section><h2>Not measured</h2>${skippedMeasurements}</section>` : ''}
<section><h2>Cost</h2><p>${escapeHtml(
    `${record.cost.nodeHours.toFixed(4)} node-hours at ${record.cost.pricePerNodeHour ?? '–'} ${record.cost.currency}/node-hour (${record.cost.priceSource})`,
  )}</p></section>
<section><h2>Metadata</h2>${metadataTable(record)}</section>
<section><h2>Phases</h2>${phaseList(record)}</section>
</main>`;
  return selfContainedPage({
    title,
    body,
    styles: [assets.uplotCss, assets.reportCss],
    scripts: [assets.uplotJs, assets.chartsJs, assets.reportJs],
    // The whole record travels with its report; the charts read their own shape of it.
    data: { 'run-data': record, 'chart-data': chartDataOf(record) },
  });
}
