import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, writeReportHtml } from '../../src/api/bench.js';
import type { RunRecord } from '../../src/report/types.js';
import { runRecordProblems } from '../../src/report/validate.js';
import { TEST_CLUSTER } from './global-setup.js';
import { testEnv } from './harness.js';

const CHARTS = [
  'chart-throughput',
  'chart-latency',
  'chart-replicas',
  'chart-priority',
  'chart-boinc',
  'chart-timeline',
] as const;

/** Runs in the page: which chart containers have a canvas with drawn pixels, which show a "no data" note. */
const PROBE = `(() => {
  const drawn = [];
  const empty = {};
  for (const id of ${JSON.stringify(CHARTS)}) {
    const el = document.getElementById(id);
    const canvas = el && el.querySelector('canvas');
    const note = el && el.querySelector('.nodata');
    if (note) empty[id] = note.textContent;
    if (!canvas) continue;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    if (painted > 200) drawn.push(id);
  }
  return { drawn, empty };
})()`;

interface Rendered {
  consoleErrors: string[];
  /** Requests the page tried that were not for its own file (all blocked). */
  networkAttempts: string[];
  /** Chart containers whose canvas has drawn pixels. */
  drawn: string[];
  /** Chart containers showing a "no data" note instead, with its text. */
  empty: Record<string, string>;
  screenshot: string;
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'cncfdemo-report-test-'));
});
afterAll(async () => {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
});

/** Opens a report with every non-file request aborted and reports what rendered. */
async function openReport(htmlPath: string, name: string): Promise<Rendered> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
  const networkAttempts: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    networkAttempts.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(pathToFileURL(htmlPath).href);
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 10_000 });
  const state = await page.evaluate<{ drawn: string[]; empty: Record<string, string> }>(PROBE);
  const screenshot = join(dir, `${name}.png`);
  await page.screenshot({ path: screenshot, fullPage: true });
  // A copy outside the temporary directory, to look at after the run.
  await writeFile(join(tmpdir(), `cncfdemo-report-${name}.png`), await readFile(screenshot));
  await context.close();
  return { consoleErrors, networkAttempts, screenshot, ...state };
}

describe('benchmark --save-html: a self-contained report', () => {
  it('local target: run.json matches the schema and report.html draws its charts offline', async () => {
    const outcome = await runBenchmark({ localTarget: true, durationSeconds: 3, saveHtml: true, home: dir });
    const record = JSON.parse(await readFile(outcome.runJson, 'utf8')) as RunRecord;
    expect(runRecordProblems(record)).toEqual([]);
    expect(record.results.http?.requests).toBeGreaterThan(0);
    const events = (await readFile(join(outcome.dir, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(events.map((l) => (JSON.parse(l) as { id: string }).id)).toContain('load');

    const r = await openReport(outcome.html ?? '', 'local-target');
    expect(r.consoleErrors).toEqual([]);
    expect(r.networkAttempts).toEqual([]);
    expect(r.drawn).toEqual(['chart-throughput', 'chart-latency', 'chart-timeline']);
    expect(r.empty['chart-replicas']).toMatch(/no cluster/);
  });

  it('cluster on simulated nodes: HTTP load skipped and said so, control plane measured', async () => {
    const outcome = await runBenchmark({
      cluster: TEST_CLUSTER,
      durationSeconds: 5,
      saveHtml: true,
      home: dir,
      env: testEnv(),
    });
    const { record } = outcome;
    expect(runRecordProblems(record)).toEqual([]);
    expect(record.Metadata.nodes.simulated).toBe(true);
    expect(record.Metadata.provider).toBe('local');
    expect(record.results.http).toBeNull();
    expect(record.results.httpSkipped).toMatch(/simulated \(kwok\)/);
    const startup = record.results.measurements.find((m) => m.name === 'podStartupLatency');
    expect(startup?.rows.find((r) => r.label === 'created→ready')?.values.pods).toBe(
      record.Metadata.nodes.count * 10,
    );
    expect(startup?.slos[0]?.pass).not.toBeNull();
    expect(record.results.series.podsByPriority.length).toBeGreaterThan(0);
    // The local cluster's API server was scraped by a private Prometheus: real request latencies, judged by the SLOs.
    const api = record.results.measurements.find((m) => m.name === 'apiRequestLatency');
    const mutating = api?.rows.find((r) => r.label === 'mutating, resource scope')?.values;
    expect(mutating?.requests).toBeGreaterThan(0);
    expect(mutating?.p99).toBeGreaterThan(0);
    expect(
      record.results.slos.find((s) => s.name === 'API latency, mutating, resource scope')?.pass,
    ).not.toBeNull();

    const html = await readFile(outcome.html ?? '', 'utf8');
    expect(html).toContain('HTTP load skipped:');
    const r = await openReport(outcome.html ?? '', 'simulated-cluster');
    expect(r.consoleErrors).toEqual([]);
    expect(r.networkAttempts).toEqual([]);
    expect(r.drawn).toContain('chart-priority');
    expect(r.drawn).toContain('chart-timeline');
    expect(r.empty['chart-throughput']).toMatch(/HTTP load skipped/);
  });

  it('draws all six charts when a run has every series', async () => {
    const record = JSON.parse(
      await readFile(join(import.meta.dirname, '../fixtures/report/valid-cluster-run.json'), 'utf8'),
    ) as RunRecord;
    const runDir = join(dir, record.id);
    await import('node:fs/promises').then((fs) => fs.mkdir(runDir, { recursive: true }));
    const r = await openReport(await writeReportHtml(record, runDir), 'all-charts');
    expect(r.consoleErrors).toEqual([]);
    expect(r.networkAttempts).toEqual([]);
    expect(r.drawn).toEqual([...CHARTS]);
  });
});
