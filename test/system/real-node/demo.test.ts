import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaryPaths, pinnedVersions } from '../../../src/cluster/providers/local/toolchain.js';
import { MANAGED_SELECTOR } from '../../../src/config/identity.js';
import { cacheDir, packageRoot } from '../../../src/config/paths.js';
import { exec } from '../../../src/exec/index.js';
import { connect } from '../../../src/kube/index.js';
import { runRecordProblems } from '../../../src/report/validate.js';
import { runCli } from '../../helpers/cli.js';
import { CHARTS, ReportBrowser } from '../../helpers/report-page.js';
import { chartPoints, UiBrowser, waitForPoints } from '../../helpers/ui-page.js';
import { waitFor } from '../../helpers/wait.js';
import { serveWebUi } from '../../../src/api/web.js';
import { realNodeCreateArgs, setSysctl, startTestRegistry, type TestRegistry } from './harness.js';
import type { NamedSeries, RunRecord } from '../../../src/model/run-record.js';

const NAME = 'demoreal';
const isRoot = process.getuid?.() === 0;
const PROFILE = join(packageRoot, 'manifests', 'profiles', 'offline.yaml');
const STACK_NAMESPACES = ['cncfdemo', 'cncfdemo-monitoring'];

const max = (series: NamedSeries | undefined): number =>
  Math.max(0, ...(series?.points ?? []).map((p) => p.v));

/**
 * The demo for real on this machine as a real node: the offline profile's containers run, the benchmark's
 * load runs in the cluster and comes back through the stack's own Prometheus, pods are killed on the way,
 * and the report shows it all. One cluster for the file; images from the loopback registry.
 */
describe.runIf(isRoot)('the demo on a real node: start, benchmark with chaos, report, stop', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let registry: TestRegistry;
  let browser: ReportBrowser;
  let record: RunRecord;
  let reportHtml: string;
  const restore: (() => Promise<void>)[] = [];
  const cli = (...args: string[]) => runCli(args, env);
  const context = `cncfdemo-${NAME}`;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cncfdemo-demoreal-'));
    env = { ...process.env, CNCFDEMO_HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
    restore.push(await setSysctl('net.ipv4.ip_forward', '1'));
    registry = await startTestRegistry();
    browser = await ReportBrowser.launch();
    const created = await cli(...realNodeCreateArgs(NAME, registry));
    expect(created.code, created.stderr).toBe(0);
  });

  afterAll(async () => {
    await cli('cluster', 'delete', '--name', NAME);
    await browser.close();
    await registry.registry.stop();
    for (const undo of restore.reverse()) await undo();
    await rm(home, { recursive: true, force: true });
  });

  it('start --values offline.yaml: every component the profile keeps is Ready, the others are listed as disabled', async () => {
    const started = await cli('start', '--context', context, '--values', PROFILE, '--timeout', '5m');
    expect(started.code, started.stderr).toBe(0);
    const status = await cli('status', '--context', context);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const state = (component: string) => new RegExp(`^${component}\\s+(\\S+)`, 'm').exec(status.stdout)?.[1];
    for (const kept of [
      'prometheus',
      'pushgateway',
      'node-exporter',
      'kube-state-metrics',
      'countly-api',
      'boinc',
    ])
      expect(state(kept), kept).toBe('Ready');
    for (const left of ['grafana', 'mongos', 'countly-dashboard']) expect(state(left), left).toBe('Disabled');
    expect(status.stdout).toMatch(/mongos\s+Disabled\s+0\s+left out by the values \(mongo\.enabled is off\)/);
  });

  it('benchmark --time 60s --save-html --chaos pod-kill:15s: in-cluster wrk load with real results, live in the UI', async () => {
    const ui = await serveWebUi({ home, env, port: 0 });
    const uiBrowser = await UiBrowser.launch();
    const page = await uiBrowser.open(ui.url);
    const running = cli(
      'benchmark',
      '--context',
      context,
      '--time',
      '60s',
      '--save-html',
      '--chaos',
      'pod-kill:15s',
      '--chaos-seed',
      '7',
    );
    try {
      // While the load runs, the UI charts its requests/s from the run's samples and marks the kills.
      const id = await waitFor(
        async () => (await readdir(join(home, 'runs'))).find((r) => r.includes('-benchmark-')),
        (found) => found !== undefined,
        30_000,
      );
      await page.page.goto(`${ui.url}#run=${id ?? ''}`);
      // A benchmark that ends before the page saw its load fails here with its own error.
      const ended = running.then(async (r) => {
        const points = await chartPoints(page.page, 'chart-throughput');
        throw new Error(
          `the benchmark ended (exit ${r.code}) before the UI saw its load (${points} throughput points drawn): ${r.stderr.slice(-1500)}`,
        );
      });
      ended.catch(() => undefined);
      const early = await Promise.race([waitForPoints(page.page, 'chart-throughput', 3, 90_000), ended]);
      const later = await Promise.race([
        waitForPoints(page.page, 'chart-throughput', early + 5, 60_000),
        ended,
      ]);
      expect(await page.page.getAttribute('#run-panel', 'data-state')).toBe('running');
      expect(later).toBeGreaterThan(early);
      await waitFor(
        () => page.page.getAttribute('#chart-throughput', 'data-kill-marks'),
        (marks) => Number(marks) >= 1,
        60_000,
      );
      await page.screenshot('real-node-live-benchmark');
      expect(page.consoleErrors).toEqual([]);
      expect(page.offLoopback).toEqual([]);
    } finally {
      await running;
      await page.close();
      await uiBrowser.close();
      await ui.close();
    }
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    reportHtml = run.stdout.trim();
    record = JSON.parse(await readFile(join(reportHtml, '..', 'run.json'), 'utf8')) as RunRecord;
    expect(runRecordProblems(record)).toEqual([]);
    expect(record.Metadata.nodes.simulated).toBe(false);
    expect(record.results.httpSkipped).toBeNull();
    const http = record.results.http;
    expect(http?.generator).toBe('wrk');
    expect(http?.generators).toBe(2);
    expect(http?.target).toBe('http://countly-api.cncfdemo:3001');
    expect(http?.requests).toBeGreaterThan(1000);
    expect(http?.requestsPerSecond).toBeGreaterThan(0);
    expect(http?.latency.p50).toBeGreaterThan(0);
    expect(http?.latency.p99).toBeGreaterThanOrEqual(http?.latency.p50 ?? Infinity);
    expect(Math.max(...(http?.throughput ?? []).map((p) => p.v))).toBeGreaterThan(0);
    expect(record.results.stack).toMatchObject({ deployed: true, apiServer: 'ingest' });
  });

  it("the run's totals and p50/p99 equal what each wrk pod printed in its log", () => {
    const check = record.results.http?.crossCheck;
    expect(check?.problems).toEqual([]);
    expect(check?.agree).toBe(true);
    expect(check?.generators).toHaveLength(2);
    expect(check?.requestsLogged).toBe(record.results.http?.requests);
    expect(check?.generators.reduce((sum, g) => sum + g.requests, 0)).toBe(record.results.http?.requests);
    // The merged p50 lies between the pods' own p50 buckets: a quantile of the sum is bounded by the parts'.
    const lower = Math.min(...(check?.generators ?? []).map((g) => g.buckets.p50?.[0] ?? Infinity));
    const upper = Math.max(...(check?.generators ?? []).map((g) => g.buckets.p50?.[1] ?? 0));
    expect(record.results.http?.latency.p50).toBeGreaterThanOrEqual(lower);
    expect(record.results.http?.latency.p50).toBeLessThanOrEqual(upper);
  });

  it('the autoscaler scaled the API up on real CPU, and BOINC lost pods to preemption', () => {
    const replicas = record.results.series.replicas.find((s) => s.name === 'cncfdemo/countly-api ready');
    expect(max(replicas)).toBeGreaterThan(2); // the profile's minReplicas
    const background = record.results.series.podsByPriority.find((s) => s.name === 'cncfdemo-background');
    const points = background?.points.map((p) => p.v) ?? [];
    const peak = max(background);
    expect(peak).toBeGreaterThan(0);
    expect(points.slice(points.indexOf(peak)).some((v) => v < peak)).toBe(true);
    const allocated = record.results.series.boincWork.find(
      (s) => s.name === 'cncfdemo/boinc CPU allocated (cores)',
    );
    expect(Math.min(...(allocated?.points ?? []).map((p) => p.v))).toBeLessThan(max(allocated));
  });

  it('chaos: seeded kills every 15s, each with its recovery and failed requests, in run.json', () => {
    const chaos = record.results.chaos;
    expect(record.Metadata.options.chaos).toBe('pod-kill:15s');
    expect(chaos?.seed).toBe(7);
    expect(chaos?.target).toBe('cncfdemo/deployment/countly-api');
    expect(chaos?.kills.length).toBeGreaterThanOrEqual(2);
    const start = Date.parse(record.Metadata.start);
    for (const kill of chaos?.kills ?? []) {
      expect(kill.pod).toMatch(/^countly-api-/);
      expect(Date.parse(kill.at)).toBeGreaterThan(start);
      expect(kill.failedRequests).not.toBeNull();
    }
    expect(chaos?.kills.some((k) => k.recoverySeconds !== null && k.recoverySeconds > 0)).toBe(true);
  });

  it('report.html in Chromium: HTTP panels with data, kills marked, no network', async () => {
    const r = await browser.open(reportHtml, 'real-node-demo');
    expect(r.consoleErrors).toEqual([]);
    expect(r.networkAttempts).toEqual([]);
    // Every chart of the report has data (the phase timeline too).
    expect(r.drawn).toEqual([...CHARTS]);
    expect(r.killMarks['chart-throughput']).toBe(record.results.chaos?.kills.length);
    const html = await readFile(reportHtml, 'utf8');
    expect(html).toContain('Cross-check against the load generators\' logs: <span class="pass">AGREE</span>');
    expect(html).toContain('Countly-shaped ingest server');
  });

  it('stop leaves nothing labelled, and no container of the stack runs on the node', async () => {
    const stopped = await cli('stop', '--context', context);
    expect(stopped.code, stopped.stderr).toBe(0);
    const client = await connect({ env, context });
    try {
      const left = await client.findBySelector(MANAGED_SELECTOR, { allNamespaces: true });
      expect(left.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`)).toEqual([]);
    } finally {
      client.close();
    }
    const { crictl } = nodeBinaryPaths(await pinnedVersions(), cacheDir());
    const socket = join(home, 'clusters', NAME, 'node', 'containerd', 'containerd.sock');
    const { stdout } = await exec(crictl, ['--runtime-endpoint', `unix://${socket}`, 'ps', '-o', 'json']);
    const containers = (JSON.parse(stdout) as { containers: { labels: Record<string, string> }[] })
      .containers;
    const namespaces = containers.map((c) => c.labels['io.kubernetes.pod.namespace'] ?? '');
    expect(namespaces.filter((ns) => STACK_NAMESPACES.includes(ns) || ns === 'cncfdemo-bench')).toEqual([]);
  });
});
