import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, writeReportHtml } from '../../src/api/bench.js';
import { clusterPrometheus } from '../../src/api/cluster.js';
import { runRecordProblems } from '../../src/report/validate.js';
import { CHARTS, ReportBrowser } from '../helpers/report-page.js';
import { TEST_CLUSTER } from './global-setup.js';
import { kubectl, testCluster, testEnv } from './harness.js';
import type { RunRecord } from '../../src/model/run-record.js';

let browser: ReportBrowser;
let dir: string;

beforeAll(async () => {
  browser = await ReportBrowser.launch();
  dir = await mkdtemp(join(tmpdir(), 'cncfdemo-report-test-'));
});
afterAll(async () => {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
});

const openReport = (htmlPath: string, name: string) => browser.open(htmlPath, name);

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
    expect(r.drawn).toEqual(['chart-throughput', 'chart-failures', 'chart-latency', 'chart-timeline']);
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
    // This home has no record of the cluster, so the benchmark started a private Prometheus scraping its API
    // server: real request latencies, judged by the SLOs.
    const api = record.results.measurements.find((m) => m.name === 'apiRequestLatency');
    const mutating = api?.rows.find((r) => r.label === 'mutating, resource scope')?.values;
    expect(mutating?.requests).toBeGreaterThan(0);
    expect(mutating?.p99).toBeGreaterThan(0);
    expect(
      record.results.slos.find((s) => s.name === 'API latency, mutating, resource scope')?.pass,
    ).not.toBeNull();

    // The run removed what it made: the burst and its namespace are gone or going.
    const left = await kubectl([
      'get',
      'namespace',
      'cncfdemo-bench',
      '--ignore-not-found',
      '-o',
      'jsonpath={.status.phase}',
    ]);
    expect(['', 'Terminating']).toContain(left.trim());
    const html = await readFile(outcome.html ?? '', 'utf8');
    expect(html).toContain('HTTP load skipped:');
    const r = await openReport(outcome.html ?? '', 'simulated-cluster');
    expect(r.consoleErrors).toEqual([]);
    expect(r.networkAttempts).toEqual([]);
    expect(r.drawn).toContain('chart-priority');
    expect(r.drawn).toContain('chart-timeline');
    expect(r.empty['chart-throughput']).toMatch(/HTTP load skipped/);
  });

  it('cluster with a Prometheus of its own: the API latencies come from it, no Prometheus is started', async () => {
    const { home } = testCluster();
    const prometheus = await clusterPrometheus({ name: TEST_CLUSTER, home, env: testEnv() });
    expect(prometheus).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // right after the run above, whose bench namespace is still terminating: this one waits for it to go
    const outcome = await runBenchmark({ cluster: TEST_CLUSTER, durationSeconds: 3, home, env: testEnv() });
    try {
      const steps = (await readFile(join(outcome.dir, 'events.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id);
      expect(steps).toContain('cluster-prometheus');
      expect(steps).not.toContain('monitoring');
      const api = outcome.record.results.measurements.find((m) => m.name === 'apiRequestLatency');
      // the burst's pods were created in the run: counted, even where their series are new
      expect(api?.rows.find((r) => r.label === 'mutating, resource scope')?.values.requests).toBeGreaterThan(
        0,
      );
      expect(api?.notes.join(' ')).toMatch(/from the last scrape before the run's start/);
    } finally {
      await rm(outcome.dir, { recursive: true, force: true });
    }
  });

  it('draws every chart, with the kill marks, when a run has every series', async () => {
    const record = JSON.parse(
      await readFile(join(import.meta.dirname, '../fixtures/report/valid-cluster-run.json'), 'utf8'),
    ) as RunRecord;
    const runDir = join(dir, record.id);
    await import('node:fs/promises').then((fs) => fs.mkdir(runDir, { recursive: true }));
    const r = await openReport(await writeReportHtml(record, runDir), 'all-charts');
    expect(r.consoleErrors).toEqual([]);
    expect(r.networkAttempts).toEqual([]);
    expect(r.drawn).toEqual([...CHARTS]);
    // One mark per kill on each chart over time (not on the latency distribution).
    expect(r.killMarks).toEqual({
      'chart-throughput': 2,
      'chart-failures': 2,
      'chart-replicas': 2,
      'chart-priority': 2,
      'chart-boinc': 2,
    });
  });
});
