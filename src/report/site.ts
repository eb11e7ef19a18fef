/**
 * A static results site of chosen runs, as the original project published its runs: an index, each run's
 * report and the compare page of all of them. Every page is self-contained (src/report/page.ts) and the
 * links are relative, so the directory works from file:// and on any static host.
 */
import { comparisonHtml } from './compare.js';
import { formatNumber, formatSeconds } from './format.js';
import { renderReportHtml } from './html.js';
import { escapeHtml, selfContainedPage, type PageAssets } from './page.js';
import type { RunRecord } from '../model/run-record.js';

/** Where a run's report goes in the site. */
export const siteReportPath = (id: string): string => `runs/${id}/report.html`;
export const SITE_INDEX = 'index.html';
export const SITE_COMPARE = 'compare.html';

/** Every page of the site by its path relative to the site's root. */
export function renderSite(records: readonly RunRecord[], assets: PageAssets): Map<string, string> {
  const pages = new Map<string, string>();
  for (const r of records) pages.set(siteReportPath(r.id), renderReportHtml(r, assets));
  if (records.length >= 2) pages.set(SITE_COMPARE, comparisonHtml(records, assets, siteReportPath));
  pages.set(SITE_INDEX, siteIndex(records, assets));
  return pages;
}

function siteIndex(records: readonly RunRecord[], assets: PageAssets): string {
  const rows = records
    .map((r) => {
      const http = r.results.http;
      const nodes = `${r.Metadata.nodes.count}${r.Metadata.nodes.simulated ? ' simulated' : ''}`;
      return `<tr><td><a href="${escapeHtml(siteReportPath(r.id))}">${escapeHtml(r.id)}</a></td><td>${escapeHtml(r.Metadata.provider)}</td><td>${escapeHtml(nodes)}</td><td>${escapeHtml(r.Metadata.start)}</td><td>${http ? formatNumber(http.requestsPerSecond, 1) : 'not measured'}</td><td>${http ? formatSeconds(http.latency.p99) : '–'}</td><td>${r.results.slos.filter((s) => s.pass === true).length}/${r.results.slos.filter((s) => s.pass !== null).length}</td></tr>`;
    })
    .join('');
  const compare =
    records.length >= 2
      ? `<p><a id="compare-link" href="${SITE_COMPARE}">Compare these ${records.length} runs side by side</a></p>`
      : '';
  const title = `cncfdemo results: ${records.length} run${records.length === 1 ? '' : 's'}`;
  return selfContainedPage({
    title,
    body: `<header><h1>${escapeHtml(title)}</h1><p>Benchmarks of the cncfdemo stack, comparable across deployment models.</p></header>
<main>
<section>
${compare}
<table id="site-runs"><thead><tr><th>Run</th><th>Provider</th><th>Nodes</th><th>Started</th><th>Requests/s</th><th>p99</th><th>SLOs passed</th></tr></thead><tbody>${rows}</tbody></table>
</section>
</main>`,
    styles: [assets.reportCss],
    scripts: [],
  });
}
